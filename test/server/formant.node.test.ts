import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as formant from '../../src/server/formant.js';
import { b64url, DEFAULT_TTL, EMAIL, isoAt, jwt, NOW_S, PASSWORD, useFormantStandIn } from './formant-standin.js';

const { standIn, credentials, rejects } = useFormantStandIn();

describe('formant.loginEmbed', () => {
  it('POSTs exactly email, password and scope to /v1/admin/auth/login-embed; expiresAt from the JWT exp', async () => {
    const result = await formant.loginEmbed({ ...credentials(), scope: { tags: {} } });
    const [request] = standIn.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/v1/admin/auth/login-embed');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers.authorization, undefined);
    assert.deepEqual(request?.body, { email: EMAIL, password: PASSWORD, scope: { tags: {} } });
    assert.deepEqual(result, { accessToken: standIn.issued.at(-1), expiresAt: isoAt(NOW_S + DEFAULT_TTL) });
  });

  it('sends roleId, tokenExpirationSeconds and a full scope when given', async () => {
    const scope = {
      tags: { site: ['albuquerque'], fruit: ['cherry', 'plum'] },
      devices: { manufacturer: ['acme', 'roadrunner'] },
      events: null,
      views: ['view-1'],
      annotations: { kind: ['note'] },
    };
    const result = await formant.loginEmbed({
      ...credentials(),
      scope,
      roleId: 'viewer-role',
      tokenExpirationSeconds: 900,
    });
    assert.deepEqual(standIn.requests[0]?.body, {
      email: EMAIL,
      password: PASSWORD,
      scope,
      roleId: 'viewer-role',
      tokenExpirationSeconds: 900,
    });
    assert.equal(result.expiresAt, isoAt(NOW_S + 900));
  });

  it('accepts Formant\'s documented "no access" form {tags: {devices: null}} and drops undefined keys', async () => {
    await formant.loginEmbed({
      ...credentials(),
      scope: { tags: { devices: null, site: undefined as never }, events: undefined },
    });
    assert.deepEqual(standIn.requests[0]?.body.scope, { tags: { devices: null } });
  });

  it('keeps an apiBaseUrl path prefix; defaults to api.formant.io', async () => {
    standIn.override = () => ({ status: 200, body: { accessToken: jwt({ exp: NOW_S }) } });
    await formant.loginEmbed({ ...credentials(), apiBaseUrl: `${standIn.url}/formant/`, scope: { tags: {} } });
    assert.equal(standIn.requests[0]?.path, '/formant/v1/admin/auth/login-embed');
    assert.equal(formant.DEFAULT_API_BASE_URL, 'https://api.formant.io');
  });

  it("a wrong password → upstream-http 401 with Formant's message and what to check, no password", async () => {
    const error = await rejects(
      formant.loginEmbed({ ...credentials(), password: `${PASSWORD}x`, scope: { tags: {} } }),
      {
        code: 'upstream-http',
        status: 401,
        message: /email and password.*Formant said: Invalid email or password/,
      },
    );
    assert.equal(error.vendorMessage, 'Invalid email or password');
    assert.equal(error.retriable, false);
  });

  it('a role the service account may not use → 403 pointing at role permissions', async () => {
    await rejects(formant.loginEmbed({ ...credentials(), roleId: 'forbidden-role', scope: { tags: {} } }), {
      code: 'upstream-http',
      status: 403,
      message: /viewer permission on that role/,
    });
  });

  it('never repeats the password, even when Formant echoes the request', async () => {
    for (const status of [400, 500]) {
      standIn.override = (request) => ({
        status,
        body: { code: String(request.body.password), message: `bad request ${JSON.stringify(request.body)}` },
      });
      const error = await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), {
        code: 'upstream-http',
        status,
      });
      assert.match(error.vendorMessage ?? '', /\[redacted\]/);
      assert.equal(error.retriable, status === 500);
    }
    standIn.override = (request) => ({
      status: 200,
      body: { message: `no token for ${String(request.body.password)}` },
    });
    await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), {
      code: 'upstream-malformed',
      message: /without an accessToken/,
    });
  });

  it('a token that is not a JWT with exp → upstream-malformed, without echoing the token', async () => {
    for (const accessToken of [
      'opaque-token-value',
      jwt({ sub: 'x' }),
      `${b64url({})}.${b64url({ exp: 'soon' })}.sig`,
    ]) {
      standIn.override = () => ({ status: 200, body: { accessToken } });
      standIn.issued.push(accessToken);
      await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), {
        code: 'upstream-malformed',
        message: /not a JWT with an exp claim/,
      });
    }
    standIn.override = () => ({ status: 200, raw: 'ok' });
    await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), { code: 'upstream-malformed' });
  });

  it('an unreachable Formant → upstream-network', async () => {
    await rejects(formant.loginEmbed({ ...credentials(), apiBaseUrl: 'http://127.0.0.1:1', scope: { tags: {} } }), {
      code: 'upstream-network',
    });
  });
});

describe('formant scope and option validation (nothing is sent)', () => {
  const bad: [what: string, scope: unknown, says: RegExp][] = [
    ['no scope', undefined, /scope must be an object.*\{tags: \{\}\}/],
    ['a null scope', null, /scope must be an object/],
    ['scope without tags', { devices: { site: ['a'] } }, /scope\.tags is required/],
    ['tags null', { tags: null }, /scope\.tags must be a tag set/],
    ['tags as an array', { tags: [['site', 'a']] }, /scope\.tags must be a tag set/],
    [
      'a tag value as a string',
      { tags: { site: 'albuquerque' } },
      /scope\.tags\.site must be an array of tag values, e\.g\. \["albuquerque"\]/,
    ],
    ['an empty tag value list', { tags: { site: [] } }, /scope\.tags\.site is an empty list/],
    ['a non-string tag value', { tags: { site: ['a', 3] } }, /scope\.tags\.site\[1\] must be a string/],
    ['devices as a string', { tags: {}, devices: 'all' }, /scope\.devices must be a tag set/],
    [
      'a devices tag value as a string',
      { tags: {}, devices: { manufacturer: 'acme' } },
      /scope\.devices\.manufacturer must be an array/,
    ],
    ['events as a boolean', { tags: {}, events: false }, /scope\.events must be a tag set/],
    [
      'an unknown resource as a number',
      { tags: {}, assets: 3 },
      /scope\.assets must be null \(no access\), an object or an array/,
    ],
  ];
  for (const [what, scope, says] of bad) {
    it(`refuses ${what}`, async () => {
      await rejects(formant.loginEmbed({ ...credentials(), scope: scope as formant.FormantScope }), {
        code: 'invalid-input',
        message: says,
      });
      assert.equal(standIn.requests.length, 0);
    });
  }

  const badOptions: [what: string, change: Record<string, unknown>, says: RegExp][] = [
    ['no email', { email: '' }, /email is required/],
    ['no password', { password: undefined }, /password is required/],
    ['a zero lifetime', { tokenExpirationSeconds: 0 }, /tokenExpirationSeconds must be a positive whole number/],
    [
      'a fractional lifetime',
      { tokenExpirationSeconds: 1.5 },
      /tokenExpirationSeconds must be a positive whole number/,
    ],
    ['an empty roleId', { roleId: '' }, /roleId must be a non-empty string/],
    ['a bad apiBaseUrl', { apiBaseUrl: 'api.formant.io' }, /apiBaseUrl must be an http\(s\) URL/],
  ];
  for (const [what, change, says] of badOptions) {
    it(`refuses ${what}`, async () => {
      await rejects(
        formant.loginEmbed({ ...credentials(), scope: { tags: {} }, ...change } as formant.LoginEmbedOptions),
        { code: 'invalid-input', message: says },
      );
      assert.equal(standIn.requests.length, 0);
    });
  }
});
