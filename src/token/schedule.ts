import type { Expiry } from './expiry.js';

/** Tunables of the refresh schedule. Every duration is in milliseconds. */
export interface ScheduleOptions {
  /** Refresh once this fraction of the lifetime has passed (default 0.8). */
  refreshRatio: number;
  /** …but never later than this long before expiry (default 60 000). */
  marginMs: number;
  /** Never schedule a refresh sooner than this (default 5 000): the floor against refresh loops. */
  minDelayMs: number;
  /** First retry / stale-token backoff step (default 1 000). */
  retryBaseMs: number;
  /** Longest wait between retries (default 60 000). */
  retryMaxMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = {
  refreshRatio: 0.8,
  marginMs: 60_000,
  minDelayMs: 5_000,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
};

/**
 * `options` over the schedule's defaults: an option left out or `undefined` keeps its default.
 * Options other than the schedule's (a whole session's) pass through as given.
 */
export function scheduleWithDefaults<T extends Partial<ScheduleOptions>>(options: T): T & ScheduleOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_SCHEDULE, ...given } as T & ScheduleOptions;
}

/**
 * Client-clock time at which a token set should be refreshed: when `refreshRatio` of its lifetime
 * has passed or `marginMs` before expiry, whichever is first — but never before half its lifetime,
 * so short-lived tokens are not refreshed the moment they arrive. `null` = never.
 */
export function refreshTime(expiry: Expiry, options: ScheduleOptions): number | null {
  if (expiry.expiresAt === null || expiry.lifetimeMs === null) return null;
  const { expiresAt, lifetimeMs } = expiry;
  const issuedAt = expiresAt - lifetimeMs;
  const afterRatio = lifetimeMs * options.refreshRatio;
  const beforeMargin = Math.max(lifetimeMs - options.marginMs, lifetimeMs / 2);
  return issuedAt + Math.min(afterRatio, beforeMargin);
}

/** True when tokens are expired or inside the refresh window at `now`. */
export function needsRefresh(now: number, expiry: Expiry, options: ScheduleOptions): boolean {
  const at = refreshTime(expiry, options);
  return at !== null && now >= at;
}

/**
 * True when a freshly received token set is already expired or too close to expiry to be worth
 * scheduling from (less than the floor left): the server is handing out stale tokens.
 */
export function isStale(now: number, expiry: Expiry, options: ScheduleOptions): boolean {
  return expiry.expiresAt !== null && expiry.expiresAt - now < options.minDelayMs;
}

/**
 * Delay (ms) before retry number `attempt` (1-based): exponential backoff with full jitter,
 * capped at `retryMaxMs`, and never shorter than the server's `Retry-After`.
 */
export function retryDelay(
  attempt: number,
  options: ScheduleOptions,
  random: () => number,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Delay (ms) from `now` until the next refresh of a token set, or `null` for never. Stale sets
 * (see {@link isStale}) back off exponentially from the floor instead of looping.
 */
export function nextRefreshDelay(
  now: number,
  expiry: Expiry,
  staleCount: number,
  options: ScheduleOptions,
): number | null {
  if (staleCount > 0) {
    return Math.min(options.retryMaxMs, options.minDelayMs * 2 ** (staleCount - 1));
  }
  const at = refreshTime(expiry, options);
  if (at === null) return null;
  return Math.max(options.minDelayMs, at - now);
}
