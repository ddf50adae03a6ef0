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
