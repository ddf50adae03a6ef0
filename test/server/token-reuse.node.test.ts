// Vendor calls per user, not per request: Formant's login-embed and DataBrain's guest token are reused
// per scope / params while enough life is left; a refresh always mints tokens that expire later.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as databrain from '../../src/server/databrain.js';
import * as formant from '../../src/server/formant.js';
import { createMemorySessionStore, type HeldTokens } from '../../src/server/session-store.js';
import { createTokenReuse } from '../../src/server/stores/reuse.js';
import type { IdentityRequestBody, VendorTokens } from '../../src/server/types.js';
import { NOW_S, useFormantStandIn } from './formant-standin.js';
import { API_TOKEN, DataBrainStandIn, WORKSPACE } from './databrain-standin.js';

const { standIn: formantApi, credentials } = useFormantStandIn();
const request = new Request('http://app.test/api/embed/identity', { method: 'POST' });
const body = (vendor: string, action?: string, dashboardId = 'd-1'): IdentityRequestBody => ({
  vendor,
  dashboardId,
  context: {},
  ...(action ? { action } : {}),
});
const logins = () => formantApi.requests.filter((r) => r.path === '/v1/admin/auth/login-embed').length;
const expiry = (answer: VendorTokens) => Date.parse(answer.expiresAt!);

describe('formant.identityProvider: one login-embed per user and scope', () => {
  type User = { id: string; site: string };
  const ann: User = { id: 'ann', site: 'abq' };
  let clockMs = NOW_S * 1000;
  const advance = (seconds: number) => {
    clockMs += seconds * 1000;
    formantApi.clockS += seconds;
  };
  const provider = (extra: Partial<formant.FormantProviderOptions<User>> = {}) => {
    clockMs = NOW_S * 1000;
    return formant.identityProvider<User>({
      ...credentials(),
      scope: (u) => ({ tags: { site: [u.site] } }),
      tokenExpirationSeconds: 3600,
      now: () => clockMs,
      ...extra,
    });
  };
  const ask = (p: ReturnType<typeof provider>, user: User = ann, action?: string) =>
    p({ user, request, body: body('formant', action) });

  it('reuses the token for the same scope while 300 s are left, counting expiresIn down', async () => {
    const p = provider();
    const first = await ask(p);
    advance(600);
    const again = await ask(p);
    assert.equal(logins(), 1);
    assert.deepEqual(again.tokens, first.tokens);
    assert.equal(again.expiresIn, 3000);
    advance(3000 - 301);
    await ask(p);
    assert.equal(logins(), 1, '301 s left: reused');
    advance(2);
    const fresh = await ask(p);
    assert.equal(logins(), 2, 'under 300 s left: logged in again');
    assert.ok(expiry(fresh) > expiry(first));
  });

  it('a refresh always logs in anew, its token expires later, and the next request gets it', async () => {
    const p = provider();
    const first = await ask(p);
    advance(1);
    const refreshed = await ask(p, ann, 'refresh');
    assert.equal(logins(), 2);
    assert.notEqual(refreshed.tokens.accessToken, first.tokens.accessToken);
    assert.ok(expiry(refreshed) > expiry(first), 'the refresh never returns tokens expiring no later');
    assert.deepEqual((await ask(p)).tokens, refreshed.tokens);
    assert.equal(logins(), 2);
  });

  it('different scopes never share a token; concurrent requests share one login', async () => {
    const p = provider();
    const answers = await Promise.all(Array.from({ length: 10 }, () => ask(p)));
    assert.equal(logins(), 1);
    assert.ok(answers.every((a) => a.tokens.accessToken === answers[0]!.tokens.accessToken));
    const bob = await ask(p, { id: 'bob', site: 'sfo' });
    assert.equal(logins(), 2);
    assert.notEqual(bob.tokens.accessToken, answers[0]!.tokens.accessToken);
  });

  it('minRemainingSeconds is configurable; cache: false logs in on every request', async () => {
    const strict = provider({ cache: { minRemainingSeconds: 3000 } });
    await ask(strict);
    advance(601);
    await ask(strict);
    assert.equal(logins(), 2);
    const uncached = provider({ cache: false });
    await ask(uncached);
    await ask(uncached);
    assert.equal(logins(), 4);
  });

  it('two instances sharing a store log in once between them', async () => {
    const store = createMemorySessionStore<HeldTokens>();
    const a = provider({ cache: { store } });
    const b = provider({ cache: { store } });
    const fromA = await ask(a);
    assert.deepEqual((await ask(b)).tokens, fromA.tokens);
    assert.equal(logins(), 1);
  });
});

describe('databrain.identityProvider: one guest token per client and params', () => {
  const api = new DataBrainStandIn();
  const user = { id: 'u-1', tenant: 't-1' };
  let clock = Date.parse('2026-11-22T10:00:00.000Z');
  const provider = (extra: Partial<databrain.DataBrainProviderOptions<typeof user>> = {}) =>
    databrain.identityProvider<typeof user>({
      apiToken: API_TOKEN,
      baseUrl: api.url,
      workspaceName: WORKSPACE,
      claims: (u) => ({ clientId: u.tenant }),
      expiryTime: 3_600_000,
      now: () => clock,
      ...extra,
    } as databrain.DataBrainProviderOptions<typeof user>);
  const ask = (p: ReturnType<typeof provider>, action?: string, dashboardId?: string) =>
    p({ user, request, body: body('databrain', action, dashboardId) });

  it('reuses per params, mints per dashboard, and a refresh mints a token that expires later', async () => {
    await api.start();
    try {
      const p = provider();
      const first = await ask(p);
      clock += 60_000;
      assert.deepEqual((await ask(p)).tokens, first.tokens);
      assert.equal(api.requests.length, 1);
      await ask(p, undefined, 'd-2');
      assert.equal(api.requests.length, 2, 'another dashboard: its own token');
      const refreshed = await ask(p, 'refresh');
      assert.equal(api.requests.length, 3);
      assert.ok(expiry(refreshed) > expiry(first));
      assert.deepEqual((await ask(p)).tokens, refreshed.tokens);
      const never = provider({ expiryTime: undefined, cache: { neverExpiringReuseSeconds: 60 } });
      const forever = await ask(never);
      assert.equal(forever.expiresIn, null);
      assert.deepEqual((await ask(never)).tokens, forever.tokens);
      assert.equal(api.requests.length, 4);
      const uncached = provider({ cache: false });
      await ask(uncached);
      await ask(uncached);
      assert.equal(api.requests.length, 6);
    } finally {
      await api.stop();
    }
  });
});

describe('createTokenReuse', () => {
  const options = { vendor: 'test', minRemainingSeconds: 10, now: () => 0 };
  it('a refresh joins a mint in flight but never reads the store; store failures reach the caller', async () => {
    let mints = 0;
    const reuse = createTokenReuse(undefined, options);
    const mint = async () => ({ tokens: { n: ++mints }, expiresAtMs: 60_000 });
    const [a, b] = await Promise.all([
      reuse.tokens({ key: 'k', owner: undefined, refresh: false, mint }),
      reuse.tokens({ key: 'k', owner: undefined, refresh: true, mint }),
    ]);
    assert.equal(mints, 1);
    assert.deepEqual(a, b);
    await reuse.tokens({ key: 'k', owner: undefined, refresh: true, mint });
    assert.equal(mints, 2);
    const failing = createTokenReuse(
      {
        store: {
          get: () => Promise.reject(new Error('store down')),
          set: () => undefined,
          delete: () => undefined,
        },
      },
      options,
    );
    await assert.rejects(failing.tokens({ key: 'k', owner: undefined, refresh: false, mint }), /store down/);
  });
});
