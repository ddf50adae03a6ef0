import { refreshTime, scheduleWithDefaults } from '../token/schedule.js';
import { describeEntry, type DebugLog } from './lines.js';

/**
 * A debug log for `TokenSession`'s `debug` option: each step of the token life cycle as one
 * `console.info` line labelled `[embed-dashboard <label>]`, naming token keys and times, never
 * token values. `new TokenSession({fetchTokens, debug: consoleDebugLog('orders')})`.
 */
export function consoleDebugLog(label = 'session'): DebugLog {
  return (entry, now, schedule) => {
    const plan = scheduleWithDefaults(schedule);
    console.info(`[embed-dashboard ${label}] ${describeEntry(entry, now, (tokens) => refreshTime(tokens, plan))}`);
  };
}
