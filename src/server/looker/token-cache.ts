import { trimMap } from '../bounded-map.js';

/** Seconds before `expires_in` runs out at which a cached token counts as expired (as Looker's SDK does). */
export const EARLY_EXPIRY_SECONDS = 10;

/** A freshly issued token and its lifetime in seconds. */
export interface IssuedToken {
  token: string;
  expiresIn: number;
}

/** Caches one token per key until shortly before it expires; concurrent misses share one request. */
export interface TokenCache {
  /** A valid cached token, or the result of the one in-flight (or a new) issue request for `key`. */
  get(key: string): Promise<string>;
  /** Drops `token` (a 401, a logout). Only that exact token, so a newer one fetched meanwhile stays. */
  invalidate(token: string): void;
}

interface Entry {
  token: string;
  /** Milliseconds since the epoch after which the token is not used again. */
  usableUntil: number;
}

/**
 * Creates a {@link TokenCache} around `issue`. A failed issue is not cached: the next `get` tries
 * again. Tokens with `expiresIn` at or under {@link EARLY_EXPIRY_SECONDS} serve only the callers of
 * the request that fetched them.
 */
export function createTokenCache(
  issue: (key: string) => Promise<IssuedToken>,
  now: () => number,
  maxEntries = 1000,
): TokenCache {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<string>>();

  function store(key: string, issued: IssuedToken): void {
    entries.set(key, { token: issued.token, usableUntil: now() + (issued.expiresIn - EARLY_EXPIRY_SECONDS) * 1000 });
    trimMap(entries, maxEntries, (entry) => entry.usableUntil <= now());
  }

  return {
    get(key) {
      const cached = entries.get(key);
      if (cached && now() < cached.usableUntil) return Promise.resolve(cached.token);
      const pending = inFlight.get(key);
      if (pending) return pending;
      // Started on a later microtask, so the map entry exists before `finally` can remove it.
      const request = Promise.resolve()
        .then(() => issue(key))
        .then((issued) => {
          store(key, issued);
          return issued.token;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
    invalidate(token) {
      for (const [key, entry] of entries) if (entry.token === token) entries.delete(key);
    },
  };
}
