// Per-user reuse of vendor tokens, shared through a SessionStore: the rule every vendor provider follows.
import { sha256Hex } from '../digest.js';
import { check } from '../errors.js';
import { createMemorySessionStore } from './memory.js';
import type { SessionStore } from './types.js';

/** Tokens a provider minted, as held in the store. */
export interface HeldTokens {
  tokens: Record<string, unknown>;
  /** Epoch milliseconds the tokens expire; `null` = never. */
  expiresAtMs: number | null;
}

/** The `cache` option of the Vizzly, DataBrain and Formant providers (`false` turns reuse off). */
export interface TokenReuseOptions {
  /**
   * Reuse tokens minted earlier for the same user and claims only while at least this many seconds of
   * their life remain (each provider documents its default). A refresh (`action: "refresh"`) never
   * reuses: it always mints new tokens, and stores them for the user's other requests.
   */
  minRemainingSeconds?: number;
  /**
   * Where reused tokens live (default: in this process' memory). Pass the same Redis store to every
   * instance so that a user's tokens are minted once for all of them.
   */
  store?: SessionStore;
  /** How long tokens that never expire are reused, in seconds (default 3600). */
  neverExpiringReuseSeconds?: number;
}

/** One request for tokens: which ones, whose, and how to mint them when none can be reused. */
export interface ReuseRequest {
  /** The store key: from {@link reuseKey}, so it holds no user id or claim in clear. */
  key: string;
  /** The owner the entry counts against (see `SetOptions.owner`), or `undefined`. */
  owner: string | undefined;
  /** A refresh: mint new tokens whatever is held. */
  refresh: boolean;
  mint: () => Promise<HeldTokens>;
}

/** Answers token requests from held tokens when the reuse rule allows, else from one mint per key. */
export interface TokenReuse {
  tokens(request: ReuseRequest): Promise<HeldTokens>;
}

/**
 * Creates the reuse rule for one provider. `options === false` mints on every request. Concurrent
 * requests for one key (several tabs, several embeds, a refresh among them) share one mint in this
 * process; instances sharing a store share what each one minted.
 */
export function createTokenReuse(
  options: TokenReuseOptions | false | undefined,
  defaults: { vendor: string; minRemainingSeconds: number; now: () => number },
): TokenReuse {
  if (options === false) return { tokens: (request) => request.mint() };
  const where = `${defaults.vendor}.identityProvider: cache`;
  check(options === undefined || typeof options === 'object', `${where} must be an object or false.`, defaults.vendor);
  const minRemaining = options?.minRemainingSeconds ?? defaults.minRemainingSeconds;
  check(
    Number.isFinite(minRemaining) && minRemaining >= 0,
    `${where}.minRemainingSeconds must be a number of seconds ≥ 0, got ${String(minRemaining)}.`,
    defaults.vendor,
  );
  const neverExpiring = options?.neverExpiringReuseSeconds ?? 3600;
  check(
    Number.isFinite(neverExpiring) && neverExpiring >= 0,
    `${where}.neverExpiringReuseSeconds must be a number of seconds ≥ 0.`,
    defaults.vendor,
  );
  const store = (options?.store ?? createMemorySessionStore()) as SessionStore<HeldTokens>;
  const { now } = defaults;
  const minting = new Map<string, Promise<HeldTokens>>();

  /** Seconds the tokens may still be handed out: their life left minus the minimum a client needs. */
  const reusableFor = (held: HeldTokens): number =>
    held.expiresAtMs === null ? neverExpiring : (held.expiresAtMs - now()) / 1000 - minRemaining;

  function mintOnce({ key, owner, mint }: ReuseRequest): Promise<HeldTokens> {
    const pending = minting.get(key);
    if (pending) return pending;
    const started = (async () => {
      const held = await mint();
      // A TTL of 0 or less deletes: tokens too short-lived to reuse also replace older ones held.
      await store.set(key, held, reusableFor(held), { owner });
      return held;
    })().finally(() => minting.delete(key));
    minting.set(key, started);
    return started;
  }

  return {
    async tokens(request) {
      // A mint in flight always yields new tokens, so a refresh may join it; it never reads the store.
      if (request.refresh || minting.has(request.key)) return mintOnce(request);
      const held = await store.get(request.key);
      if (held && reusableFor(held) > 0) return held;
      return mintOnce(request);
    },
  };
}

/** A store key for `material` (the identity of the tokens): `<vendor>:tokens:<SHA-256 hex of its JSON>`. */
export async function reuseKey(vendor: string, material: unknown): Promise<string> {
  return `${vendor}:tokens:${await sha256Hex(JSON.stringify(material))}`;
}

/**
 * The owner an app user's entries count against: `userKey(user)` when given, else the user itself when
 * it is a string, else its `id` (string or number); `undefined` (no per-user cap) otherwise. Hashed.
 */
export async function ownerOf<User>(
  vendor: string,
  user: User,
  userKey: ((user: User) => string) | undefined,
): Promise<string | undefined> {
  const id: unknown = userKey ? userKey(user) : typeof user === 'string' ? user : (user as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  return `${vendor}:${await sha256Hex(String(id))}`;
}
