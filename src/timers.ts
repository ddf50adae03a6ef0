/** The clock and timers a session runs on; tests inject fake ones. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock: Date.now and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
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
  /** Client-clock time the timer fires at, or `null` when idle. */
  dueAt: number | null = null;

  constructor(private readonly clock: Clock) {}

  /** Fires `callback` once, `delayMs` from now, replacing any pending one. */
  start(delayMs: number, callback: () => void): void {
    this.cancel();
    this.dueAt = this.clock.now() + delayMs;
    const step = (): void => {
      const left = (this.dueAt ?? 0) - this.clock.now();
      if (left > 0) {
        this.#handle = this.clock.setTimeout(step, Math.min(left, MAX_TIMER_DELAY));
        return;
      }
      this.#handle = undefined;
      this.dueAt = null;
      callback();
    };
    this.#handle = this.clock.setTimeout(step, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY));
  }

  cancel(): void {
    if (this.#handle !== undefined) this.clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.dueAt = null;
  }

  get pending(): boolean {
    return this.#handle !== undefined;
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
