// The Redis store against a real redis-server (Debian's package, started on a free loopback port).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EmbedServerError } from '../../../src/server/errors.js';
import { createRedisSessionStore } from '../../../src/server/session-store.js';
import { connectClient, startRedisServer, untilReady, type RedisServer } from './harness.js';

let server: RedisServer;
let client: Awaited<ReturnType<typeof connectClient>>;

before(async () => {
  server = await startRedisServer();
  client = await connectClient(server.url);
});
after(async () => {
  client.destroy();
  await server.stop();
});

describe('createRedisSessionStore (real redis-server)', () => {
  it('stores values as JSON under the prefix with Redis TTLs, and deletes them', async () => {
    const store = createRedisSessionStore<{ ref: string; n: number }>({ client, prefix: 't1:' });
    assert.equal(await store.get('k'), undefined);
    await store.set('k', { ref: 'r-1', n: 2 }, 90);
    assert.deepEqual(await store.get('k'), { ref: 'r-1', n: 2 });
    assert.equal(await client.get('t1:k'), '{"ref":"r-1","n":2}');
    const ttl = await client.pTTL('t1:k');
    assert.ok(ttl > 89_000 && ttl <= 90_000, `PTTL ${ttl}`);
    await store.delete('k');
    assert.equal(await client.exists('t1:k'), 0);
    await store.set('k', { ref: 'r-2', n: 3 }, 10);
    await store.set('k', { ref: 'r-2', n: 3 }, 0);
    assert.equal(await store.get('k'), undefined, 'a TTL of 0 deletes');
  });

  it('an expired entry is gone (Redis expires it itself)', async () => {
    const store = createRedisSessionStore<string>({ client, prefix: 't2:' });
    await store.set('short', 'v', 0.001);
    // Wait (polling) for Redis' own expiry of a 1 ms TTL; never a fixed sleep.
    while ((await client.exists('t2:short')) === 1) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await store.get('short'), undefined);
  });

  it("caps each owner's entries: one user's new entries evict only that user's oldest", async () => {
    let clock = 1_000_000;
    const store = createRedisSessionStore<string>({ client, prefix: 't3:', maxEntriesPerOwner: 3, now: () => clock });
    await store.set('bob-1', 'b', 600, { owner: 'bob' });
    for (let i = 1; i <= 10; i += 1) {
      clock += 1000;
      await store.set(`eve-${i}`, 'e', 600, { owner: 'eve' });
    }
    assert.equal(await store.get('bob-1'), 'b', "bob's entry survived eve's flood");
    const left = [];
    for (let i = 1; i <= 10; i += 1) if ((await store.get(`eve-${i}`)) !== undefined) left.push(i);
    assert.deepEqual(left, [8, 9, 10]);
    assert.equal(await client.zCard('t3:owner:eve'), 3);
    await store.delete('eve-9');
    clock += 1000;
    await store.set('eve-11', 'e', 600, { owner: 'eve' });
    assert.equal(await store.get('eve-8'), 'e', 'a deleted entry no longer counts against the cap');
    assert.ok((await client.pTTL('t3:owner:eve')) > 0, 'the owner index expires with its last entry');
  });

  it('validates its options and TTLs', async () => {
    assert.throws(() => createRedisSessionStore({ client: {} as never }), { code: 'invalid-input', message: /client/ });
    assert.throws(() => createRedisSessionStore({ client, maxEntriesPerOwner: 0 }), { code: 'invalid-input' });
    const store = createRedisSessionStore({ client });
    await assert.rejects(async () => store.set('k', 1, Number.NaN), { code: 'invalid-input', message: /ttlSeconds/ });
  });

  it('a command that hangs fails after timeoutMs as a retriable upstream-timeout', async () => {
    const store = createRedisSessionStore({ client: { sendCommand: () => new Promise(() => {}) }, timeoutMs: 20 });
    await assert.rejects(
      async () => store.get('k'),
      (error: unknown) => {
        assert.ok(error instanceof EmbedServerError);
        assert.equal(error.code, 'upstream-timeout');
        assert.equal(error.retriable, true);
        assert.equal(error.vendor, 'session-store');
        return true;
      },
    );
  });

  it('while Redis is down every call rejects at once (retriable); after it is back the store works', async () => {
    const store = createRedisSessionStore<string>({ client, prefix: 't4:' });
    await server.stop();
    try {
      const started = Date.now();
      await assert.rejects(
        async () => store.get('k'),
        (error: unknown) => {
          assert.ok(error instanceof EmbedServerError);
          assert.equal(error.code, 'upstream-network');
          assert.equal(error.retriable, true);
          assert.doesNotMatch(error.message, /127\.0\.0\.1|redis:\/\//, 'no address in the message');
          return true;
        },
      );
      assert.ok(Date.now() - started < 1000, 'no waiting for a reconnect');
      await assert.rejects(async () => store.set('k', 'v', 60), { code: 'upstream-network' });
    } finally {
      await server.start();
    }
    await untilReady(client);
    await store.set('k', 'v', 60);
    assert.equal(await store.get('k'), 'v');
  });
});
