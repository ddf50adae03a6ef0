import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as formant from '../../src/server/formant.js';
import type { IdentityRequestBody } from '../../src/server/types.js';
import {
  DEFAULT_TTL,
  EMAIL,
  isoAt,
  jwt,
  NOW_S,
  PASSWORD,
  REFRESH_TOKEN,
  useFormantStandIn,
} from './formant-standin.js';

const { standIn, credentials, rejects } = useFormantStandIn();

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
    assert.deepEqual(session, {
      accessToken: standIn.issued.at(-1),
      organizationId: 'org-1',
      userId: 'user-1',
      expiresAt: isoAt(NOW_S + DEFAULT_TTL),
    });
    assert.ok(!('refreshToken' in session));
  });

  it("errors carry Formant's message and never the password or refresh token", async () => {
    await rejects(formant.login({ ...credentials(), password: 'wrong' }), {
      code: 'upstream-http',
      status: 401,
      message: /Invalid email or password/,
    });
    standIn.override = (request) => ({
      status: 401,
      body: { message: `refresh token ${String(request.body.refreshToken)} expired` },
    });
    const error = await rejects(formant.refresh({ refreshToken: REFRESH_TOKEN, apiBaseUrl: standIn.url }), {
      code: 'upstream-http',
      status: 401,
    });
    assert.equal(error.vendorMessage, 'refresh token [redacted] expired');
  });

  it('a challenge (MFA) or a partial session → upstream-malformed saying why', async () => {
    standIn.override = () => ({ status: 200, body: { challenge: { type: 'totp' } } });
    await rejects(formant.login(credentials()), { code: 'upstream-malformed', message: /challenge/ });
    standIn.override = () => ({
      status: 200,
      body: { authentication: { accessToken: jwt({ exp: NOW_S }), userId: 'u' } },
    });
    await rejects(formant.login(credentials()), {
      code: 'upstream-malformed',
      message: /lacks accessToken, organizationId or userId/,
    });
    standIn.override = () => ({
      status: 200,
      body: { authentication: { accessToken: 'opaque', organizationId: 'o', userId: 'u' } },
    });
    standIn.issued.push('opaque');
    await rejects(formant.refresh({ refreshToken: REFRESH_TOKEN, apiBaseUrl: standIn.url }), {
      code: 'upstream-malformed',
      message: /not a JWT/,
    });
  });

  it('refuses a missing refresh token without calling Formant', async () => {
    await rejects(formant.refresh({ refreshToken: '', apiBaseUrl: standIn.url }), {
      code: 'invalid-input',
      message: /refreshToken is required/,
    });
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

  it("logs in with the app's scope and answers {tokens: {accessToken}, expiresAt, expiresIn}", async () => {
    const seen: unknown[] = [];
    const body: IdentityRequestBody = { vendor: 'formant', dashboardId: 'view-1', context: {} };
    const answer = await provider({
      roleId: 'viewer-role',
      tokenExpirationSeconds: 600,
      scope: (u, b) => (seen.push(u, b), scope(u)),
    })({ user, request, body });
    assert.deepEqual(seen, [user, body]);
    assert.deepEqual(standIn.requests[0]?.body, {
      email: EMAIL,
      password: PASSWORD,
      scope: { tags: { site: ['albuquerque'] }, events: null },
      roleId: 'viewer-role',
      tokenExpirationSeconds: 600,
    });
    assert.deepEqual(answer, {
      tokens: { accessToken: standIn.issued.at(-1) },
      expiresAt: isoAt(NOW_S + 600),
      expiresIn: 599,
    });
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
    assert.deepEqual(standIn.requests[0]?.body, {
      email: EMAIL,
      password: PASSWORD,
      scope: { tags: { site: ['albuquerque'] }, events: null },
    });
  });

  it('refuses a bad scope from the app without calling Formant', async () => {
    await rejects(
      provider({ scope: () => ({ tags: { site: 'albuquerque' } }) as never })({
        user,
        request,
        body: { vendor: 'formant', context: {} },
      }),
      {
        code: 'invalid-input',
        message: /scope\.tags\.site must be an array/,
      },
    );
    await rejects(
      provider({ scope: () => undefined as never })({ user, request, body: { vendor: 'formant', context: {} } }),
      {
        code: 'invalid-input',
        message: /scope\(user, body\) returned a bad value/,
      },
    );
    assert.equal(standIn.requests.length, 0);
  });

  it('refuses a bad configuration when created, without the password in the message', () => {
    const make = (options: Record<string, unknown>) => () =>
      formant.identityProvider({ ...credentials(), scope, ...options } as never);
    assert.throws(make({ scope: { tags: {} } }), /scope\(user, body\) is required/);
    assert.throws(make({ password: '' }), /password is required/);
    assert.throws(make({ tokenExpirationSeconds: -5 }), /tokenExpirationSeconds/);
    assert.throws(make({ roleId: 7 }), /roleId/);
    assert.throws(
      make({ apiBaseUrl: 'nope' }),
      (error: Error) => !error.message.includes(PASSWORD) && /apiBaseUrl/.test(error.message),
    );
  });

  it("passes Formant's refusals through without the password", async () => {
    await rejects(provider({ password: `${PASSWORD}!` })({ user, request, body: { vendor: 'formant', context: {} } }), {
      code: 'upstream-http',
      status: 401,
    });
  });
});
