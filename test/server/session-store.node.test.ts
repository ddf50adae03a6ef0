import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemorySessionStore } from '../../src/server/session-store.js';

describe('createMemorySessionStore', () => {
  it('answers a stored value until its TTL runs out, then forgets it', () => {
    let clock = 1_000_000;
    const store = createMemorySessionStore<string>({ now: () => clock });
    store.set('a', 'value-a', 60);
    assert.equal(store.get('a'), 'value-a');
    clock += 59_999;
    assert.equal(store.get('a'), 'value-a');
    clock += 1;
    assert.equal(store.get('a'), undefined);
    assert.equal(store.size, 0, 'evicted lazily on read');
  });

  it('set replaces the value and the TTL; delete forgets', () => {
    let clock = 0;
    const store = createMemorySessionStore<number>({ now: () => clock });
    store.set('k', 1, 10);
    clock += 9000;
    store.set('k', 2, 10);
    clock += 9000;
    assert.equal(store.get('k'), 2);
    store.delete('k');
    assert.equal(store.get('k'), undefined);
    store.delete('missing');
  });

  it('a TTL of 0 or less stores nothing', () => {
    const store = createMemorySessionStore<string>();
    store.set('k', 'v', 10);
    store.set('k', 'v', 0);
    assert.equal(store.get('k'), undefined);
  });

  it('keeps at most maxEntries: expired ones go first, then the least recently written', () => {
    let clock = 0;
    const store = createMemorySessionStore<string>({ now: () => clock, maxEntries: 3 });
    store.set('short', 's', 1);
    store.set('old', 'o', 100);
    store.set('mid', 'm', 100);
    clock += 2000;
    store.set('new', 'n', 100);
    assert.equal(store.size, 3);
    assert.equal(store.get('old'), 'o', 'the expired entry made room, not the oldest live one');
    store.set('old', 'o2', 100); // rewriting makes it the most recent
    store.set('newest', 'x', 100);
    assert.equal(store.size, 3);
    assert.equal(store.get('mid'), undefined, 'least recently written is dropped');
    assert.equal(store.get('old'), 'o2');
    assert.equal(store.get('newest'), 'x');
  });

  it('stays bounded under a flood of distinct keys', () => {
    const store = createMemorySessionStore<number>({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i += 1) store.set(`user-${i}`, i, 3600);
    assert.equal(store.size, 100);
    assert.equal(store.get('user-9999'), 9999);
  });

  it('validates its arguments', () => {
    assert.throws(() => createMemorySessionStore({ maxEntries: 0 }), { code: 'invalid-input' });
    const store = createMemorySessionStore();
    assert.throws(() => store.set('k', 1, Number.NaN), { code: 'invalid-input', message: /ttlSeconds/ });
  });
});
