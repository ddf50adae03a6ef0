import type { Clock } from '../../src/timers.js';

interface Pending {
  at: number;
  callback: () => void;
}

/** Lets the event loop run (promises, fetch, msw) without moving the fake clock. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A clock whose time moves only when a test says so; timers fire in order as it does. `time` is the
 * wall clock (setting it is a clock step or a sleep the monotonic clock did not see), `mono` the
 * monotonic clock the timers run on.
 */
export class FakeClock implements Clock {
  private readonly timers = new Map<number, Pending>();
  private nextId = 1;
  /** The largest delay ever passed to setTimeout (checks the 2^31 − 1 cap). */
  longestDelay = 0;
  /** The monotonic clock (ms). */
  mono = 1_000;

  constructor(public time = Date.UTC(2026, 10, 25, 12)) {}

  now = (): number => this.time;

  monotonic = (): number => this.mono;

  setTimeout = (callback: () => void, ms: number): number => {
    this.longestDelay = Math.max(this.longestDelay, ms);
    const id = this.nextId++;
    this.timers.set(id, { at: this.mono + Math.max(0, ms), callback });
    return id;
  };

  clearTimeout = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };

  /** Number of timers waiting to fire. */
  get pending(): number {
    return this.timers.size;
  }

  /** Monotonic time of the earliest pending timer, or undefined. */
  get nextAt(): number | undefined {
    let earliest: number | undefined;
    for (const { at } of this.timers.values()) if (earliest === undefined || at < earliest) earliest = at;
    return earliest;
  }

  /** Moves both clocks forward by `ms`, firing due timers in order and letting promises settle between. */
  async advance(ms: number): Promise<void> {
    const end = this.mono + ms;
    for (;;) {
      let due: [number, Pending] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.timers.delete(due[0]);
      this.step(Math.max(0, due[1].at - this.mono));
      due[1].callback();
      await settle();
    }
    this.step(end - this.mono);
    await settle();
  }

  /**
   * A sleep during which no timer runs: the wall clock moves `ms`; the monotonic clock moves too
   * (`monoRuns`, as on some systems) or stops (as on most laptops). Overdue timers then fire late.
   */
  async sleep(ms: number, monoRuns = false): Promise<void> {
    this.time += ms;
    if (monoRuns) this.mono += ms;
    await this.advance(0);
  }

  private step(ms: number): void {
    this.time += ms;
    this.mono += ms;
  }
}
