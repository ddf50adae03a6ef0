/** The clocks and timers a session runs on; tests inject fake ones. */
export interface Clock {
  /** The wall clock (`Date.now()`): may be wrong, and may jump. */
  now(): number;
  /** A monotonic clock (`performance.now()`): never goes back; may stop while the machine sleeps. */
  monotonic(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clocks: Date.now, performance.now and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** setTimeout's largest delay (2^31 − 1 ms, ~24.8 days); longer delays fire at once if passed as-is. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

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
