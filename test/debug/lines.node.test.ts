// The words of the debug log, tested directly: token keys and times, never token values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEntry, type DebugEntry } from '../../src/debug/lines.js';
import { EmbedError } from '../../src/errors.js';
import { DEFAULT_SCHEDULE, refreshTime } from '../../src/token/schedule.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const tokens = { dashboardAccessToken: 'secret-a', dataAccessToken: 'secret-b' };
const describe = (entry: DebugEntry, now: number) =>
  describeEntry(entry, now, (event) => refreshTime(event, DEFAULT_SCHEDULE));

test('tokens: their keys, expiry and source, and the refresh planned; never their values', () => {
  const line = describe({ type: 'tokens', tokens, expiresAt: NOW + 600_000, lifetimeMs: 600_000, source: 'jwt' }, NOW);
  assert.equal(
    line,
    'tokens received (dashboardAccessToken, dataAccessToken); expire 2026-12-01T12:10:00.000Z (in 600 s, from jwt); refresh scheduled by 2026-12-01T12:08:00.000Z (in 480 s at the latest)',
  );
  assert.ok(!line.includes('secret'));
  assert.equal(
    describe({ type: 'tokens', tokens, expiresAt: null, lifetimeMs: null, source: 'never' }, NOW),
    'tokens received (dashboardAccessToken, dataAccessToken); they never expire, no refresh scheduled',
  );
});

test('the refresh planned is what the plan says: "by" that time, at the latest', () => {
  const event = { type: 'tokens', tokens, expiresAt: NOW + 600_000, lifetimeMs: 600_000, source: 'jwt' } as const;
  assert.match(
    describeEntry(event, NOW, () => NOW + 300_000),
    /refresh scheduled by 2026-12-01T12:05:00.000Z \(in 300 s at the latest\)/,
  );
  assert.match(
    describeEntry(event, NOW, () => null),
    /no refresh scheduled/,
  );
});

test('errors: the code, the attempt and when the next try is; expiry and dispose', () => {
  const error = new EmbedError('http', 'The identity endpoint answered 503.', { status: 503, retriable: true });
  assert.equal(
    describe({ type: 'error', error, attempt: 2, nextRetryAt: NOW + 4_000 }, NOW),
    'error http (attempt 2; retry in 4 s): The identity endpoint answered 503.',
  );
  assert.match(describe({ type: 'error', error, attempt: 1, nextRetryAt: null }, NOW), /no automatic retry/);
  assert.equal(
    describe({ type: 'expired', expiredAt: NOW - 1_000 }, NOW),
    'tokens expired at 2026-12-01T11:59:59.000Z; the embed is hidden until new ones arrive',
  );
  assert.match(describe({ type: 'disposed' }, NOW), /^session disposed/);
});

test('requests name their reason or action', () => {
  assert.equal(describe({ type: 'request', reason: 'initial' }, NOW), 'identity request started (initial)');
  assert.equal(
    describe({ type: 'request', reason: 'refresh', action: 'acquire' }, NOW),
    'identity request started (action acquire)',
  );
});

test("the element's steps: mounting, mounted, mount failures with their retry, invalid inputs", () => {
  assert.equal(
    describe({ type: 'mounting', vendor: 'looker', dashboardId: '7' }, NOW),
    'mounting looker (dashboard "7")',
  );
  const error = new EmbedError('vendor', 'The looker adapter failed to load: 503', { retriable: true });
  assert.equal(
    describe({ type: 'mount-failed', error, attempt: 1, nextRetryAt: NOW + 1_400 }, NOW),
    'mount failed (attempt 1; retry in 1 s): The looker adapter failed to load: 503',
  );
  assert.match(describe({ type: 'mount-failed', error, attempt: 3, nextRetryAt: null }, NOW), /no retry/);
  const invalid = new EmbedError('invalid-attribute', 'The vendor attribute is missing.', { attribute: 'vendor' });
  assert.equal(
    describe({ type: 'invalid-input', error: invalid }, NOW),
    'invalid input (vendor): The vendor attribute is missing.',
  );
});
