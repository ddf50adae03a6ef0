import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../../src/server/looker/client.js';
import type { LookerClient } from '../../src/server/looker/client.js';
import { CLIENT_ID, CLIENT_SECRET, standinClient, useLookerStandin } from './looker-standin.js';
import type { Standin } from './looker-standin.js';
import { rejection } from './rejection.js';

let standin: Standin;
let clock: number;
let client: LookerClient;

useLookerStandin((started) => {
  standin = started;
  clock = 1_700_000_000_000;
  client = standinClient(standin, () => clock);
});

describe('looker client: login', () => {
  it('posts the API key form-urlencoded to /api/4.0/login and answers the access token', async () => {
    const token = await client.login();
    assert.match(token, /^admin-token-/);
    const [request, ...rest] = standin.to('POST', '/api/4.0/login');
    assert.equal(rest.length, 0);
    assert.equal(request!.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request!.headers.authorization, undefined);
    const form = new URLSearchParams(request!.body);
    assert.deepEqual([...form.keys()].sort(), ['client_id', 'client_secret']);
    assert.equal(form.get('client_id'), CLIENT_ID);
    assert.equal(form.get('client_secret'), CLIENT_SECRET);
  });

  it('uses the configured API version in every path', async () => {
    const seen: string[] = [];
    const versioned = createClient({
      baseUrl: `${standin.baseUrl}/`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiVersion: '4.1',
      fetch: async (input) => {
        seen.push(new URL(String(input)).pathname);
        return new Response(JSON.stringify({ access_token: 'x-token', expires_in: 3600 }), { status: 200 });
      },
    });
    await versioned.login();
    assert.deepEqual(seen, ['/api/4.1/login']);
  });

  it('caches the token: a second call makes no request', async () => {
    const first = await client.login();
    clock += 3000_000;
    assert.equal(await client.login(), first);
    assert.equal(standin.to('POST', '/api/4.0/login').length, 1);
  });

  it('shares one login between 10 concurrent callers', async () => {
    standin.loginDelayMs = 50;
    const tokens = await Promise.all(Array.from({ length: 10 }, () => client.login()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(standin.to('POST', '/api/4.0/login').length, 1);
  });

  it('treats the token as expired 10 s before expires_in', async () => {
    standin.tokenExpiresIn = 100;
    const first = await client.login();
    clock += 89_999;
    assert.equal(await client.login(), first, 'still valid 10.001 s before expiry');
    clock += 1;
    const second = await client.login();
    assert.notEqual(second, first, 'replaced exactly 10 s before expiry');
    assert.equal(standin.to('POST', '/api/4.0/login').length, 2);
  });

  it('does not cache a failed login: the next call tries again', async () => {
    standin.replyOnce('POST', '/api/4.0/login', {
      status: 503,
      body: { message: 'Maintenance', documentation_url: 'x' },
    });
    const error = await rejection(client.login());
    assert.equal(error.status, 503);
    assert.equal(error.retriable, true);
    assert.match(await client.login(), /^admin-token-/);
  });

  it('reports wrong credentials with a hint and without the secret', async () => {
    const wrongSecret = 'wrong-secret-value-123';
    const bad = createClient({ baseUrl: standin.baseUrl, clientId: CLIENT_ID, clientSecret: wrongSecret });
    const error = await rejection(bad.login());
    assert.equal(error.code, 'upstream-http');
    assert.equal(error.status, 404);
    assert.match(error.message, /clientId and clientSecret/);
    assert.ok(!error.message.includes(wrongSecret));
    assert.ok(!JSON.stringify(error).includes(wrongSecret));
  });

  it('validates its options with invalid-input errors', () => {
    assert.throws(() => createClient({ baseUrl: 'looker.example.com', clientId: 'a', clientSecret: 'b' }), {
      code: 'invalid-input',
      message: /baseUrl/,
    });
    assert.throws(() => createClient({ baseUrl: 'https://x.looker.com', clientId: '', clientSecret: 'b' }), {
      code: 'invalid-input',
      message: /clientId/,
    });
    assert.throws(() => createClient({ baseUrl: 'https://x.looker.com', clientId: 'a', clientSecret: '' }), {
      code: 'invalid-input',
      message: /clientSecret/,
    });
    assert.throws(
      () => createClient({ baseUrl: 'https://x.looker.com', clientId: 'a', clientSecret: 'b', apiVersion: '/4.0' }),
      { code: 'invalid-input', message: /apiVersion/ },
    );
  });
});

describe('looker client: authenticated calls', () => {
  it('sends Authorization: Bearer <token>', async () => {
    const token = await client.login();
    await client.loginUser(7);
    assert.equal(standin.to('POST', '/api/4.0/login/7')[0]!.headers.authorization, `Bearer ${token}`);
  });

  it('after a 401 logs in again once and retries with the new token', async () => {
    const stale = await client.login();
    standin.revokeAllTokens();
    const userToken = await client.loginUser('42');
    assert.match(userToken, /^user42-token-/);
    const calls = standin.to('POST', '/api/4.0/login/42');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.headers.authorization, `Bearer ${stale}`);
    const fresh = await client.login();
    assert.notEqual(fresh, stale);
    assert.equal(calls[1]!.headers.authorization, `Bearer ${fresh}`);
    assert.equal(standin.to('POST', '/api/4.0/login').length, 2);
  });

  it('retries only once: a second 401 is reported', async () => {
    await client.login();
    standin.replyOnce('POST', '/api/4.0/login/5', { status: 401, body: { message: 'Requires authentication.' } });
    standin.replyOnce('POST', '/api/4.0/login/5', { status: 401, body: { message: 'Requires authentication.' } });
    const error = await rejection(client.loginUser(5));
    assert.equal(error.status, 401);
    assert.equal(standin.to('POST', '/api/4.0/login/5').length, 2);
  });

  it('concurrent 401s share one re-login', async () => {
    await client.login();
    standin.revokeAllTokens();
    standin.loginDelayMs = 30;
    await Promise.all([
      client.call({ method: 'POST', path: '/login/1' }),
      client.call({ method: 'POST', path: '/login/2' }),
      client.call({ method: 'POST', path: '/login/3' }),
    ]);
    assert.equal(standin.to('POST', '/api/4.0/login').length, 2);
  });

  it("429 is a retriable upstream-http error with Looker's message", async () => {
    await client.login();
    standin.replyOnce('POST', '/api/4.0/login/9', {
      status: 429,
      body: { message: 'Too many requests', documentation_url: 'x' },
    });
    const error = await rejection(client.loginUser(9));
    assert.equal(error.code, 'upstream-http');
    assert.equal(error.status, 429);
    assert.equal(error.retriable, true);
    assert.equal(error.vendor, 'looker');
    assert.match(error.message, /429.*Too many requests/);
  });

  it('422 names each invalid field in the message', async () => {
    await client.login();
    standin.replyOnce('POST', '/api/4.0/login/9', {
      status: 422,
      body: {
        message: 'Validation Failed',
        documentation_url: 'x',
        errors: [
          { field: 'models', code: 'invalid', message: 'Model thelook does not exist' },
          { field: 'permissions', code: 'missing_field', message: 'This field is required.' },
        ],
      },
    });
    const error = await rejection(client.loginUser(9));
    assert.equal(error.status, 422);
    assert.equal(error.retriable, false);
    assert.match(
      error.message,
      /Validation Failed: models \[invalid\]: Model thelook does not exist; permissions \[missing_field\]: This field is required\./,
    );
    assert.match(error.vendorMessage ?? '', /models \[invalid\]/);
  });
});

describe('looker client: loginUser and logout', () => {
  it('caches a token per user, single-flight per user', async () => {
    const [a1, a2, b1] = await Promise.all([client.loginUser(1), client.loginUser('1'), client.loginUser(2)]);
    assert.equal(a1, a2);
    assert.notEqual(a1, b1);
    assert.equal(await client.loginUser(1), a1);
    assert.equal(standin.to('POST', '/api/4.0/login/1').length, 1);
    assert.equal(standin.to('POST', '/api/4.0/login/2').length, 1);
  });

  it('expires user tokens 10 s early too', async () => {
    standin.tokenExpiresIn = 60;
    const first = await client.loginUser(3);
    clock += 49_999;
    assert.equal(await client.loginUser(3), first);
    clock += 1;
    assert.notEqual(await client.loginUser(3), first);
  });

  it("calls made as a user carry that user's token", async () => {
    const userToken = await client.loginUser(8);
    await client.call({ method: 'POST', path: '/login/99', asUser: 8 });
    assert.equal(standin.to('POST', '/api/4.0/login/99')[0]!.headers.authorization, `Bearer ${userToken}`);
  });

  it('logout sends DELETE /logout with that token and forgets it', async () => {
    const first = await client.login();
    await client.logout(first);
    const [request] = standin.to('DELETE', '/api/4.0/logout');
    assert.equal(request!.headers.authorization, `Bearer ${first}`);
    const second = await client.login();
    assert.notEqual(second, first, 'a revoked token is not served from the cache');
    await client.loginUser(4);
    assert.equal(standin.to('POST', '/api/4.0/login/4')[0]!.headers.authorization, `Bearer ${second}`);
  });

  it('logout of an unknown token reports the 401 without retrying', async () => {
    const error = await rejection(client.logout('not-a-real-token'));
    assert.equal(error.status, 401);
    assert.ok(!error.message.includes('not-a-real-token'));
    assert.equal(standin.to('POST', '/api/4.0/login').length, 0);
  });

  it('a malformed login answer is upstream-malformed', async () => {
    standin.replyOnce('POST', '/api/4.0/login', { status: 200, body: { token: 'nope' } });
    const error = await rejection(client.login());
    assert.equal(error.code, 'upstream-malformed');
  });
});
