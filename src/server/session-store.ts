import { trimMap } from './bounded-map.js';
import { check } from './errors.js';

/**
 * Where server-side session state lives between identity requests (e.g. Looker's cookieless
 * `session_reference_token`). Every method may return a promise, so Redis, a database or a KV
 * store fits behind it. Values must survive a JSON round trip if your store serialises them.
 */
export interface SessionStore<Value = unknown> {
  /** The value stored under `key`, or `undefined` when absent or expired. */
  get(key: string): Value | undefined | Promise<Value | undefined>;
  /** Stores `value` under `key` for `ttlSeconds` seconds (replacing any previous value). */
  set(key: string, value: Value, ttlSeconds: number): void | Promise<void>;
  /** Forgets `key` (no error when absent). */
  delete(key: string): void | Promise<void>;
}

/** Options of {@link createMemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Clock in milliseconds since the epoch (default `Date.now`); tests inject their own. */
  now?: () => number;
  /**
   * Most entries kept at once (default 10 000). Over it, expired entries are swept and then the
   * least recently written ones dropped, so a flood of distinct users cannot grow memory unbounded.
   */
  maxEntries?: number;
}

/** The in-memory store plus its current size (for monitoring and tests). */
export interface MemorySessionStore<Value = unknown> extends SessionStore<Value> {
  /** Number of entries held right now, expired-but-not-yet-evicted ones included. */
  readonly size: number;
}

interface Entry<Value> {
  value: Value;
  expiresAt: number;
}

/**
 * An in-process {@link SessionStore} with per-entry TTL: expired entries are dropped lazily when read
 * and swept when the size bound is reached. It lives in one process only: behind a load balancer or
 * on serverless runtimes use a shared store (Redis, KV) implementing {@link SessionStore} instead.
 */
export function createMemorySessionStore<Value = unknown>(
  options: MemorySessionStoreOptions = {},
): MemorySessionStore<Value> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  check(
    Number.isInteger(maxEntries) && maxEntries > 0,
    `createMemorySessionStore: maxEntries must be a positive integer, got ${String(maxEntries)}.`,
  );
  // Map keeps insertion order; re-inserting on write makes the first key the least recently written.
  const entries = new Map<string, Entry<Value>>();

  return {
    get size() {
      return entries.size;
    },
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, ttlSeconds) {
      check(
        typeof ttlSeconds === 'number' && Number.isFinite(ttlSeconds),
        `SessionStore.set: ttlSeconds must be a finite number of seconds, got ${String(ttlSeconds)}.`,
      );
      entries.delete(key);
      if (ttlSeconds <= 0) return;
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      trimMap(entries, maxEntries, (entry) => entry.expiresAt <= now());
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
