import '../helpers/mocha-globals.js';
import { deepEqual, equal, match, ok, rejects, waitFor } from '../helpers/assert.js';
import { isEmbedError } from '../../src/errors.js';
import type { TokenSet } from '../../src/token/types.js';
import type { TokenRequestOptions } from '../../src/vendors/contract.js';
import vizzly, {
  VIZZLY_DEFAULT_VERSION,
  buildVizzlyProps,
  toVizzlyIdentity,
  vizzlyMinValidityMs,
  vizzlyPullOptions,
  vizzlyScriptUrl,
} from '../../src/vendors/vizzly.js';
import { createFakeContext } from './fake-context.js';
import { mountsPerTest } from './iframe-test-utils.js';

const STANDIN = '/demo/standins/vizzly-bundle.js';

/** What the stand-in exposes for tests. */
interface StandinElement extends HTMLElement {
  render(props: Record<string, unknown>): Promise<void>;
  identityCalls: number;
  lastIdentity: Record<string, string> | undefined;
  errors: string[];
  renderCount: number;
  props: Record<string, unknown> | undefined;
  claims: Record<string, unknown> | undefined;
}

declare global {
  interface Window {
    __vizzlyStandin?: { intervalMs?: number; acceptsProjectAccessToken?: boolean };
  }
}

// --- Test tokens: JWT-shaped, payload base64url like a real signer's (signature not checked here).

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** JSON with every byte that makes base64url emit '-' or '_' written as a \u escape (same JSON value). */
function atobSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[>?~\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function jwt(claims: Record<string, unknown>, json = atobSafeJson(claims)): string {
  return `${base64url('{"alg":"ES256","typ":"JWT"}')}.${base64url(json)}.c2lnbmF0dXJl`;
}

function inMinutes(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

function dashboardToken(userReference: string, extra: Record<string, unknown> = {}): string {
  return jwt({
    accessType: 'standard',
    projectId: 'prj_test',
    userReference,
    scope: 'read_write',
    expires: inMinutes(30),
    ...extra,
  });
}

const first: TokenSet = {
  dashboardAccessToken: dashboardToken('user-1'),
  dataAccessToken: jwt({ dataSetIds: '*', secureFilters: {}, parameters: {}, expires: inMinutes(30) }),
};

// --- Mount helpers

const mounts = mountsPerTest();

async function mountStandin(options: Record<string, unknown> = {}, tokens: TokenSet = first, dashboardId = 'dash-1') {
  const fake = createFakeContext({ tokens, options: { scriptUrl: STANDIN, ...options }, dashboardId });
  // Record what identity() asks of the session (the shared fake does not).
  const asked: (TokenRequestOptions | undefined)[] = [];
  const getTokens = fake.context.getTokens;
  fake.context.getTokens = (request) => {
    asked.push(request);
    return getTokens(request);
  };
  const container = mounts.container();
  const embed = mounts.track(await vizzly.mount(container, fake.context));
  const element = container.querySelector('vizzly-dashboard') as StandinElement;
  ok(element, '<vizzly-dashboard> is in the container');
  await waitFor(
    () => element.identityCalls >= 1 && (element.lastIdentity || element.errors.length),
    'the first identity() call',
  );
  return { fake, container, embed, element, asked };
}

afterEach(() => {
  delete window.__vizzlyStandin;
});

// These run first, while the page has no <vizzly-dashboard> yet (mocha keeps file order).
describe('vizzly adapter: loading the bundle', () => {
  it('fails with EmbedError "vendor" when the bundle is missing, before creating anything', async () => {
    const fake = createFakeContext({
      tokens: first,
      options: { scriptUrl: '/demo/standins/no-such-vizzly-bundle.js' },
    });
    const container = mounts.container();
    const error = await rejects(Promise.resolve(vizzly.mount(container, fake.context)));
    ok(isEmbedError(error));
    equal(error.code, 'vendor');
    equal(container.children.length, 0);
  });

  it('aborting during the script load mounts nothing', async () => {
    const fake = createFakeContext({
      tokens: first,
      options: { scriptUrl: `${STANDIN}?abort-during-load` },
      dashboardId: 'dash-1',
    });
    const container = mounts.container();
    const mounting = vizzly.mount(container, fake.context);
    fake.controller.abort();
    const error = await rejects(Promise.resolve(mounting));
    equal(error.name, 'AbortError');
    // Let the script finish loading and define the element: still nothing appears.
    await customElements.whenDefined('vizzly-dashboard');
    await new Promise((resolve) => setTimeout(resolve, 20));
    equal(container.children.length, 0);
  });

  it('uses an already defined <vizzly-dashboard> without loading another bundle', async () => {
    ok(customElements.get('vizzly-dashboard'), 'defined by the previous test');
    const { element } = await mountStandin({ scriptUrl: '/demo/standins/another-vizzly-bundle.js' });
    ok(![...document.scripts].some((script) => script.src.endsWith('/another-vizzly-bundle.js')), 'nothing loaded');
    deepEqual(element.errors, []);
  });
});

describe('toVizzlyIdentity', () => {
  it('returns exactly the Vizzly keys, omitting absent, null and empty ones and dropping others', () => {
    const tokens = {
      dashboardAccessToken: 'd',
      dataAccessToken: null,
      queryEngineAccessToken: '',
      projectAccessToken: 'p',
      expires: '2030-01-01T00:00:00Z',
      userId: 'u',
    };
    deepEqual(toVizzlyIdentity(tokens), { dashboardAccessToken: 'd' }, '0.4.16 rejects projectAccessToken');
    deepEqual(toVizzlyIdentity(tokens, true), { dashboardAccessToken: 'd', projectAccessToken: 'p' });
    deepEqual(toVizzlyIdentity({ dashboardAccessToken: 'd', dataAccessToken: 'a', queryEngineAccessToken: 'q' }), {
      dashboardAccessToken: 'd',
      dataAccessToken: 'a',
      queryEngineAccessToken: 'q',
    });
  });

  it('throws malformed-token without dashboardAccessToken, or with a non-string token, and never echoes a token', () => {
    for (const tokens of [
      {},
      { dashboardAccessToken: '' },
      { dashboardAccessToken: null, dataAccessToken: 'secret-data-token' },
    ]) {
      let error: unknown;
      try {
        toVizzlyIdentity(tokens);
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error), 'an EmbedError');
      equal(error.code, 'malformed-token');
      ok(!error.message.includes('secret-data-token'), 'no token in the message');
    }
    let error: unknown;
    try {
      toVizzlyIdentity({ dashboardAccessToken: 'secret-dash-token', dataAccessToken: 42 });
    } catch (caught) {
      error = caught;
    }
    ok(isEmbedError(error));
    equal(error.code, 'malformed-token');
    match(error.message, /dataAccessToken/);
    ok(!error.message.includes('secret-dash-token'));
  });
});

describe('vizzlyPullOptions and vizzlyMinValidityMs', () => {
  it('defaults to the 300 s pull of 0.4.16 without projectAccessToken; tokens must outlive a pull by 60 s', () => {
    deepEqual(vizzlyPullOptions({}), { pullIntervalSeconds: 300, acceptsProjectAccessToken: false });
    deepEqual(vizzlyPullOptions({ pullIntervalSeconds: 1200, acceptsProjectAccessToken: true }), {
      pullIntervalSeconds: 1200,
      acceptsProjectAccessToken: true,
    });
    equal(vizzlyMinValidityMs(300), 360_000);
    equal(vizzlyMinValidityMs(1200), 1_260_000);
  });

  it('rejects an interval that is not a number of seconds from 1 to a day, and a non-boolean flag', () => {
    for (const options of [
      { pullIntervalSeconds: 0 },
      { pullIntervalSeconds: -5 },
      { pullIntervalSeconds: '300' },
      { pullIntervalSeconds: Number.NaN },
      { pullIntervalSeconds: 300_000 },
      { acceptsProjectAccessToken: 'yes' },
    ]) {
      let error: unknown;
      try {
        vizzlyPullOptions(options);
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error), `an EmbedError for ${JSON.stringify(options)}`);
      equal(error.code, 'invalid-attribute');
      equal(error.attribute, 'vendor-options');
    }
  });
});

describe('vizzlyScriptUrl', () => {
  it("defaults to the pinned bundle on Vizzly's CDN, takes a version or a whole URL", () => {
    equal(vizzlyScriptUrl({}), `https://static.app.vizzly.co/embedded/${VIZZLY_DEFAULT_VERSION}/bundle.js`);
    equal(vizzlyScriptUrl({ version: '0.13.0' }), 'https://static.app.vizzly.co/embedded/0.13.0/bundle.js');
    equal(vizzlyScriptUrl({ scriptUrl: '/vendor/vizzly.js' }), '/vendor/vizzly.js');
  });

  it('rejects both options at once, a version that is not one path segment, or an empty URL', () => {
    for (const options of [
      { version: '1', scriptUrl: '/x.js' },
      { version: '../../evil' },
      { version: 12 },
      { scriptUrl: '' },
    ]) {
      let error: unknown;
      try {
        vizzlyScriptUrl(options);
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error), `an EmbedError for ${JSON.stringify(options)}`);
      equal(error.code, 'invalid-attribute');
      equal(error.attribute, 'vendor-options');
    }
  });
});

describe('buildVizzlyProps', () => {
  const identity = async () => ({ dashboardAccessToken: 'd' });

  it('passes options through except the loader ones, with dashboard-id and identity', () => {
    const props = buildVizzlyProps(
      {
        version: '0.13.0',
        parentDashboardId: 'parent-1',
        queryEngineEndpoint: 'https://qe.example.test',
        vizzlyApiHost: 'https://vizzly.example.test',
        theme: { rowLimit: 5 },
        dateFilterOptions: { last7: true },
        pullIntervalSeconds: 600,
        acceptsProjectAccessToken: true,
      },
      'dash-1',
      identity,
    );
    deepEqual(Object.keys(props).sort(), [
      'dashboardId',
      'dateFilterOptions',
      'identity',
      'parentDashboardId',
      'queryEngineEndpoint',
      'theme',
      'vizzlyApiHost',
    ]);
    equal(props.identity, identity);
    equal(props.dashboardId, 'dash-1');
    equal(props.parentDashboardId, 'parent-1');
    deepEqual(props['theme'], { rowLimit: 5 });
  });

  it('lets an empty dashboard-id fall back to a dashboardId option, and the attribute win over it', () => {
    equal(buildVizzlyProps({ dashboardId: 'from-options' }, '', identity).dashboardId, 'from-options');
    equal(buildVizzlyProps({ dashboardId: 'from-options' }, 'from-attribute', identity).dashboardId, 'from-attribute');
    ok(!('dashboardId' in buildVizzlyProps({}, '', identity)), 'no dashboardId key when none is given');
  });

  it('treats a null option as not set, as every adapter does: nothing is forwarded for it', () => {
    const props = buildVizzlyProps({ theme: null, vizzlyApiHost: null, scriptUrl: null }, '', identity);
    deepEqual(Object.keys(props), ['identity']);
    equal(
      vizzlyScriptUrl({ scriptUrl: null, version: null }),
      `https://static.app.vizzly.co/embedded/${VIZZLY_DEFAULT_VERSION}/bundle.js`,
    );
  });

  it('rejects an identity option and mistyped options', () => {
    for (const options of [{ identity: 'x' }, { vizzlyApiHost: 1 }, { theme: 'dark' }, { parentDashboardId: {} }]) {
      let error: unknown;
      try {
        buildVizzlyProps(options, '', identity);
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error), `an EmbedError for ${JSON.stringify(options)}`);
      equal(error.code, 'invalid-attribute');
      equal(error.attribute, 'vendor-options');
    }
  });
});

describe('vizzly adapter (with the local stand-in bundle)', () => {
  it('first render: <vizzly-dashboard> with the right props and an exact identity', async () => {
    const { element, fake, asked } = await mountStandin({
      parentDashboardId: 'parent-1',
      vizzlyApiHost: 'https://vizzly.example.test',
      theme: { rowLimit: 5 },
    });
    const props = element.props!;
    equal(props['dashboardId'], 'dash-1');
    equal(props['parentDashboardId'], 'parent-1');
    equal(props['vizzlyApiHost'], 'https://vizzly.example.test');
    deepEqual(props['theme'], { rowLimit: 5 });
    ok(!('scriptUrl' in props) && !('version' in props), 'loader options are not props');
    ok(!('pullIntervalSeconds' in props) && !('acceptsProjectAccessToken' in props), 'adapter options are not props');
    equal(typeof props['identity'], 'function');
    deepEqual(element.lastIdentity, {
      dashboardAccessToken: first['dashboardAccessToken'],
      dataAccessToken: first['dataAccessToken'],
    });
    deepEqual(element.errors, []);
    equal(element.renderCount, 1);
    equal(fake.calls.getTokens, 1, 'identity() read the session');
    deepEqual(asked, [{ minValidityMs: 360_000 }], 'tokens that outlive a 300 s pull by 60 s');
    equal(element.shadowRoot!.querySelector('[data-field="userReference"]')!.textContent, 'user-1');
  });

  it('update() does not re-render; the next identity() call returns the fresh tokens', async () => {
    window.__vizzlyStandin = { intervalMs: 40 };
    const { element, fake, embed, container } = await mountStandin();
    const second = {
      dashboardAccessToken: dashboardToken('user-1', { rotation: 2 }),
      dataAccessToken: jwt({ dataSetIds: '*', expires: inMinutes(60) }),
    };
    fake.setTokens(second);
    embed.update({ tokens: second, expiresAt: null });
    await waitFor(
      () => element.lastIdentity?.['dashboardAccessToken'] === second.dashboardAccessToken,
      'identity() to see the new tokens',
    );
    equal(element.renderCount, 1, 'render() called once');
    equal(container.querySelector('vizzly-dashboard'), element, 'same element');
    equal(container.children.length, 1);
    deepEqual(element.lastIdentity, second);
    deepEqual(element.errors, []);
    equal(element.claims!['rotation'], 2);
  });

  it('never gives Vizzly an extra key, a null or an empty string, even when the session has them', async () => {
    window.__vizzlyStandin = { intervalMs: 30 };
    const messy: TokenSet = {
      dashboardAccessToken: dashboardToken('user-2'),
      dataAccessToken: null,
      queryEngineAccessToken: '',
      projectAccessToken: undefined,
      expires: inMinutes(30),
      refreshToken: 'not-for-vizzly',
    };
    const { element } = await mountStandin({}, messy);
    await waitFor(() => element.identityCalls >= 3, 'three identity() calls');
    deepEqual(element.errors, [], 'the strict stand-in accepted every answer');
    deepEqual(element.lastIdentity, { dashboardAccessToken: messy['dashboardAccessToken'] });
  });

  it('asks for one configured pull interval plus the margin on every identity() call', async () => {
    window.__vizzlyStandin = { intervalMs: 30 };
    const { element, asked } = await mountStandin({ pullIntervalSeconds: 1200 });
    await waitFor(() => element.identityCalls >= 3, 'three identity() calls');
    ok(asked.length >= 3);
    for (const request of asked) deepEqual(request, { minValidityMs: 1_260_000 });
  });

  it('passes projectAccessToken only when acceptsProjectAccessToken says the bundle takes it', async () => {
    const tokens = {
      dashboardAccessToken: dashboardToken('user-3'),
      projectAccessToken: jwt({ projectId: 'prj_test' }),
    };
    const plain = await mountStandin({}, tokens);
    deepEqual(plain.element.errors, [], '0.4.16-like bundle: accepted without the key');
    deepEqual(plain.element.lastIdentity, { dashboardAccessToken: tokens.dashboardAccessToken });

    window.__vizzlyStandin = { acceptsProjectAccessToken: true };
    const newer = await mountStandin({ acceptsProjectAccessToken: true }, tokens);
    deepEqual(newer.element.errors, []);
    deepEqual(newer.element.lastIdentity, tokens);
  });

  it('the stand-in does reject an extra key, a null, an empty string and a missing dashboardAccessToken', async () => {
    await mountStandin(); // loads the bundle
    const bad = [
      { dashboardAccessToken: dashboardToken('u'), expires: 'x' },
      { dashboardAccessToken: dashboardToken('u'), projectAccessToken: dashboardToken('u') },
      { dashboardAccessToken: dashboardToken('u'), dataAccessToken: null },
      { dashboardAccessToken: dashboardToken('u'), queryEngineAccessToken: '' },
      { dataAccessToken: 'a' },
    ];
    for (const answer of bad) {
      const element = document.createElement('vizzly-dashboard') as StandinElement;
      mounts.container().append(element);
      await element.render({ identity: async () => answer });
      equal(element.errors.length, 1, `rejected ${JSON.stringify(Object.keys(answer))}`);
      equal(element.lastIdentity, undefined, 'kept no tokens');
      ok(element.shadowRoot!.querySelector('[role="alert"]:not([hidden])'), 'shows an error state');
      element.remove();
    }
  });

  it('a token whose claims hold ">=" decodes with atob; the same claims in raw base64url would not', async () => {
    const filters = { secureFilters: { ds_1: [{ field: 'amount', op: '>=', value: 100 }] } };
    // Find a payload where raw JSON hits base64url's '-' or '_' (the alignment decides), to prove the point.
    let raw = '';
    let userReference = '';
    for (const pad of ['', 'x', 'xx', 'xxx']) {
      userReference = `user-${pad}`;
      raw = jwt(
        { userReference, expires: inMinutes(30), ...filters },
        JSON.stringify({ userReference, expires: inMinutes(30), ...filters }),
      );
      if (/[-_]/.test(raw.split('.')[1]!)) break;
    }
    ok(/[-_]/.test(raw.split('.')[1]!), 'precondition: the raw payload has - or _');
    const safe = jwt({ userReference, expires: inMinutes(30), ...filters });
    ok(!/[-_]/.test(safe.split('.')[1]!), 'the escaped payload has neither');

    const { element } = await mountStandin({}, { dashboardAccessToken: safe });
    deepEqual(element.errors, []);
    deepEqual(element.claims!['secureFilters'], filters.secureFilters);
    equal(element.lastIdentity!['dashboardAccessToken'], safe, 'the adapter passes the token unchanged');

    const broken = await mountStandin({}, { dashboardAccessToken: raw });
    equal(broken.element.errors.length, 1);
    match(broken.element.errors[0]!, /atob/);
  });

  it('destroy() detaches the element and disarms identity(): the bundle timer gets no more tokens', async () => {
    window.__vizzlyStandin = { intervalMs: 20 };
    const { element, embed, container, fake } = await mountStandin();
    const tokensBefore = element.lastIdentity;
    embed.destroy();
    equal(container.children.length, 0);
    ok(!element.isConnected);
    const reads = fake.calls.getTokens;
    const calls = element.identityCalls;
    // Like Vizzly's element, the stand-in has no unmount: its timer keeps calling identity().
    await waitFor(() => element.identityCalls >= calls + 3, 'the orphaned timer to call identity() again');
    equal(fake.calls.getTokens, reads, 'no identity() call after destroy reached the session');
    equal(element.lastIdentity, tokensBefore, 'it got no new tokens');
    match(element.errors.at(-1)!, /removed/);
    const error = await rejects((element.props!['identity'] as () => Promise<unknown>)());
    equal(error.code, 'disposed');
  });

  it('a failed first identity() call is reported, and the next tokens render a new dashboard', async () => {
    window.__vizzlyStandin = { intervalMs: 30 };
    let reads = 0;
    const fake = createFakeContext({
      tokens: first,
      options: { scriptUrl: STANDIN },
      onGetTokens: () => {
        reads += 1;
        if (reads === 1) throw new Error('the identity endpoint is down');
        return first;
      },
    });
    const container = mounts.container();
    const embed = mounts.track(await vizzly.mount(container, fake.context));
    const broken = container.querySelector('vizzly-dashboard') as StandinElement;
    await waitFor(() => fake.reportedErrors.length === 1, 'the failure to be reported');
    ok(isEmbedError(fake.reportedErrors[0]));
    equal(fake.reportedErrors[0].code, 'vendor');
    match(fake.reportedErrors[0].message, /first identity\(\) call failed/);
    await waitFor(() => broken.identityCalls >= 2, 'a later pull');
    ok(broken.shadowRoot!.querySelector('[role="alert"]:not([hidden])'), 'its error screen stays up');

    embed.update({ tokens: first, expiresAt: null });
    const fresh = container.querySelector('vizzly-dashboard') as StandinElement;
    ok(fresh && fresh !== broken, 'a new <vizzly-dashboard>');
    equal(container.children.length, 1, 'the broken one is gone');
    await waitFor(() => fresh.lastIdentity !== undefined, 'the new dashboard to get tokens');
    deepEqual(fresh.errors, []);
    const calls = fake.calls.getTokens;
    await waitFor(() => fresh.identityCalls >= 3, "the new dashboard's pulls");
    ok(fake.calls.getTokens > calls, 'the new one reads the session');
    equal(fake.reportedErrors.length, 1, 'reported once');
    embed.update({ tokens: first, expiresAt: null });
    equal(container.querySelector('vizzly-dashboard'), fresh, 'a healthy dashboard is never replaced');
  });

  it('a failing first identity() call leaves the stand-in on its error screen, as Vizzly does', async () => {
    window.__vizzlyStandin = { intervalMs: 20 };
    await mountStandin(); // loads the bundle
    const element = document.createElement('vizzly-dashboard') as StandinElement;
    mounts.container().append(element);
    let calls = 0;
    await element.render({
      identity: async () => {
        calls += 1;
        if (calls === 1) throw new Error('first call fails');
        return { dashboardAccessToken: dashboardToken('late') };
      },
    });
    await waitFor(() => element.lastIdentity !== undefined, 'a later call to succeed');
    ok(element.shadowRoot!.querySelector('[role="alert"]:not([hidden])'), 'the error screen stays');
    element.remove();
  });

  it('aborting the signal after mounting removes the element', async () => {
    const { container, fake } = await mountStandin();
    fake.controller.abort();
    equal(container.children.length, 0);
  });

  it('rejects bad options and tokens before loading anything', async () => {
    const container = mounts.container();
    const badOptions = createFakeContext({ tokens: first, options: { scriptUrl: '/never-loaded.js', theme: 'dark' } });
    equal((await rejects(Promise.resolve(vizzly.mount(container, badOptions.context)))).code, 'invalid-attribute');
    const badTokens = createFakeContext({ tokens: { token: 'x' }, options: { scriptUrl: '/never-loaded.js' } });
    equal((await rejects(Promise.resolve(vizzly.mount(container, badTokens.context)))).code, 'malformed-token');
    ok(![...document.scripts].some((script) => script.src.endsWith('/never-loaded.js')), 'no script was requested');
  });
});
