// The debug log's words: one line per step of the token life cycle, for the engine's
// `consoleDebugLog()` (console.ts) and the element, which loads this module as a lazy chunk when its
// `debug` is on. Lines name token keys and times, never token values, and errors by their code and
// message (which never hold a secret either). It imports nothing at run time: a lazy chunk that
// shares a module with the page makes bundlers split that module into a chunk of its own.
import type { EmbedError } from '../errors.js';
import type { ScheduleOptions } from '../token/schedule.js';
import type { SessionEvent } from '../token/session-types.js';

/**
 * One step of the token life cycle, as a debug log is told of it: a session event (an identity
 * request starting, tokens, whose entry carries them as for `subscribe()`, an error, expiry), the
 * session's dispose, and the element's own steps.
 */
export type DebugEntry =
  | SessionEvent
  | { type: 'disposed' }
  | { type: 'mounting'; vendor: string; dashboardId: string }
  | { type: 'mounted' }
  | { type: 'mount-failed'; error: EmbedError; attempt: number; nextRetryAt: number | null }
  | { type: 'vendor-error'; error: EmbedError }
  | { type: 'unmounted' }
  | { type: 'invalid-input'; error: EmbedError };

/**
 * A debug log: told each step, the `Date.now()` time it happened, and the session's schedule (for
 * the refresh it plans; options left out keep their defaults).
 */
export type DebugLog = (entry: DebugEntry, now: number, schedule: Partial<ScheduleOptions>) => void;

function at(ms: number): string {
  return new Date(ms).toISOString();
}

function inSeconds(ms: number, now: number): string {
  const seconds = Math.round((ms - now) / 1000);
  return seconds >= 0 ? `in ${seconds} s` : `${-seconds} s ago`;
}

function retry(nextRetryAt: number | null, now: number, without: string): string {
  return nextRetryAt === null ? without : `retry ${inSeconds(nextRetryAt, now)}`;
}

/** When the refresh of a token set is due at the latest (`null` = never), on its session's schedule. */
export type RefreshPlan = (tokens: Extract<SessionEvent, { type: 'tokens' }>) => number | null;

/** The debug line for `entry`, told at client time `now`; `plan` says when its tokens are refreshed. */
export function describeEntry(entry: DebugEntry, now: number, plan: RefreshPlan): string {
  switch (entry.type) {
    case 'request':
      return `identity request started (${entry.action ? `action ${entry.action}` : entry.reason})`;
    case 'tokens': {
      const keys = Object.keys(entry.tokens).join(', ') || 'none';
      if (entry.expiresAt === null) return `tokens received (${keys}); they never expire, no refresh scheduled`;
      const expires = `expire ${at(entry.expiresAt)} (${inSeconds(entry.expiresAt, now)}, from ${entry.source})`;
      const due = plan(entry);
      // The session may plan earlier (a vendor asking for longer-lived tokens), never later.
      const next =
        due === null
          ? 'no refresh scheduled'
          : `refresh scheduled by ${at(due)} (${inSeconds(due, now)} at the latest)`;
      return `tokens received (${keys}); ${expires}; ${next}`;
    }
    case 'error': {
      const { code, message } = entry.error;
      const then = retry(entry.nextRetryAt, now, 'no automatic retry (refresh() or new inputs resume)');
      return `error ${code} (attempt ${entry.attempt}; ${then}): ${message}`;
    }
    case 'expired':
      return `tokens expired at ${at(entry.expiredAt)}; the embed is hidden until new ones arrive`;
    case 'disposed':
      return 'session disposed: timer, requests and wake-up listeners released';
    case 'mounting':
      return `mounting ${entry.vendor} (dashboard "${entry.dashboardId}")`;
    case 'mounted':
      return 'embed mounted: ready';
    case 'mount-failed':
      return `mount failed (attempt ${entry.attempt}; ${retry(entry.nextRetryAt, now, 'no retry')}): ${entry.error.message}`;
    case 'vendor-error':
      return `error ${entry.error.code}: ${entry.error.message}`;
    case 'unmounted':
      return 'unmounted: embed destroyed, timers and listeners released, session lease returned';
    case 'invalid-input':
      return `invalid input (${entry.error.attribute ?? entry.error.code}): ${entry.error.message}`;
  }
}
