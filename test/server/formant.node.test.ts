import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import * as formant from '../../src/server/formant.js';
import { EmbedServerError } from '../../src/server/errors.js';
import { decodeBase64Url, readJwtPayload, readJwtTimes } from '../../src/server/jwt-exp.js';
import type { IdentityRequestBody } from '../../src/server/types.js';

const EMAIL = 'embed-bot@acme.test';
const PASSWORD = 'S3rvice-Acc0unt"Pa$$/word';
const REFRESH_TOKEN = 'rt-5b8f0a1c-secret-refresh';
/** The stand-in's clock, in seconds: tokens expire at NOW_S + lifetime. */
const NOW_S = Date.parse('2026-11-22T10:00:00.000Z') / 1000;
const DEFAULT_TTL = 3600;

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A real-shaped JWT (HS256 header, random signature: nobody checks it here). */
function jwt(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url(payload)}.${randomBytes(32).toString('base64url')}`;
}

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}
type Answer = { status: number; body?: unknown; raw?: string };

/** A stand-in for Formant's auth API: records each request and answers like the vendor. */
class FormantStandIn {
  requests: Recorded[] = [];
  override: ((request: Recorded) => Answer) | undefined;
  issued: string[] = [];
  url = '';
  private server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : {} };
      this.requests.push(recorded);
      const answer = this.override ? this.override(recorded) : this.vendor(recorded);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
    });
  });

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests = [];
    this.override = undefined;
  }

  private token(body: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
    const ttl = typeof body.tokenExpirationSeconds === 'number' ? body.tokenExpirationSeconds : DEFAULT_TTL;
    const token = jwt({ sub: 'user-1', 'formant:claims': { organizationId: 'org-1' }, iat: NOW_S, exp: NOW_S + ttl, ...extra });
    this.issued.push(token);
    return token;
  }

  private vendor(request: Recorded): Answer {
    const { body } = request;
    if (request.method !== 'POST') return { status: 405, body: { message: 'Method not allowed' } };
    const signedIn = body.email === EMAIL && body.password === PASSWORD;
    const authentication = () => ({ accessToken: this.token(body), organizationId: 'org-1', userId: 'user-1' });
    switch (request.path) {
      case '/v1/admin/auth/login-embed':
        if (!signedIn) return { status: 401, body: { message: 'Invalid email or password' } };
        if (body.roleId === 'forbidden-role') return { status: 403, body: { message: 'Forbidden' } };
        return { status: 200, body: { accessToken: this.token(body, { 'formant:scope': body.scope }) } };
      case '/v1/admin/auth/login':
        if (!signedIn) return { status: 401, body: { message: 'Invalid email or password' } };
        return { status: 200, body: { authentication: { ...authentication(), refreshToken: REFRESH_TOKEN } } };
      case '/v1/admin/auth/refresh':
        if (body.refreshToken !== REFRESH_TOKEN) return { status: 401, body: { message: 'Invalid refresh token' } };
        return { status: 200, body: { authentication: authentication() } };
      default:
        return { status: 404, body: { message: 'Not found' } };
    }
  }
}

const standIn = new FormantStandIn();
before(() => standIn.start());
after(() => standIn.stop());
beforeEach(() => standIn.reset());

const credentials = () => ({ email: EMAIL, password: PASSWORD, apiBaseUrl: standIn.url });
const isoAt = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Asserts a rejection with an EmbedServerError that never mentions a secret; returns it. */
async function rejects(promise: Promise<unknown>, expected: { code: string; status?: number; message?: RegExp }) {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EmbedServerError, `expected EmbedServerError, got ${String(error)}`);
  assert.equal(error.code, expected.code, error.message);
  if (expected.status !== undefined) assert.equal(error.status, expected.status);
  if (expected.message) assert.match(error.message, expected.message);
  const texts = [error.message, error.vendorMessage ?? '', error.vendorCode ?? '', error.stack ?? '', JSON.stringify({ ...error })];
  for (const secret of [PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), REFRESH_TOKEN, ...standIn.issued]) {
    for (const text of texts) assert.ok(!text.includes(secret), `a secret leaked into: ${text}`);
  }
  return error;
}

describe('jwt-exp', () => {
  it('reads exp and iat from a JWT, and nothing else', () => {
    assert.deepEqual(readJwtTimes(jwt({ exp: 2000000000, iat: 1900000000, sub: 'x' })), { exp: 2000000000, iat: 1900000000 });
    assert.deepEqual(readJwtTimes(jwt({ sub: 'x', exp: '2000000000' })), {});
  });

  it('decodes base64url payloads with - and _ and non-ASCII text', () => {
    const payload = { name: 'Zoë ~>?? ☃', op: '>=', exp: 1 };
    const token = jwt(payload);
    assert.match(token.split('.')[1] ?? '', /[-_]/);
    assert.deepEqual(readJwtPayload(token), payload);
  });

  it('is not fooled by things that are not JWTs', () => {
    for (const token of ['', 'abc', 'a.b', 'a.b.c.d', `${b64url({})}.${b64url([1])}.x`, `${b64url({})}.not+base64.x`, `${b64url({})}.${b64url('s')}.x`, `x.${Buffer.from([0xff, 0xfe]).toString('base64url')}.x`]) {
      assert.equal(readJwtTimes(token), undefined, token);
    }
  });

  it('decodeBase64Url agrees with Node\'s decoder for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, padded) => {
        const text = Buffer.from(bytes).toString(padded ? 'base64' : 'base64url');
        const urlSafe = padded ? text.replace(/\+/g, '-').replace(/\//g, '_') : text;
        assert.deepEqual(decodeBase64Url(urlSafe), new Uint8Array(bytes));
      }),
    );
    assert.equal(decodeBase64Url('a'), undefined);
    assert.equal(decodeBase64Url('ab+c'), undefined);
  });
});

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
    const result = await formant.loginEmbed({ ...credentials(), scope, roleId: 'viewer-role', tokenExpirationSeconds: 900 });
    assert.deepEqual(standIn.requests[0]?.body, { email: EMAIL, password: PASSWORD, scope, roleId: 'viewer-role', tokenExpirationSeconds: 900 });
    assert.equal(result.expiresAt, isoAt(NOW_S + 900));
  });

  it('accepts Formant\'s documented "no access" form {tags: {devices: null}} and drops undefined keys', async () => {
    await formant.loginEmbed({ ...credentials(), scope: { tags: { devices: null, site: undefined as never }, events: undefined } });
    assert.deepEqual(standIn.requests[0]?.body.scope, { tags: { devices: null } });
  });

  it('keeps an apiBaseUrl path prefix; defaults to api.formant.io', async () => {
    standIn.override = () => ({ status: 200, body: { accessToken: jwt({ exp: NOW_S }) } });
    await formant.loginEmbed({ ...credentials(), apiBaseUrl: `${standIn.url}/formant/`, scope: { tags: {} } });
    assert.equal(standIn.requests[0]?.path, '/formant/v1/admin/auth/login-embed');
    assert.equal(formant.DEFAULT_API_BASE_URL, 'https://api.formant.io');
  });

  it('a wrong password → upstream-http 401 with Formant\'s message and what to check, no password', async () => {
    const error = await rejects(formant.loginEmbed({ ...credentials(), password: `${PASSWORD}x`, scope: { tags: {} } }), {
      code: 'upstream-http',
      status: 401,
      message: /email and password.*Formant said: Invalid email or password/,
    });
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
      standIn.override = (request) => ({ status, body: { code: String(request.body.password), message: `bad request ${JSON.stringify(request.body)}` } });
      const error = await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), { code: 'upstream-http', status });
      assert.match(error.vendorMessage ?? '', /\[redacted\]/);
      assert.equal(error.retriable, status === 500);
    }
    standIn.override = (request) => ({ status: 200, body: { message: `no token for ${String(request.body.password)}` } });
    await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), { code: 'upstream-malformed', message: /without an accessToken/ });
  });

  it('a token that is not a JWT with exp → upstream-malformed, without echoing the token', async () => {
    for (const accessToken of ['opaque-token-value', jwt({ sub: 'x' }), `${b64url({})}.${b64url({ exp: 'soon' })}.sig`]) {
      standIn.override = () => ({ status: 200, body: { accessToken } });
      standIn.issued.push(accessToken);
      await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), { code: 'upstream-malformed', message: /not a JWT with an exp claim/ });
    }
    standIn.override = () => ({ status: 200, raw: 'ok' });
    await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} } }), { code: 'upstream-malformed' });
  });

  it('an unreachable Formant → upstream-network', async () => {
    await rejects(formant.loginEmbed({ ...credentials(), apiBaseUrl: 'http://127.0.0.1:1', scope: { tags: {} } }), { code: 'upstream-network' });
  });
});

describe('formant scope and option validation (nothing is sent)', () => {
  const bad: [what: string, scope: unknown, says: RegExp][] = [
    ['no scope', undefined, /scope must be an object.*\{tags: \{\}\}/],
    ['a null scope', null, /scope must be an object/],
    ['scope without tags', { devices: { site: ['a'] } }, /scope\.tags is required/],
    ['tags null', { tags: null }, /scope\.tags must be a tag set/],
    ['tags as an array', { tags: [['site', 'a']] }, /scope\.tags must be a tag set/],
    ['a tag value as a string', { tags: { site: 'albuquerque' } }, /scope\.tags\.site must be an array of tag values, e\.g\. \["albuquerque"\]/],
    ['an empty tag value list', { tags: { site: [] } }, /scope\.tags\.site is an empty list/],
    ['a non-string tag value', { tags: { site: ['a', 3] } }, /scope\.tags\.site\[1\] must be a string/],
    ['devices as a string', { tags: {}, devices: 'all' }, /scope\.devices must be a tag set/],
    ['a devices tag value as a string', { tags: {}, devices: { manufacturer: 'acme' } }, /scope\.devices\.manufacturer must be an array/],
    ['events as a boolean', { tags: {}, events: false }, /scope\.events must be a tag set/],
    ['an unknown resource as a number', { tags: {}, assets: 3 }, /scope\.assets must be null \(no access\), an object or an array/],
  ];
  for (const [what, scope, says] of bad) {
    it(`refuses ${what}`, async () => {
      await rejects(formant.loginEmbed({ ...credentials(), scope: scope as formant.FormantScope }), { code: 'invalid-input', message: says });
      assert.equal(standIn.requests.length, 0);
    });
  }

  const badOptions: [what: string, change: Record<string, unknown>, says: RegExp][] = [
    ['no email', { email: '' }, /email is required/],
    ['no password', { password: undefined }, /password is required/],
    ['a zero lifetime', { tokenExpirationSeconds: 0 }, /tokenExpirationSeconds must be a positive whole number/],
    ['a fractional lifetime', { tokenExpirationSeconds: 1.5 }, /tokenExpirationSeconds must be a positive whole number/],
    ['an empty roleId', { roleId: '' }, /roleId must be a non-empty string/],
    ['a bad apiBaseUrl', { apiBaseUrl: 'api.formant.io' }, /apiBaseUrl must be an http\(s\) URL/],
  ];
  for (const [what, change, says] of badOptions) {
    it(`refuses ${what}`, async () => {
      await rejects(formant.loginEmbed({ ...credentials(), scope: { tags: {} }, ...change } as formant.LoginEmbedOptions), { code: 'invalid-input', message: says });
      assert.equal(standIn.requests.length, 0);
    });
  }
});

describe('formant.login and formant.refresh', () => {
  it('login POSTs exactly email and password (and the lifetime) and reads the session', async () => {
    const session = await formant.login({ ...credentials(), tokenExpirationSeconds: 120 });
    assert.equal(standIn.requests[0]?.path, '/v1/admin/auth/login');
    assert.deepEqual(standIn.requests[0]?.body, { email: EMAIL, password: PASSWORD, tokenExpirationSeconds: 120 });
    assert.deepEqual(session, {
      accessToken: standIn.issued.at(-1),
      organizationId: 'org-1',
      userId: 'user-1',
      refreshToken: REFRESH_TOKEN,
      expiresAt: isoAt(NOW_S + 120),
    });
  });

  it('refresh POSTs exactly the refresh token; no refreshToken key when Formant issues none', async () => {
    const session = await formant.refresh({ refreshToken: REFRESH_TOKEN, apiBaseUrl: standIn.url });
    assert.equal(standIn.requests[0]?.path, '/v1/admin/auth/refresh');
    assert.deepEqual(standIn.requests[0]?.body, { refreshToken: REFRESH_TOKEN });
    assert.deepEqual(session, { accessToken: standIn.issued.at(-1), organizationId: 'org-1', userId: 'user-1', expiresAt: isoAt(NOW_S + DEFAULT_TTL) });
    assert.ok(!('refreshToken' in session));
  });

  it('errors carry Formant\'s message and never the password or refresh token', async () => {
    await rejects(formant.login({ ...credentials(), password: 'wrong' }), { code: 'upstream-http', status: 401, message: /Invalid email or password/ });
    standIn.override = (request) => ({ status: 401, body: { message: `refresh token ${String(request.body.refreshToken)} expired` } });
    const error = await rejects(formant.refresh({ refreshToken: REFRESH_TOKEN, apiBaseUrl: standIn.url }), { code: 'upstream-http', status: 401 });
    assert.equal(error.vendorMessage, 'refresh token [redacted] expired');
  });

  it('a challenge (MFA) or a partial session → upstream-malformed saying why', async () => {
    standIn.override = () => ({ status: 200, body: { challenge: { type: 'totp' } } });
    await rejects(formant.login(credentials()), { code: 'upstream-malformed', message: /challenge/ });
    standIn.override = () => ({ status: 200, body: { authentication: { accessToken: jwt({ exp: NOW_S }), userId: 'u' } } });
    await rejects(formant.login(credentials()), { code: 'upstream-malformed', message: /lacks accessToken, organizationId or userId/ });
    standIn.override = () => ({ status: 200, body: { authentication: { accessToken: 'opaque', organizationId: 'o', userId: 'u' } } });
    standIn.issued.push('opaque');
    await rejects(formant.refresh({ refreshToken: REFRESH_TOKEN, apiBaseUrl: standIn.url }), { code: 'upstream-malformed', message: /not a JWT/ });
  });

  it('refuses a missing refresh token without calling Formant', async () => {
    await rejects(formant.refresh({ refreshToken: '', apiBaseUrl: standIn.url }), { code: 'invalid-input', message: /refreshToken is required/ });
    assert.equal(standIn.requests.length, 0);
  });
});

describe('formant.identityProvider', () => {
  const request = new Request('http://app.test/api/embed/identity', { method: 'POST' });
  const user = { id: 'u-1', site: 'albuquerque' };
  type User = typeof user;
  const scope = (u: User) => ({ tags: { site: [u.site] }, events: null });
  const provider = (extra: Partial<formant.FormantProviderOptions<User>> = {}) =>
    formant.identityProvider<User>({ ...credentials(), scope, now: () => NOW_S * 1000 + 250, ...extra });

  it('logs in with the app\'s scope and answers {tokens: {accessToken}, expiresAt, expiresIn}', async () => {
    const seen: unknown[] = [];
    const body: IdentityRequestBody = { vendor: 'formant', dashboardId: 'view-1', context: {} };
    const answer = await provider({ roleId: 'viewer-role', tokenExpirationSeconds: 600, scope: (u, b) => (seen.push(u, b), scope(u)) })({ user, request, body });
    assert.deepEqual(seen, [user, body]);
    assert.deepEqual(standIn.requests[0]?.body, {
      email: EMAIL,
      password: PASSWORD,
      scope: { tags: { site: ['albuquerque'] }, events: null },
      roleId: 'viewer-role',
      tokenExpirationSeconds: 600,
    });
    assert.deepEqual(answer, { tokens: { accessToken: standIn.issued.at(-1) }, expiresAt: isoAt(NOW_S + 600), expiresIn: 599 });
  });

  it('nothing in the request body can set the scope, role or lifetime', async () => {
    const attack = {
      vendor: 'formant',
      scope: { tags: {} },
      roleId: 'admin',
      tokenExpirationSeconds: 99999999,
      context: { scope: { tags: {} }, tags: {}, devices: { all: ['*'] }, roleId: 'admin' },
    } as unknown as IdentityRequestBody;
    await provider()({ user, request, body: attack });
    await provider()({ user, request, body: { vendor: 'formant', context: {} } });
    assert.equal(standIn.requests.length, 2);
    assert.deepEqual(standIn.requests[0]?.body, standIn.requests[1]?.body);
    assert.deepEqual(standIn.requests[0]?.body, { email: EMAIL, password: PASSWORD, scope: { tags: { site: ['albuquerque'] }, events: null } });
  });

  it('refuses a bad scope from the app without calling Formant', async () => {
    await rejects(provider({ scope: () => ({ tags: { site: 'albuquerque' } }) as never })({ user, request, body: { vendor: 'formant', context: {} } }), {
      code: 'invalid-input',
      message: /scope\.tags\.site must be an array/,
    });
    await rejects(provider({ scope: () => undefined as never })({ user, request, body: { vendor: 'formant', context: {} } }), {
      code: 'invalid-input',
      message: /scope\(user, body\) returned a bad value/,
    });
    assert.equal(standIn.requests.length, 0);
  });

  it('refuses a bad configuration when created, without the password in the message', () => {
    const make = (options: Record<string, unknown>) => () => formant.identityProvider({ ...credentials(), scope, ...options } as never);
    assert.throws(make({ scope: { tags: {} } }), /scope\(user, body\) is required/);
    assert.throws(make({ password: '' }), /password is required/);
    assert.throws(make({ tokenExpirationSeconds: -5 }), /tokenExpirationSeconds/);
    assert.throws(make({ roleId: 7 }), /roleId/);
    assert.throws(make({ apiBaseUrl: 'nope' }), (error: Error) => !error.message.includes(PASSWORD) && /apiBaseUrl/.test(error.message));
  });

  it('passes Formant\'s refusals through without the password', async () => {
    await rejects(provider({ password: `${PASSWORD}!` })({ user, request, body: { vendor: 'formant', context: {} } }), { code: 'upstream-http', status: 401 });
  });
});
