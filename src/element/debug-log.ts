import type { DebugEntry } from '../debug/lines.js';
import { refreshTime, scheduleWithDefaults } from '../token/schedule.js';
import type { SessionSettings } from './config.js';

/** Tells the element's debug log of one step; it reaches the console only while `debug` is on. */
export type ElementLog = (entry: DebugEntry) => void;

/**
 * The element's console log, labelled `[embed-dashboard <label>]`, for the steps told while
 * `enabled()` is true (read at each step, so switching `debug` takes effect at once). The words
 * are a lazy chunk (src/debug/lines.ts), fetched at the first step told with `debug` on: a page
 * that never debugs never downloads them. Steps told before it arrives wait, with the time they
 * happened, and come out in order.
 */
export function elementLog(label: string, settings: SessionSettings, enabled: () => boolean): ElementLog {
  let write: ((entry: DebugEntry, now: number) => void) | null = null;
  let waiting: Array<[DebugEntry, number]> | null = null;
  return (entry) => {
    if (!enabled()) return;
    const now = settings.clock?.now() ?? Date.now();
    if (write) return write(entry, now);
    if (!waiting) {
      waiting = [];
      import('../debug/lines.js').then(
        ({ describeEntry }) => {
          const schedule = scheduleWithDefaults(settings);
          write = (step, at) =>
            console.info(
              `[embed-dashboard ${label}] ${describeEntry(step, at, (tokens) => refreshTime(tokens, schedule))}`,
            );
          for (const [early, at] of waiting!.splice(0)) write(early, at);
        },
        (error: unknown) => {
          write = () => {};
          waiting!.length = 0;
          console.warn(`[embed-dashboard ${label}] the debug log could not load: ${error}`);
        },
      );
    }
    waiting.push([entry, now]);
  };
}
