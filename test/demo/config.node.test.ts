// The demo's configuration (environment → local stand-ins or real vendors), the page it renders, and
// the vendor API stand-ins' own checks. Pure functions and Web handlers: no server, no browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TOKEN_TTL_SECONDS, DemoConfigError, describeModes, readDemoConfig } from '../../demo/lib/config.js';
import { embedOrigin, embedSettings, escapeHtml, renderPage } from '../../demo/lib/page.js';
import { createStandinApis } from '../../demo/standin-apis/index.js';

const REAL_ENV = {
  VIZZLY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nsecret-vizzly\n-----END PRIVATE KEY-----',
  VIZZLY_PROJECT_ID: 'prj_real',
  DATABRAIN_API_TOKEN: 'secret-databrain',
  DATABRAIN_WORKSPACE: 'ws',
  DATABRAIN_DASHBOARD_ID: 'dash-1',
  FORMANT_EMAIL: 'svc@example.com',
  FORMANT_PASSWORD: 'secret-formant',
  FORMANT_VIEW_ID: 'view-1',
  FORMANT_DEVICE_IDS: 'd1, d2',
  LOOKER_HOST: 'example.looker.com',
  LOOKER_CLIENT_ID: 'cid',
  LOOKER_CLIENT_SECRET: 'secret-looker',
  LOOKER_DASHBOARD_ID: '7',
  LOOKER_MODELS: 'thelook',
};

describe('demo configuration', () => {
  it('runs every vendor locally without vendor variables', () => {
    const config = readDemoConfig({});
    assert.deepEqual(
      [config.vizzly.mode, config.databrain.mode, config.formant.mode, config.looker.mode],
      ['local', 'local', 'local', 'local'],
    );
    assert.equal(config.tokenTtlSeconds, DEFAULT_TOKEN_TTL_SECONDS);
    assert.equal(config.port, undefined);
    assert.equal(config.user, 'demo-user');
  });

  it('switches each vendor to its real service with its variables', () => {
    const config = readDemoConfig(REAL_ENV);
    assert.deepEqual(
      [config.vizzly.mode, config.databrain.mode, config.formant.mode, config.looker.mode],
      ['real', 'real', 'real', 'real'],
    );
    assert.equal(config.looker.mode === 'real' && config.looker.host, 'https://example.looker.com');
    assert.deepEqual(config.formant.mode === 'real' && config.formant.deviceIds, ['d1', 'd2']);
    assert.equal(config.databrain.mode === 'real' && config.databrain.clientId, 'None');
    const modes = describeModes(config).join('\n');
    for (const secret of ['secret-vizzly', 'secret-databrain', 'secret-formant', 'secret-looker'])
      assert.ok(!modes.includes(secret));
  });

  it('names the missing variable, never a secret, when a vendor is half configured', () => {
    assert.throws(
      () => readDemoConfig({ FORMANT_PASSWORD: 'secret-formant' }),
      (error: Error) => {
        assert.ok(error instanceof DemoConfigError);
        assert.match(error.message, /FORMANT_EMAIL/);
        assert.ok(!error.message.includes('secret-formant'));
        return true;
      },
    );
    assert.throws(() => readDemoConfig({ ...REAL_ENV, LOOKER_MODELS: '' }), /LOOKER_MODELS/);
    assert.throws(
      () => readDemoConfig({ DATABRAIN_API_TOKEN: 'x', DATABRAIN_WORKSPACE: 'w' }),
      /DATABRAIN_DASHBOARD_ID/,
    );
  });

  it('refuses token lifetimes the element cannot refresh in time, and bad ports', () => {
    assert.throws(
      () => readDemoConfig({ DEMO_TOKEN_TTL_SECONDS: '5' }),
      /DEMO_TOKEN_TTL_SECONDS must be a whole number from 10/,
    );
    assert.throws(() => readDemoConfig({ DEMO_TOKEN_TTL_SECONDS: '1.5' }), DemoConfigError);
    assert.throws(() => readDemoConfig({ PORT: 'eighty' }), /PORT/);
    assert.equal(readDemoConfig({ DEMO_TOKEN_TTL_SECONDS: '10', PORT: '0' }).tokenTtlSeconds, 10);
  });
});

describe('demo page', () => {
  it('serves the stand-in embeds from the other loopback name, so their iframes are cross-origin', () => {
    assert.equal(embedOrigin('http://localhost:8080'), 'http://127.0.0.1:8080');
    assert.equal(embedOrigin('http://127.0.0.1:8080'), 'http://localhost:8080');
    const local = embedSettings(readDemoConfig({}), 'http://localhost:9000');
    assert.deepEqual(local.looker.options, { host: 'http://127.0.0.1:9000' });
    // Vizzly's real client and the stand-in of its API, same origin as the page.
    assert.deepEqual(local.vizzly.options, {
      scriptUrl: 'http://localhost:9000/demo/vizzly-client/vizzly-dashboard.js',
      vizzlyApiHost: 'http://localhost:9000/standin-api/vizzly',
      queryEngineEndpoint: 'http://localhost:9000/standin-api/vizzly/query-engine',
    });
    assert.equal(local.formant.options['embedUrl'], 'http://127.0.0.1:9000/demo/standins/formant-embed.html');
    // The DataBrain plugin is an npm package an app serves itself: same origin as the page.
    assert.equal(local.databrain.options['moduleUrl'], 'http://localhost:9000/demo/standin-apis/databrain-plugin.js');
  });

  it('points real vendors at their own embeds, with no secret in the page', () => {
    const real = embedSettings(readDemoConfig(REAL_ENV), 'http://localhost:9000');
    assert.deepEqual(real.looker, { mode: 'real', dashboardId: '7', options: { host: 'https://example.looker.com' } });
    assert.deepEqual(real.databrain.options, {}, 'the bundled @databrainhq/plugin/web');
    assert.deepEqual(real.vizzly.options, {}, "Vizzly's default bundle");
    assert.deepEqual(real.formant, { mode: 'real', dashboardId: 'view-1', options: { deviceIds: ['d1', 'd2'] } });
    const html = renderPage(
      '{{vizzly.options}}{{databrain.options}}{{formant.options}}{{looker.options}}{{settings}}',
      readDemoConfig(REAL_ENV),
      'http://localhost:9000',
    );
    for (const secret of ['secret-vizzly', 'secret-databrain', 'secret-formant', 'secret-looker', 'svc@example.com'])
      assert.ok(!html.includes(secret));
  });

  it('fills the template with attribute-escaped JSON and refuses unknown placeholders', () => {
    const config = readDemoConfig({ DEMO_USER: '</script><b>"x"' });
    const html = renderPage(
      '<x a="{{looker.options}}" m="{{looker.mode}}"><script type="application/json">{{settings}}</script>',
      config,
      'http://localhost:1',
    );
    assert.equal(
      html.split('<script')[0],
      '<x a="{&quot;host&quot;:&quot;http://127.0.0.1:1&quot;}" m="local stand-in">',
    );
    assert.ok(!html.includes('</script><b>'), 'settings JSON cannot close its script element');
    const json = /<script type="application\/json">(.*)<\/script>$/.exec(html)?.[1] ?? '';
    assert.equal(JSON.parse(json).user, '</script><b>"x"');
    assert.throws(() => renderPage('{{vizzly.secret}}', config, 'http://localhost:1'), /unknown placeholder/);
    assert.equal(escapeHtml(`<a href='x'>&"`), '&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });

  it('renders one panel per vendor, in order, each with its escaped embed attributes', () => {
    const html = renderPage('{{panels}}', readDemoConfig({}), 'http://localhost:1');
    const vendors = [...html.matchAll(/<embed-dashboard\s+vendor="(\w+)"/g)].map((match) => match[1]);
    assert.deepEqual(vendors, ['vizzly', 'databrain', 'formant', 'looker']);
    assert.ok(html.includes('vendor-options="{&quot;host&quot;:&quot;http://127.0.0.1:1&quot;}"'), 'Looker options');
    assert.equal(html.match(/data-role="refresh"/g)?.length, 4, 'a Refresh now button each');
    assert.ok(!html.includes('{{'), 'no placeholder left');
  });

  it("keeps real Vizzly tokens at least 30 minutes: Vizzly's client keeps each set for a 300 s pull", () => {
    assert.equal(readDemoConfig({ ...REAL_ENV, VIZZLY_TTL_MINUTES: '30' }).vizzly.mode, 'real');
    assert.throws(() => readDemoConfig({ ...REAL_ENV, VIZZLY_TTL_MINUTES: '29' }), /VIZZLY_TTL_MINUTES/);
  });
});

describe('vendor API stand-ins', () => {
  const apis = createStandinApis({ lookerTokenTtlSeconds: 30 });
  const call = (path: string, init: RequestInit) => apis.handler(new Request(`http://127.0.0.1${path}`, init));
  const jsonBody = (body: unknown) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  it('refuse wrong credentials the way the vendors do', async () => {
    const databrain = await call('/standin-api/databrain/api/v1/guest-token/create', {
      ...jsonBody({ clientId: 'None', workspaceName: 'demo-workspace' }),
      headers: { authorization: 'Bearer wrong' },
    });
    assert.equal(databrain.status, 401);
    assert.equal((await databrain.json()).error.code, 'AUTHENTICATION_ERROR');
    const formant = await call(
      '/standin-api/formant/v1/admin/auth/login-embed',
      jsonBody({ email: apis.credentials.formant.email, password: 'wrong', scope: { tags: {} } }),
    );
    assert.equal(formant.status, 401);
    const looker = await call('/standin-api/looker/api/4.0/login', {
      method: 'POST',
      body: new URLSearchParams({ client_id: apis.credentials.looker.clientId, client_secret: 'wrong' }),
    });
    assert.equal(looker.status, 404);
    const unauthenticated = await call('/standin-api/looker/api/4.0/embed/cookieless_session/acquire', jsonBody({}));
    assert.equal(unauthenticated.status, 401);
  });

  it('issue Formant JWTs whose exp is the lifetime asked for', async () => {
    const { email, password } = apis.credentials.formant;
    const answer = await call(
      '/standin-api/formant/v1/admin/auth/login-embed',
      jsonBody({ email, password, scope: { tags: { site: ['a'] } }, tokenExpirationSeconds: 120 }),
    );
    const { accessToken } = (await answer.json()) as { accessToken: string };
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()) as {
      iat: number;
      exp: number;
    };
    assert.equal(claims.exp - claims.iat, 120);
  });

  it('accept a DataBrain guest token only until it expires', async () => {
    let now = 1_000_000;
    const timed = createStandinApis({ lookerTokenTtlSeconds: 30, now: () => now });
    const { apiToken } = timed.credentials.databrain;
    const created = await timed.handler(
      new Request('http://127.0.0.1/standin-api/databrain/api/v1/guest-token/create', {
        ...jsonBody({
          clientId: 'None',
          workspaceName: 'demo-workspace',
          params: { dashboard: { id: 'd' } },
          expiryTime: 60_000,
        }),
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
      }),
    );
    const { token } = (await created.json()) as { token: string };
    const verify = () =>
      timed.handler(new Request('http://127.0.0.1/standin-api/databrain/standin/verify', jsonBody({ token })));
    assert.equal((await verify()).status, 200);
    now += 60_000;
    const refused = await verify();
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, 'TOKEN_EXPIRED');
  });
});
