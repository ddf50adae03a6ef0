import type { DebugLog } from '../debug/lines.js';
import { EmbedError } from '../errors.js';
import type { Expiry } from './expiry.js';
import type { ScheduleOptions } from './schedule.js';
import type { Clock } from '../timers.js';
import type { FetchReason, TokenFetcher, TokenSet } from './types.js';
import type { WakeTargets } from './wake.js';

/** Options of a {@link TokenSession}. Durations are in milliseconds. */
export interface TokenSessionOptions extends Partial<ScheduleOptions> {
  /** Fetches a fresh token set (usually the identity endpoint client). */
  fetchTokens: TokenFetcher;
  /** Abort an identity request after this long (default 15 000). */
  timeoutMs?: number;
  /** Lifetime assumed for opaque tokens whose expiry nothing tells (default 300 000). */
  defaultLifetimeMs?: number;
  /** Clocks and timers (default: the real ones). */
  clock?: Clock;
  /** Random source for retry jitter (default Math.random). */
  random?: () => number;
  /** Where to listen for wake-ups (visibilitychange, online, focus, pageshow); `null` for nowhere. */
  wakeTargets?: WakeTargets | null;
  /**
   * Told each step of this session's token life cycle: identity requests started, tokens received,
   * errors, expiry, dispose. `consoleDebugLog(label?)` (from `embed-dashboard/debug`) writes them
   * to the console, naming token keys and times, never token values. Only the apps that pass one
   * bundle the log's words.
   */
  debug?: DebugLog;
}

/** An event a session reports to its subscribers. Times are `Date.now()` times worked out when it is sent. */
export type SessionEvent =
  | { type: 'request'; reason: FetchReason; action?: string }
  | { type: 'tokens'; tokens: TokenSet; expiresAt: number | null; lifetimeMs: number | null; source: Expiry['source'] }
  | { type: 'error'; error: EmbedError; attempt: number; nextRetryAt: number | null }
  | { type: 'expired'; expiredAt: number };

export type SessionListener = (event: SessionEvent) => void;

export type Settings = ScheduleOptions &
  Required<Pick<TokenSessionOptions, 'fetchTokens' | 'timeoutMs' | 'defaultLifetimeMs' | 'random' | 'clock'>> &
  TokenSessionOptions;

export function disposedError(): EmbedError {
  return new EmbedError('disposed', 'The token session was disposed.');
}

export function staleError(leftMs: number): EmbedError {
  const left = Math.round(leftMs / 1000);
  return new EmbedError(
    'expired-token',
    `The identity endpoint returned tokens that ${left > 0 ? `expire in ${left} s` : `expired ${-left} s ago`}: check the server's token lifetime and clock.`,
    { retriable: true },
  );
}
