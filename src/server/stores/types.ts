/**
 * Where server-side state lives between identity requests: Looker cookieless sessions, cached vendor
 * admin tokens (Looker API login) and reused vendor tokens (Vizzly, DataBrain, Formant). Every method
 * may return a promise, so Redis, a database or a KV store fits behind it. Values must survive a JSON
 * round trip: the built-in stores keep them serialised.
 *
 * A store that cannot answer (Redis down) should reject; the identity endpoint then answers a
 * retriable 503, and the next request after recovery works again.
 */
export interface SessionStore<Value = unknown> {
  /** The value stored under `key`, or `undefined` when absent or expired. */
  get(key: string): Value | undefined | Promise<Value | undefined>;
  /**
   * Stores `value` under `key` for `ttlSeconds` seconds (replacing any previous value; 0 or less stores
   * nothing). With `options.owner`, the entry counts against that owner's cap (see
   * {@link StoreLimits.maxEntriesPerOwner}): the owner's oldest entries make room, nobody else's.
   */
  set(key: string, value: Value, ttlSeconds: number, options?: SetOptions): void | Promise<void>;
  /** Forgets `key` (no error when absent). */
  delete(key: string): void | Promise<void>;
}

/** Options of {@link SessionStore.set}. */
export interface SetOptions {
  /**
   * Who created the entry (e.g. a hash of the signed-in user's id). One owner can hold at most the
   * store's `maxEntriesPerOwner` entries, so a user who creates entries at will (a new Looker session
   * per User-Agent) only ever evicts their own.
   */
  owner?: string;
}

/** Bounds shared by the built-in stores. */
export interface StoreLimits {
  /**
   * The most entries one owner (see {@link SetOptions.owner}) holds at once (default
   * {@link DEFAULT_MAX_ENTRIES_PER_OWNER}); over it, that owner's oldest entry is dropped.
   */
  maxEntriesPerOwner?: number;
}

/** Default of {@link StoreLimits.maxEntriesPerOwner}: a user's browsers × dashboards, generously. */
export const DEFAULT_MAX_ENTRIES_PER_OWNER = 20;
