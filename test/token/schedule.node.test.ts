import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SCHEDULE,
  isStale,
  needsRefresh,
  nextRefreshDelay,
  refreshTime,
  retryDelay,
} from '../../src/token/schedule.js';
import { LongTimer } from '../../src/long-timer.js';
import { MAX_TIMER_DELAY } from '../../src/timers.js';
import type { Expiry } from '../../src/token/expiry.js';
import { FakeClock } from '../helpers/fake-clock.js';

const NOW = 1_000_000_000;
const opts = { ...DEFAULT_SCHEDULE };
const expiry = (lifetimeMs: number, issuedAt = NOW): Expiry => ({
  expiresAt: issuedAt + lifetimeMs,
  lifetimeMs,
  source: 'expiresIn',
});

test('an hour-long token refreshes at 80% of its life', () => {
  assert.equal(refreshTime(expiry(3_600_000), opts), NOW + 2_880_000);
  assert.equal(refreshTime(expiry(300_000), opts), NOW + 240_000);
});

test('a 200 s token refreshes one margin (60 s) before expiry, sooner than 80% would', () => {
  assert.equal(refreshTime(expiry(200_000), opts), NOW + 140_000);
});

test('a token shorter than twice the margin refreshes at half its life, not at once', () => {
  assert.equal(refreshTime(expiry(60_000), opts), NOW + 30_000);
});

test('never-expiring tokens are never refreshed', () => {
  assert.equal(refreshTime({ expiresAt: null, lifetimeMs: null, source: 'never' }, opts), null);
  assert.equal(nextRefreshDelay(NOW, { expiresAt: null, lifetimeMs: null, source: 'never' }, 0, opts), null);
});

test('needsRefresh is true inside the window and after expiry', () => {
  const e = expiry(300_000);
  assert.equal(needsRefresh(NOW + 239_999, e, opts), false);
  assert.equal(needsRefresh(NOW + 240_000, e, opts), true);
  assert.equal(needsRefresh(NOW + 999_999, e, opts), true);
});

test('the delay never drops below the floor', () => {
  assert.equal(nextRefreshDelay(NOW + 299_000, expiry(300_000), 0, opts), opts.minDelayMs);
});

test('stale tokens back off exponentially from the floor up to the cap', () => {
  const e = expiry(1_000);
  assert.equal(isStale(NOW, e, opts), true);
  assert.deepEqual(
    [1, 2, 3, 4, 10].map((n) => nextRefreshDelay(NOW, e, n, opts)),
    [5_000, 10_000, 20_000, 40_000, 60_000],
  );
});

test('retry delays: full jitter under an exponential ceiling, Retry-After respected', () => {
  assert.deepEqual(
    [1, 2, 3, 8].map((n) => retryDelay(n, opts, () => 1)),
    [1_000, 2_000, 4_000, 60_000],
  );
  assert.equal(
    retryDelay(3, opts, () => 0),
    0,
  );
  assert.equal(
    retryDelay(3, opts, () => 0.5),
    2_000,
  );
  assert.equal(
    retryDelay(1, opts, () => 1, 30_000),
    30_000,
  );
});

test('a far-future expiry is chained in steps no longer than 2^31 − 1 ms', async () => {
  const clock = new FakeClock(NOW);
  const timer = new LongTimer(clock);
  let fired = 0;
  const ninetyDays = 90 * 86_400_000;
  timer.start(ninetyDays, () => fired++);
  assert.ok(clock.longestDelay <= MAX_TIMER_DELAY);
  await clock.advance(ninetyDays - 1);
  assert.equal(fired, 0);
  await clock.advance(1);
  assert.equal(fired, 1);
  assert.equal(clock.pending, 0);
});

test('cancel leaves no timer behind', () => {
  const clock = new FakeClock(NOW);
  const timer = new LongTimer(clock);
  timer.start(10, () => assert.fail('cancelled timer fired'));
  timer.cancel();
  assert.equal(clock.pending, 0);
});
