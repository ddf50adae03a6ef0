// Reused vendor tokens shared between instances through a real redis-server: one signing for both,
// and a refresh on one instance is what the other hands out next.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRedisSessionStore, type HeldTokens } from '../../../src/server/session-store.js';
import { identityProvider } from '../../../src/server/vizzly/provider.js';
import { createSigner } from '../../../src/server/vizzly/signer.js';
import { makeKeys } from '../vizzly-helpers.js';
import { connectClient, startRedisServer, type RedisServer } from './harness.js';

let redis: RedisServer;
const clients: Array<Awaited<ReturnType<typeof connectClient>>> = [];
before(async () => {
  redis = await startRedisServer();
});
after(async () => {
  for (const client of clients) client.destroy();
  await redis.stop();
});

describe('vendor token reuse shared through Redis', () => {
  it('two instances sign once between them; a refresh on B is what A answers next', async () => {
    const keys = makeKeys();
    let signings = 0;
    let clock = Date.parse('2026-11-22T09:00:00.000Z');
    const instance = async () => {
      const client = await connectClient(redis.url);
      clients.push(client);
      const base = createSigner({ privateKey: keys.sec1, ttlMinutes: 60, projectId: 'prj_1', now: () => clock });
      const signer = {
        ...base,
        generateTokens: (c: Parameters<typeof base.generateTokens>[0]) => (signings++, base.generateTokens(c)),
      };
      const store = createRedisSessionStore<HeldTokens>({ client });
      return identityProvider<string>({
        signer,
        cache: { store },
        claims: (id) => ({ dashboard: { userReference: id } }),
      });
    };
    const [a, b] = [await instance(), await instance()];
    const ask = (provider: typeof a, action?: string) =>
      provider({
        user: 'ann',
        request: new Request('http://127.0.0.1/'),
        body: { vendor: 'vizzly', context: {}, ...(action ? { action } : {}) },
      });
    const fromA = await ask(a);
    const fromB = await ask(b);
    assert.equal(signings, 1);
    assert.deepEqual(fromB.tokens, fromA.tokens);
    clock += 1000;
    const refreshed = await ask(b, 'refresh');
    assert.equal(signings, 2);
    assert.ok(Date.parse(refreshed.expiresAt) > Date.parse(fromA.expiresAt));
    assert.deepEqual((await ask(a)).tokens, refreshed.tokens);
    assert.equal(signings, 2);
  });
});
