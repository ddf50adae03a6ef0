import type { Clock } from '../timers.js';

/** One reading of the client's two clocks, taken together. */
export interface ClockReading {
  /** The monotonic clock (`performance.now()` basis). */
  mono: number;
  /** The wall clock (`Date.now()` basis). */
  wall: number;
}

/** Reads `clock`'s monotonic and wall clocks at one moment. */
export function readClocks(clock: Clock): ClockReading {
  return { mono: clock.monotonic(), wall: clock.now() };
}

/**
 * What a session knows of the server's time: an upper bound of it at one reading of the client's
 * clocks. Expiry and schedules are kept on this basis, so neither a wrong client clock nor a clock
 * that jumps makes tokens outlive their real expiry.
 */
export interface TimeBase extends ClockReading {
  /** An upper bound of the server's time (ms) at the reading. */
  server: number;
}

/** Wall-clock moves this much further than the monotonic clock before they count as a suspend. */
export const GAP_TOLERANCE_MS = 1_000;

/**
 * The time base an answer gives: the server's `Date` (taken as the end of its whole second) held at
 * the moment the request was sent, so the time the request took only makes tokens look older.
 * Without a `Date`, the client's wall clock at sending stands in for the server's.
 */
export function anchorAt(serverDate: number | undefined, sent: ClockReading): TimeBase {
  return { server: serverDate === undefined ? sent.wall : serverDate + 1_000, ...sent };
}

/**
 * Moves `base` on to a new reading. Time passed is the monotonic clock's progress, unless the wall
 * clock moved further ahead: `performance.now()` stops while most laptops sleep, and a clock stepped
 * forward looks the same (it only makes us refresh early; the server's next answer settles it).
 * A wall clock that went back changes nothing.
 */
export function advance(base: TimeBase, reading: ClockReading): TimeBase {
  const byMono = reading.mono - base.mono;
  const byWall = reading.wall - base.wall;
  return { server: base.server + (byWall - byMono > GAP_TOLERANCE_MS ? byWall : byMono), ...reading };
}

/** The wall-clock (`Date.now()` basis) time of server time `at`, as seen from `base`; `null` (never) stays `null`. */
export function wallTime(base: TimeBase, at: number | null): number | null {
  return at === null ? null : base.wall + (at - base.server);
}
