import { LRUCache } from 'lru-cache';
import { check } from '../errors.js';
import { checkLimits, checkTtl } from './checks.js';
import { DEFAULT_MAX_ENTRIES_PER_OWNER, type SessionStore, type StoreLimits } from './types.js';

/** Options of {@link createMemorySessionStore}. */
export interface MemorySessionStoreOptions extends StoreLimits {
  /** Clock in milliseconds since the epoch (default `Date.now`); tests inject their own. */
  now?: () => number;
  /**
   * Most entries kept at once (default 10 000). Over it, the least recently used entry is dropped: an
   * O(1) step whatever the size, so a flood of distinct users costs each new one the same.
   */
  maxEntries?: number;
}

/** The in-memory store plus its current size (for monitoring and tests). */
export interface MemorySessionStore<Value = unknown> extends SessionStore<Value> {
  /** Number of entries held right now, expired-but-not-yet-evicted ones included. */
  readonly size: number;
}

interface Entry {
  /** The value as JSON: stored serialised, like Redis does, so no caller shares an object with another. */
  json: string;
  owner: string | undefined;
  /** Clock time at which the entry is gone. */
  expiresAt: number;
}

/**
 * An in-process {@link SessionStore}: an LRU cache (lru-cache) with a TTL per entry, checked when
 * read, and a cap per owner. It lives in one process only: behind a load balancer, on several
 * instances or on serverless runtimes use {@link createRedisSessionStore} (or your own store) instead.
 */
export function createMemorySessionStore<Value = unknown>(
  options: MemorySessionStoreOptions = {},
): MemorySessionStore<Value> {
  const maxEntries = options.maxEntries ?? 10_000;
  check(
    Number.isInteger(maxEntries) && maxEntries > 0,
    `createMemorySessionStore: maxEntries must be a positive integer, got ${String(maxEntries)}.`,
  );
  const now = options.now ?? Date.now;
  const perOwner = options.maxEntriesPerOwner ?? DEFAULT_MAX_ENTRIES_PER_OWNER;
  checkLimits(perOwner, 'createMemorySessionStore');
  /** Each owner's keys, oldest first: short arrays (at most `perOwner` long), cheap for the common single entry. */
  const byOwner = new Map<string, string[]>();
  const forget = (key: string, owner: string | undefined): void => {
    if (owner === undefined) return;
    const keys = byOwner.get(owner);
    if (!keys) return;
    const at = keys.indexOf(key);
    if (at >= 0) keys.splice(at, 1);
    if (keys.length === 0) byOwner.delete(owner);
  };
  const cache = new LRUCache<string, Entry>({
    max: maxEntries,
    // Called on delete, expiry, eviction and replacement alike, so the owner index never holds a dead key.
    dispose: (entry, key) => forget(key, entry.owner),
  });

  return {
    get size() {
      return cache.size;
    },
    get(key) {
      const entry = cache.get(key);
      if (entry === undefined) return undefined;
      // Expiry is checked here, on the store's clock; expired entries nobody reads go by LRU eviction.
      if (entry.expiresAt <= now()) {
        cache.delete(key);
        return undefined;
      }
      return JSON.parse(entry.json) as Value;
    },
    set(key, value, ttlSeconds, setOptions) {
      checkTtl(ttlSeconds);
      cache.delete(key);
      if (ttlSeconds <= 0) return;
      const owner = setOptions?.owner;
      cache.set(key, { json: JSON.stringify(value), owner, expiresAt: now() + ttlSeconds * 1000 });
      if (owner === undefined) return;
      const keys = byOwner.get(owner);
      if (keys) keys.push(key);
      else byOwner.set(owner, [key]);
      // Only this owner's oldest entries make room: one user cycling User-Agents evicts nobody else.
      while ((byOwner.get(owner)?.length ?? 0) > perOwner) cache.delete(byOwner.get(owner)![0]!);
    },
    delete(key) {
      cache.delete(key);
    },
  };
}
