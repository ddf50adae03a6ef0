/**
 * What a session knows of the server's time: an upper bound of it at one reading of the client's
 * clocks. Expiry and schedules are kept on this basis, so neither a wrong client clock nor a clock
 * that jumps makes tokens outlive their real expiry.
 */
export interface TimeBase {
  /** An upper bound of the server's time (ms) at the reading. */
  server: number;
  /** The monotonic clock (`performance.now()` basis) at the reading. */
  mono: number;
  /** The wall clock (`Date.now()` basis) at the reading. */
  wall: number;
}

/** Wall-clock moves this much further than the monotonic clock before they count as a suspend. */
export const GAP_TOLERANCE_MS = 1_000;

/**
 * The time base an answer gives: the server's `Date` (taken as the end of its whole second) held at
 * the moment the request was sent, so the time the request took only makes tokens look older.
 * Without a `Date`, the client's wall clock at sending stands in for the server's.
 */
export function anchorAt(serverDate: number | undefined, sent: { mono: number; wall: number }): TimeBase {
  return { server: serverDate === undefined ? sent.wall : serverDate + 1_000, ...sent };
}

/**
 * Moves `base` on to a new reading. Time passed is the monotonic clock's progress, unless the wall
 * clock moved further ahead: `performance.now()` stops while most laptops sleep, and a clock stepped
 * forward looks the same (it only makes us refresh early; the server's next answer settles it).
 * A wall clock that went back changes nothing.
 */
export function advance(base: TimeBase, mono: number, wall: number): TimeBase {
  const byMono = mono - base.mono;
  const byWall = wall - base.wall;
  return { server: base.server + (byWall - byMono > GAP_TOLERANCE_MS ? byWall : byMono), mono, wall };
}

/** The wall-clock (`Date.now()` basis) time of server time `at`, as seen from `base`. */
export function wallTime(base: TimeBase, at: number): number {
  return base.wall + (at - base.server);
}
