import { test } from 'node:test';
import assert from 'node:assert/strict';
import { advance, anchorAt, GAP_TOLERANCE_MS, wallTime } from '../../src/token/time.js';

const WALL = Date.UTC(2026, 10, 25, 12);
const HOUR = 3_600_000;

test("an answer anchors the server's time at the end of its Date second, held at the moment of sending", () => {
  const base = anchorAt(WALL - HOUR, { mono: 500, wall: WALL });
  assert.deepEqual(base, { server: WALL - HOUR + 1_000, mono: 500, wall: WALL });
  // Received 20 s later: those 20 s count, so a slow answer makes its tokens older, never younger.
  assert.equal(advance(base, { mono: 20_500, wall: WALL + 20_000 }).server, WALL - HOUR + 21_000);
});

test("without a Date header the client's wall clock at sending stands in", () => {
  assert.deepEqual(anchorAt(undefined, { mono: 7, wall: WALL }), { server: WALL, mono: 7, wall: WALL });
});

test('a wall clock set back an hour changes nothing: time follows the monotonic clock', () => {
  const base = anchorAt(undefined, { mono: 0, wall: WALL });
  const later = advance(base, { mono: 60_000, wall: WALL + 60_000 - HOUR });
  assert.equal(later.server, WALL + 60_000);
  assert.equal(wallTime(later, later.server + 1_000), WALL - HOUR + 61_000, 'wall times follow the new clock');
  assert.equal(wallTime(later, null), null, 'never stays never');
});

test('a sleep the monotonic clock did not see (or a clock step forward) counts as time passed', () => {
  const base = anchorAt(undefined, { mono: 0, wall: WALL });
  assert.equal(advance(base, { mono: 60_000, wall: WALL + 2 * HOUR }).server, WALL + 2 * HOUR);
});

test('a sleep during which the monotonic clock ran counts once', () => {
  const base = anchorAt(undefined, { mono: 0, wall: WALL });
  assert.equal(advance(base, { mono: 2 * HOUR, wall: WALL + 2 * HOUR }).server, WALL + 2 * HOUR);
});

test('sub-second wall-clock wobble does not add up over many readings', () => {
  let base = anchorAt(undefined, { mono: 0, wall: WALL });
  for (let i = 1; i <= 1_000; i++)
    base = advance(base, { mono: i * 1_000, wall: WALL + i * 1_000 + (i % 2 ? 900 : 0) });
  assert.equal(base.server, WALL + 1_000_000);
  assert.ok(GAP_TOLERANCE_MS >= 900);
});

test('a jump forward then back: the forward part stays counted (a sleep cannot be undone)', () => {
  let base = anchorAt(undefined, { mono: 0, wall: WALL });
  base = advance(base, { mono: 1_000, wall: WALL + HOUR });
  base = advance(base, { mono: 2_000, wall: WALL + 2_000 });
  assert.equal(base.server, WALL + HOUR + 1_000);
});
