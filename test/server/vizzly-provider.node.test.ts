import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbedServerError } from '../../src/server/errors.js';
import type { IdentityProvider, IdentityRequestBody } from '../../src/server/types.js';
import * as vizzly from '../../src/server/vizzly.js';
import { identityProvider } from '../../src/server/vizzly/provider.js';
import { createSigner, type TokenClaims } from '../../src/server/vizzly/signer.js';
import { createMemorySessionStore, type HeldTokens } from '../../src/server/session-store.js';
import { makeKeys, payloadOf, verifyEs256 } from './vizzly-helpers.js';

interface User {
  id: string;
  tenant: string;
}

const keys = makeKeys();
const NOW = Date.parse('2026-11-22T09:00:00.000Z');
const signer = createSigner({ privateKey: keys.sec1, ttlMinutes: 45, projectId: 'prj_1', now: () => NOW });
const user: User = { id: 'user-7', tenant: 't-42' };

function context(body: Partial<IdentityRequestBody> = {}) {
  const request = new Request('http://127.0.0.1/api/embed/identity', { method: 'POST' });
  return { user, request, body: { vendor: 'vizzly', context: {}, ...body } };
}

describe('vizzly identity provider', () => {
  it('signs what the claims callback returns and reports expiresAt and expiresIn (seconds)', async () => {
    const seen: unknown[] = [];
    const provider: IdentityProvider<User> = identityProvider<User>({
      signer,
      claims: async (u, body, request) => {
        seen.push(u, body.dashboardId, request.method);
        return {
          dashboard: { userReference: u.id, parentDashboardIds: body.dashboardId ? [body.dashboardId] : undefined },
          data: { dataSetIds: '*', secureFilters: { dts_sales: [{ field: 'tenant', op: '=', value: u.tenant }] } },
        };
      },
    });
    const answer = await provider(context({ dashboardId: 'dsh_9' }));
    assert.deepEqual(seen, [user, 'dsh_9', 'POST']);
    assert.deepEqual(Object.keys(answer.tokens), ['dashboardAccessToken', 'dataAccessToken']);
    assert.equal(answer.expiresIn, 45 * 60);
    assert.equal(answer.expiresAt, '2026-11-22T09:45:00.000Z');
    const dashboard = answer.tokens.dashboardAccessToken as string;
    assert.ok(verifyEs256(dashboard, keys.publicKey));
    assert.deepEqual(payloadOf(dashboard), {
      accessType: 'standard',
      projectId: 'prj_1',
      userReference: 'user-7',
      scope: 'read_write',
      parentDashboardIds: ['dsh_9'],
      expires: '2026-11-22T09:45:00.000Z',
    });
    assert.deepEqual(payloadOf(answer.tokens.dataAccessToken as string).secureFilters, {
      dts_sales: [{ field: 'tenant', op: '=', value: 't-42' }],
    });
  });

  it('never takes access claims from the request body', async () => {
    const provider = identityProvider<User>({
      signer,
      claims: (u) => ({ dashboard: { userReference: u.id, scope: 'read' } }),
    });
    const hostile = context({
      context: {
        userReference: 'admin',
        accessType: 'admin',
        scope: 'read_write',
        dataSetIds: '*',
        projectId: 'prj_evil',
      },
      ...({ claims: { dashboard: { userReference: 'admin' } }, accessType: 'admin' } as object),
    });
    const answer = await provider(hostile);
    assert.deepEqual(Object.keys(answer.tokens), ['dashboardAccessToken']);
    assert.deepEqual(payloadOf(answer.tokens.dashboardAccessToken as string), {
      accessType: 'standard',
      projectId: 'prj_1',
      userReference: 'user-7',
      scope: 'read',
      expires: '2026-11-22T09:45:00.000Z',
    });
  });

  it('refuses when the callback throws or returns no dashboard claims', async () => {
    const refused = new Error('not allowed');
    const throwing = identityProvider<User>({
      signer,
      claims: () => {
        throw refused;
      },
    });
    const pending = throwing(context());
    assert.ok(pending instanceof Promise, 'a failure arrives as a rejected promise, never as a throw');
    await assert.rejects(pending, (error) => error === refused);
    for (const bad of [undefined, null, {}, { data: { dataSetIds: '*' } }]) {
      const provider = identityProvider<User>({ signer, claims: () => bad as never });
      await assert.rejects(
        async () => provider(context()),
        (error: unknown) => {
          assert.ok(error instanceof EmbedServerError);
          assert.equal(error.code, 'invalid-input');
          assert.match(error.message, /must return \{dashboard/);
          return true;
        },
      );
    }
    const wrongClaims = identityProvider<User>({ signer, claims: () => ({ dashboard: { userReference: '' } }) });
    await assert.rejects(async () => wrongClaims(context()), /userReference must be a non-empty string/);
  });

  it('checks its options', () => {
    assert.throws(() => identityProvider({ signer, claims: undefined as never }), /claims must be a function/);
    assert.throws(
      () => identityProvider({ signer: {} as never, claims: () => ({ dashboard: { userReference: 'u' } }) }),
      /signer must come from vizzly.createSigner/,
    );
  });
});

describe('vizzly namespace module', () => {
  it('exports the public API and nothing internal', async () => {
    assert.deepEqual(Object.keys(vizzly).sort(), [
      'DEFAULT_VIZZLY_API',
      'createSigner',
      'grantPermissions',
      'identityProvider',
      'revokePermissions',
    ]);
    const s = vizzly.createSigner({ privateKey: keys.pkcs8, ttlMinutes: 10, projectId: 'prj_1', now: () => NOW });
    const { tokens } = await s.generateTokens({ dashboard: { userReference: 'u' } });
    assert.ok(verifyEs256(tokens.dashboardAccessToken, keys.publicKey));
  });
});

describe('vizzly identity provider: token reuse', () => {
  // A signer on a clock the test moves, that counts its signings.
  function counting(
    cache?: Parameters<typeof identityProvider>[0]['cache'],
    claims: (u: User) => TokenClaims = (u) => ({ dashboard: { userReference: u.id } }),
  ) {
    let time = NOW;
    const base = createSigner({ privateKey: keys.sec1, ttlMinutes: 60, projectId: 'prj_1', now: () => time });
    let signings = 0;
    const signer = {
      ...base,
      generateTokens: (claims: Parameters<typeof base.generateTokens>[0]) => (signings++, base.generateTokens(claims)),
    };
    const provider = identityProvider<User>({ signer, cache, claims });
    return {
      provider,
      signings: () => signings,
      advance: (ms: number) => {
        time += ms;
      },
      ask: (who: User = user) => provider({ ...context(), user: who }),
    };
  }

  it('reuses the tokens for the same claims while 420 s of life are left, with expiresIn counting down', async () => {
    const t = counting();
    const first = await t.ask();
    t.advance(10 * 60_000);
    const second = await t.ask();
    assert.equal(t.signings(), 1);
    assert.deepEqual(second.tokens, first.tokens);
    assert.equal(second.expiresIn, 50 * 60);
    t.advance(50 * 60_000 - 421_000);
    assert.deepEqual((await t.ask()).tokens, first.tokens, '421 s left: still reused');
    t.advance(2000);
    const third = await t.ask();
    assert.equal(t.signings(), 2, 'under 420 s left (one Vizzly pull of 300 s plus margins): signed anew');
    assert.notDeepEqual(third.tokens, first.tokens);
    assert.equal(third.expiresIn, 60 * 60);
  });

  it('minRemainingSeconds is configurable', async () => {
    const t = counting({ minRemainingSeconds: 30 * 60 });
    await t.ask();
    t.advance(29 * 60_000);
    await t.ask();
    assert.equal(t.signings(), 1);
    t.advance(2 * 60_000);
    await t.ask();
    assert.equal(t.signings(), 2);
    assert.throws(() => counting({ minRemainingSeconds: -1 }), {
      code: 'invalid-input',
      message: /minRemainingSeconds/,
    });
  });

  it('never shares tokens between different claims (users)', async () => {
    const t = counting();
    const a = await t.ask({ id: 'a', tenant: 'x' });
    const b = await t.ask({ id: 'b', tenant: 'x' });
    assert.equal(t.signings(), 2);
    assert.equal(payloadOf(a.tokens.dashboardAccessToken).userReference, 'a');
    assert.equal(payloadOf(b.tokens.dashboardAccessToken).userReference, 'b');
  });

  it('a refresh always signs new tokens that expire later, and the next request gets those', async () => {
    const t = counting();
    const first = await t.ask();
    t.advance(1000);
    const refreshed = await t.provider({ ...context({ action: 'refresh' }), user });
    assert.equal(t.signings(), 2);
    assert.ok(Date.parse(refreshed.expiresAt) > Date.parse(first.expiresAt), 'the refresh outlives what was held');
    const next = await t.ask();
    assert.equal(next.tokens.dashboardAccessToken, refreshed.tokens.dashboardAccessToken);
    assert.equal(t.signings(), 2);
  });

  it('instances sharing a store sign once between them', async () => {
    const store = createMemorySessionStore<HeldTokens>();
    const a = counting({ store });
    const b = counting({ store });
    const fromA = await a.ask();
    const fromB = await b.ask();
    assert.equal(a.signings() + b.signings(), 1);
    assert.equal(fromB.tokens.dashboardAccessToken, fromA.tokens.dashboardAccessToken);
  });

  it('concurrent requests share one signing', async () => {
    const t = counting();
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.ask()));
    assert.equal(t.signings(), 1);
    assert.ok(
      answers.every((answer) => answer.tokens.dashboardAccessToken === answers[0]!.tokens.dashboardAccessToken),
    );
  });

  it('cache: false signs every request', async () => {
    const t = counting(false);
    await t.ask();
    await t.ask();
    assert.equal(t.signings(), 2);
  });

  it('never shares tokens between claim sets of one user, switching back and forth', async () => {
    const t = counting(undefined, (u) => ({
      dashboard: { userReference: 'same-user' },
      data: { dataSetIds: '*', secureFilters: { ds: [{ field: 'tenant', op: '=', value: u.tenant }] } },
    }));
    const tenantOf = async (tenant: string) =>
      payloadOf((await t.ask({ id: 'x', tenant })).tokens.dataAccessToken as string).secureFilters;
    const expected = (tenant: string) => ({ ds: [{ field: 'tenant', op: '=', value: tenant }] });
    for (const tenant of ['a', 'b', 'a', 'b', 'a']) assert.deepEqual(await tenantOf(tenant), expected(tenant));
    assert.equal(t.signings(), 2, 'each claim set signed once and reused');
  });

  it('is not fooled by the app changing the claims object it returned', async () => {
    const shared = {
      dashboard: { userReference: 'u' },
      data: { dataSetIds: '*' as const, secureFilters: { ds: [{ field: 'tenant', op: '=' as const, value: 'a' }] } },
    };
    const t = counting(undefined, () => shared);
    await t.ask();
    shared.data.secureFilters.ds[0]!.value = 'b';
    const answer = await t.ask();
    assert.equal(t.signings(), 2);
    assert.deepEqual(payloadOf(answer.tokens.dataAccessToken as string).secureFilters, {
      ds: [{ field: 'tenant', op: '=', value: 'b' }],
    });
  });

  it("one user's claim sets are capped per user: they evict only that user's tokens", async () => {
    const store = createMemorySessionStore<HeldTokens>({ maxEntriesPerOwner: 2 });
    const t = counting({ store }, (u) => ({
      dashboard: { userReference: u.id },
      data: { dataSetIds: '*', secureFilters: { ds: [{ field: 'tenant', op: '=', value: u.tenant }] } },
    }));
    await t.ask({ id: 'other', tenant: 'x' });
    for (const tenant of ['a', 'b', 'c']) await t.ask({ id: 'cycler', tenant });
    assert.equal(t.signings(), 4);
    await t.ask({ id: 'cycler', tenant: 'a' });
    assert.equal(t.signings(), 5, "the cycler's oldest entry (a) was dropped");
    await t.ask({ id: 'other', tenant: 'x' });
    assert.equal(t.signings(), 5, "the other user's tokens stayed");
  });
});
