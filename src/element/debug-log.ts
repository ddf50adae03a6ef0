import type { SessionEvent } from '../token/session.js';
import { refreshTime, type ScheduleOptions } from '../token/schedule.js';

/** Writes one debug line; the element's `debug` switch decides whether it goes anywhere. */
export type DebugLog = (message: string) => void;

function at(ms: number): string {
  return new Date(ms).toISOString();
}

function inSeconds(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  return seconds >= 0 ? `in ${seconds} s` : `${-seconds} s ago`;
}

/**
 * The debug line for a session event, at client time `now`. It names token keys and times, never
 * token values, and an error's code and message (which never hold a secret either).
 */
export function describeSessionEvent(event: SessionEvent, now: number, schedule: ScheduleOptions): string {
  if (event.type === 'tokens') {
    const keys = Object.keys(event.tokens).join(', ') || 'none';
    if (event.expiresAt === null) return `tokens received (${keys}); they never expire, no refresh scheduled`;
    const expires = `expire ${at(event.expiresAt)} (${inSeconds(event.expiresAt, now)}, from ${event.source})`;
    const due = refreshTime(event, schedule);
    // The session may plan earlier (a vendor asking for longer-lived tokens), never later.
    const next =
      due === null ? 'no refresh scheduled' : `refresh scheduled by ${at(due)} (${inSeconds(due, now)} at the latest)`;
    return `tokens received (${keys}); ${expires}; ${next}`;
  }
  if (event.type === 'error') {
    const { code, message } = event.error;
    const retry =
      event.nextRetryAt === null
        ? 'no automatic retry (refresh() or new inputs resume)'
        : `retry ${inSeconds(event.nextRetryAt, now)}`;
    return `error ${code} (attempt ${event.attempt}; ${retry}): ${message}`;
  }
  return `tokens expired at ${at(event.expiredAt)}; the embed is hidden until new ones arrive`;
}

/**
 * A console logger for one element, labelled `[embed-dashboard vendor/dashboard]`. `enabled` is read
 * at every line, so switching `debug` on or off takes effect at once.
 */
export function consoleLog(label: string, enabled: () => boolean): DebugLog {
  return (message) => {
    if (enabled()) console.info(`[embed-dashboard ${label}] ${message}`);
  };
}

// Identity requests of a shared session are made by whichever element created it: every element
// on the key hears of them, so a debugging element sees fetches another element's session makes.
const fetchLogs = new Map<string, Set<DebugLog>>();

/** Adds `log` to the loggers told about `key`'s identity requests; returns the function that removes it. */
export function listenForFetches(key: string, log: DebugLog): () => void {
  let logs = fetchLogs.get(key);
  if (!logs) fetchLogs.set(key, (logs = new Set()));
  logs.add(log);
  return () => {
    logs.delete(log);
    if (!logs.size && fetchLogs.get(key) === logs) fetchLogs.delete(key);
  };
}

/** Tells every logger on `key` that an identity request started. */
export function announceFetch(key: string, what: string): void {
  for (const log of fetchLogs.get(key) ?? []) log(`identity request started (${what})`);
}
