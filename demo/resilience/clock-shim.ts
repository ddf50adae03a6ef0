// The demo page's clock shim, imported before the element so every `Date.now()`, `new Date()` and
// `performance.now()` of the page goes through it. Two offsets simulate what the resilience controls
// promise:
// - a wall-clock shift (NTP correction, a user changing the time): `Date` moves, `performance.now`
//   does not;
// - a sleep: both clocks jump forward at once, then the page gets what a waking page gets
//   (`visibilitychange`, `focus`, `pageshow`).
// What it cannot simulate: real timers keep running through a "sleep" (a real suspended laptop runs
// none), iframes (Formant, Looker) keep their own clocks, and the server's clock does not move.

const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
const realPerformanceNow = performance.now.bind(performance);

let wallShiftMs = 0;
let sleptMs = 0;

/** The page's wall clock (what `Date.now()` now returns). */
export function wallNow(): number {
  return realNow() + sleptMs + wallShiftMs;
}

/**
 * The simulated true time (ms since the epoch): real time plus every simulated sleep, never the wall
 * shift. The timelines draw on it, so a shifted wall clock cannot hide an expired token.
 */
export function trueNow(): number {
  return realNow() + sleptMs;
}

/** The offsets in force. */
export function clockOffsets(): { wallShiftMs: number; sleptMs: number } {
  return { wallShiftMs, sleptMs };
}

/** Fired on `window` after every change of the offsets; `detail` says what happened. */
export const CLOCK_CHANGE_EVENT = 'demo-clock-change';

/** What a {@link CLOCK_CHANGE_EVENT} carries. */
export interface ClockChange {
  kind: 'shift' | 'sleep' | 'reset';
  /** The shift or sleep, in ms (0 for reset). */
  ms: number;
}

function announce(change: ClockChange): void {
  window.dispatchEvent(new CustomEvent<ClockChange>(CLOCK_CHANGE_EVENT, { detail: change }));
}

/** Moves the wall clock by `ms` (±); the monotonic clock stays. */
export function shiftWallClock(ms: number): void {
  wallShiftMs += ms;
  announce({ kind: 'shift', ms });
}

/** Takes the wall-clock shift back (slept time stays: it has passed). */
export function resetWallClock(): void {
  wallShiftMs = 0;
  announce({ kind: 'reset', ms: 0 });
}

/** Jumps both clocks forward by `ms`, then tells the page it woke up, as a resumed laptop does. */
export function simulateSleep(ms: number): void {
  sleptMs += ms;
  announce({ kind: 'sleep', ms });
  document.dispatchEvent(new Event('visibilitychange'));
  window.dispatchEvent(new FocusEvent('focus'));
  window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
}

// `new Date()` and `Date()` read the shifted clock; `new Date(x)`, `Date.parse`, `Date.UTC` and
// `instanceof Date` behave as always (same prototype).
const ShiftedDate = new Proxy(RealDate, {
  construct(target, args: unknown[], newTarget) {
    return Reflect.construct(target, args.length === 0 ? [wallNow()] : args, newTarget) as object;
  },
  apply() {
    return new RealDate(wallNow()).toString();
  },
  get(target, property, receiver) {
    if (property === 'now') return wallNow;
    return Reflect.get(target, property, receiver) as unknown;
  },
});
globalThis.Date = ShiftedDate;
Object.defineProperty(performance, 'now', {
  configurable: true,
  value: () => realPerformanceNow() + sleptMs,
});
