// The pure half of tab sharing: message validation, ages across tabs, freshness.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PROTOCOL_VERSION,
  elapsed,
  isFreshEnough,
  lockNames,
  parseMessage,
  plainResponse,
  restamp,
} from '../../src/token/tab-share-protocol.js';

const response = { vendor: 'vizzly', tokens: { dashboardAccessToken: 't' }, expiresIn: 300, receivedAt: 1_000 };
const answer = { id: 'a1', response, ageMs: 20, durationMs: 80 };

describe('tab sharing protocol', () => {
  it('accepts our messages for the key and nothing else', () => {
    const message = { v: PROTOCOL_VERSION, kind: 'answer', key: 'k', answer };
    assert.deepEqual(parseMessage(message, 'k'), message);
    assert.equal(parseMessage(message, 'other'), null, 'another key');
    assert.equal(parseMessage({ ...message, v: PROTOCOL_VERSION + 1 }, 'k'), null, 'another version');
    assert.equal(parseMessage({ ...message, kind: 'steal' }, 'k'), null);
    assert.equal(parseMessage('hello', 'k'), null);
    assert.equal(parseMessage(null, 'k'), null);
    const bad = (patch: Record<string, unknown>) =>
      parseMessage({ ...message, answer: { ...answer, response: { ...response, ...patch } } }, 'k');
    assert.equal(bad({ tokens: 'x' }), null);
    assert.equal(bad({ receivedAt: 'now' }), null);
    assert.equal(bad({ expiresIn: -5 }), null);
    assert.equal(bad({ expiresAt: 5 }), null);
    assert.equal(parseMessage({ ...message, answer: { ...answer, ageMs: -1 } }, 'k'), null, 'negative age');
    assert.equal(parseMessage({ ...message, answer: { ...answer, ageMs: Infinity } }, 'k'), null);
    assert.ok(parseMessage({ v: PROTOCOL_VERSION, kind: 'ask', key: 'k', id: 'q' }, 'k'));
    assert.equal(parseMessage({ v: PROTOCOL_VERSION, kind: 'ask', key: 'k' }, 'k'), null);
    assert.ok(parseMessage({ v: PROTOCOL_VERSION, kind: 'reply', key: 'k', to: 'q', answer: null }, 'k'));
    assert.equal(parseMessage({ v: PROTOCOL_VERSION, kind: 'reply', key: 'k', to: 'q', answer: {} }, 'k'), null);
  });

  it('measures time by the monotonic clock, or the wall clock when it ran further (a sleep)', () => {
    assert.equal(elapsed({ mono: 0, wall: 10_000 }, { mono: 500, wall: 10_500 }), 500);
    assert.equal(elapsed({ mono: 0, wall: 10_000 }, { mono: 500, wall: 10_000 - 3_600_000 }), 500, 'wall set back');
    assert.equal(elapsed({ mono: 0, wall: 10_000 }, { mono: 500, wall: 70_000 }), 60_000, 'asleep a minute');
    assert.equal(elapsed({ mono: 100, wall: 100 }, { mono: 50, wall: 50 }), 0);
  });

  it('dates a relayed answer on the receiving clock from its age and request time', () => {
    assert.deepEqual(restamp(response, 2_000, 80, 50_000), { ...response, receivedAt: 48_000, sentAt: 47_920 });
  });

  it('takes answers younger than the ratio of their lifetime; never-expiring ones always', () => {
    assert.equal(isFreshEnough(149_999, 300_000, 0.5), true);
    assert.equal(isFreshEnough(150_000, 300_000, 0.5), false);
    assert.equal(isFreshEnough(0, 0, 0.5), false, 'tokens with no life');
    assert.equal(isFreshEnough(10 ** 9, null, 0.5), true);
  });

  it('posts only the wire fields', () => {
    const extra = { ...response, serverDate: 5, sentAt: 900, secretHandle: () => 1 } as typeof response;
    assert.deepEqual(plainResponse(extra), { ...response, serverDate: 5, sentAt: 900 });
    structuredClone(plainResponse(extra));
  });

  it('names a refresh, a fallback and a holders lock per key', () => {
    const { refresh, fallback, holders } = lockNames('k');
    assert.equal(new Set([refresh, fallback, holders]).size, 3);
    assert.notEqual(lockNames('k2').refresh, refresh);
  });
});
