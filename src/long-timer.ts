// Timers that wait longer than setTimeout can, for the Looker embed's session renewal. A module of
// its own so that only the chunk that uses it carries it, not every page's eager code.
import { MAX_TIMER_DELAY, type Clock } from './timers.js';

/**
 * A single pending timer that can wait any length of time (long waits are chained in steps no
 * longer than {@link MAX_TIMER_DELAY}), re-armed or cancelled at will.
 */
export class LongTimer {
  #handle: unknown = undefined;
  #dueAt = 0;
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Fires `callback` once, `delayMs` from now, replacing any pending one. */
  start(delayMs: number, callback: () => void): void {
    this.cancel();
    const clock = this.#clock;
    // Counted on the monotonic clock: a wall clock set back must not delay it.
    this.#dueAt = clock.monotonic() + delayMs;
    const step = (): void => {
      const left = this.#dueAt - clock.monotonic();
      this.#handle = left > 0 ? clock.setTimeout(step, Math.min(left, MAX_TIMER_DELAY)) : undefined;
      if (left <= 0) callback();
    };
    this.#handle = clock.setTimeout(step, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY));
  }

  cancel(): void {
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}

/**
 * Calls `callback` once the clock reaches `at` (any distance away: long waits are chained).
 * Returns the function that cancels it.
 */
export function callAt(clock: Clock, at: number, callback: () => void): () => void {
  const timer = new LongTimer(clock);
  timer.start(at - clock.now(), callback);
  return () => timer.cancel();
}
