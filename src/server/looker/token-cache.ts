import { LRUCache } from 'lru-cache';
import { createMemorySessionStore } from '../session-store.js';
import type { SessionStore } from '../session-store.js';

/** Seconds before `expires_in` runs out at which a cached token counts as expired (as Looker's SDK does). */
export const EARLY_EXPIRY_SECONDS = 10;

/** A freshly issued token and its lifetime in seconds. */
export interface IssuedToken {
  token: string;
  expiresIn: number;
}

/** What the cache keeps per key (in its store: these are API access tokens, server side only). */
export interface CachedToken {
  token: string;
  /** Milliseconds since the epoch after which the token is not used again. */
  usableUntil: number;
}

/** Caches one token per key until shortly before it expires; concurrent misses share one request. */
export interface TokenCache {
  /** A valid cached token, or the result of the one in-flight (or a new) issue request for `key`. */
  get(key: string): Promise<string>;
  /** Drops `token` (a 401, a logout). Only that exact token, so a newer one fetched meanwhile stays. */
  invalidate(token: string): void;
}

/** Options of {@link createTokenCache}. */
export interface TokenCacheOptions {
  /** Where tokens live (default: in memory); a shared store lets every instance use one login. */
  store?: SessionStore;
  /** Prefix of the store keys, naming the API key the tokens belong to (default `looker:token`). */
  namespace?: string;
  /** The most tokens kept in the default memory store (default 1000). */
  maxEntries?: number;
}

/**
 * Creates a {@link TokenCache} around `issue`. A failed issue is not cached: the next `get` tries
 * again. Tokens with `expiresIn` at or under {@link EARLY_EXPIRY_SECONDS} serve only the callers of
 * the request that fetched them.
 */
export function createTokenCache(
  issue: (key: string) => Promise<IssuedToken>,
  now: () => number,
  options: TokenCacheOptions = {},
): TokenCache {
  const store = (options.store ??
    createMemorySessionStore({ maxEntries: options.maxEntries ?? 1000 })) as SessionStore<CachedToken>;
  const namespace = options.namespace ?? 'looker:token';
  const inFlight = new Map<string, Promise<string>>();
  /** Tokens this process was told are dead, so a store that is slow to forget them never serves them here. */
  const revoked = new LRUCache<string, true>({ max: 1000 });
  /** Store key of each token this process cached, to forget it on invalidate. */
  const keyOfToken = new LRUCache<string, string>({ max: 1000 });

  async function fetchToken(key: string, storeKey: string): Promise<string> {
    const issued = await issue(key);
    const cached = { token: issued.token, usableUntil: now() + (issued.expiresIn - EARLY_EXPIRY_SECONDS) * 1000 };
    await store.set(storeKey, cached, issued.expiresIn - EARLY_EXPIRY_SECONDS);
    keyOfToken.set(issued.token, storeKey);
    return issued.token;
  }

  return {
    async get(key) {
      const storeKey = `${namespace}:${key}`;
      const cached = await store.get(storeKey);
      if (cached && now() < cached.usableUntil && !revoked.has(cached.token)) return cached.token;
      const pending = inFlight.get(key);
      if (pending) return pending;
      // Started on a later microtask, so the map entry exists before `finally` can remove it.
      const request = Promise.resolve()
        .then(() => fetchToken(key, storeKey))
        .finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
    invalidate(token) {
      revoked.set(token, true);
      const storeKey = keyOfToken.get(token);
      if (storeKey === undefined) return;
      // Forget it for the other instances too; this one already ignores it, so a store failure here is harmless.
      Promise.resolve(store.get(storeKey))
        .then((cached) => (cached?.token === token ? store.delete(storeKey) : undefined))
        .catch(() => undefined);
    },
  };
}
