// The Vizzly identity provider for the server handler: the app decides the claims, the signer signs.
import { trimMap } from '../bounded-map.js';
import { check } from '../errors.js';
import { isPromiseLike } from '../validate.js';
import { sameJson } from '../json-same.js';
import type { IdentityRequestBody, ProviderContext, VendorTokens } from '../types.js';
import type { TokenClaims, VizzlySigner } from './signer.js';

/** How the provider reuses tokens it signed (`cache` option). */
export interface VizzlyTokenCacheOptions {
  /** Reuse signed tokens while at least this fraction of their lifetime is left (default 0.5). */
  reuseWhileFractionLeft?: number;
  /** The most claim sets remembered at once (default 10 000); the oldest go first. */
  maxEntries?: number;
}

/** Options of {@link identityProvider}. */
export interface VizzlyProviderOptions<User> {
  /** The signer from `vizzly.createSigner()`. */
  signer: VizzlySigner;
  /**
   * Decides the user's access: returns `{dashboard, data?, queryEngine?}` claims for this user.
   * This is the ONLY source of access claims; nothing in the request body is copied into a token.
   * `body` (e.g. `body.dashboardId`, `body.context`) is an untrusted hint you may check against your own
   * rules. Throw to refuse the request.
   */
  claims: (user: User, body: IdentityRequestBody, request: Request) => TokenClaims | Promise<TokenClaims>;
  /**
   * Reuse of signed tokens (default on): a request whose claims are exactly those of tokens signed
   * earlier gets those tokens while enough of their life is left — the same access, no new ES256
   * signatures, and concurrent requests share one signing. `false` signs every request anew.
   */
  cache?: VizzlyTokenCacheOptions | false;
}

/** What the Vizzly provider answers: Vizzly's tokens and their shared expiry. */
export interface VizzlyProviderTokens extends VendorTokens {
  tokens: { dashboardAccessToken: string; dataAccessToken?: string; queryEngineAccessToken?: string };
  /** ISO time the tokens expire. */
  expiresAt: string;
  /** Seconds until they expire (rounded down; less than the signer's TTL when reused from the cache). */
  expiresIn: number;
}

/**
 * Creates the Vizzly identity provider (an `IdentityProvider`) for the identity endpoint: for each
 * request it asks the app's `claims(user, body, request)` callback what the user may access and signs the tokens.
 *
 * @example
 * vizzly.identityProvider({
 *   signer,
 *   claims: (user) => ({ dashboard: { userReference: user.id }, data: { dataSetIds: '*', secureFilters: {} } }),
 * });
 */
export function identityProvider<User = unknown>(
  options: VizzlyProviderOptions<User>,
): (context: ProviderContext<User>) => VizzlyProviderTokens | Promise<VizzlyProviderTokens> {
  check(options && typeof options === 'object', 'vizzly.identityProvider(options): pass {signer, claims}.', 'vizzly');
  const { signer, claims } = options;
  check(
    signer && typeof signer.generateTokens === 'function',
    'vizzly.identityProvider(options): signer must come from vizzly.createSigner().',
    'vizzly',
  );
  check(
    typeof claims === 'function',
    'vizzly.identityProvider(options): claims must be a function (user, body, request) => {dashboard, data?, queryEngine?}.',
    'vizzly',
  );
  const now = signer.now ?? Date.now;
  const cache = options.cache === false ? null : (options.cache ?? {});
  const reuseFraction = cache?.reuseWhileFractionLeft ?? 0.5;
  const maxEntries = cache?.maxEntries ?? 10_000;
  check(
    reuseFraction > 0 && reuseFraction <= 1,
    'vizzly.identityProvider(options): cache.reuseWhileFractionLeft must be in (0, 1].',
    'vizzly',
  );
  const ttlMs = signer.ttlMinutes * 60_000;
  /** Every claim set held, by its JSON text. */
  const entries = new Map<string, Entry>();
  /** Each user's latest claim set: most requests repeat it, and comparing beats serialising. */
  const latestByUser = new Map<string, Entry>();

  /** Starts signing `userClaims`; the entry knows its tokens once they are signed. */
  const signed = (userClaims: TokenClaims, json?: string): Entry => {
    const entry: Entry = {
      claims: json === undefined ? undefined : (JSON.parse(json) as unknown),
      promise: signer
        .generateTokens(userClaims)
        .then(({ tokens, expiresAt }) => (entry.signed = { tokens, expiresAt, expiresAtMs: Date.parse(expiresAt) })),
    };
    return entry;
  };
  // A signing in flight has no expiry yet (Infinity): callers join it.
  const expiresAtMsOf = (entry: Entry): number => entry.signed?.expiresAtMs ?? Infinity;
  const reusable = (entry: Entry | undefined): entry is Entry =>
    entry !== undefined && expiresAtMsOf(entry) - now() >= ttlMs * reuseFraction;
  const expired = (entry: Entry): boolean => expiresAtMsOf(entry) <= now();

  const entryFor = (userClaims: TokenClaims): Entry => {
    if (!cache) return signed(userClaims);
    const userReference: unknown = userClaims.dashboard.userReference;
    const latest = typeof userReference === 'string' ? latestByUser.get(userReference) : undefined;
    if (reusable(latest) && sameJson(userClaims, latest.claims) === true) return latest;
    // Keyed by JSON text: exact, and a different key order only misses the cache, never shares tokens.
    const json = JSON.stringify(userClaims);
    let entry = entries.get(json);
    if (!reusable(entry)) {
      // The held claims are a parsed copy, so that the app changing its object later changes nothing here.
      const fresh = signed(userClaims, json);
      entries.set(json, fresh);
      fresh.promise.catch(() => {
        if (entries.get(json) === fresh) entries.delete(json);
        if (typeof userReference === 'string' && latestByUser.get(userReference) === fresh)
          latestByUser.delete(userReference);
      });
      trimMap(entries, maxEntries, expired);
      entry = fresh;
    }
    if (typeof userReference === 'string') {
      latestByUser.set(userReference, entry);
      trimMap(latestByUser, maxEntries, expired);
    }
    return entry;
  };

  const answer = ({ tokens, expiresAt, expiresAtMs }: Signed): VizzlyProviderTokens => ({
    tokens,
    expiresAt,
    expiresIn: Math.max(0, Math.floor((expiresAtMs - now()) / 1000)),
  });

  const forClaims = (userClaims: TokenClaims): VizzlyProviderTokens | Promise<VizzlyProviderTokens> => {
    check(
      userClaims && typeof userClaims === 'object' && userClaims.dashboard,
      'vizzly.identityProvider: the claims callback must return {dashboard: {userReference, ...}, data?, queryEngine?} (throw to refuse access).',
      'vizzly',
    );
    const entry = entryFor(userClaims);
    // Tokens reused from the cache are answered at once, without a turn of the microtask queue.
    return entry.signed ? answer(entry.signed) : entry.promise.then(answer);
  };

  return ({ user, body, request }) => {
    try {
      const userClaims = claims(user, body, request);
      return isPromiseLike(userClaims) ? Promise.resolve(userClaims).then(forClaims) : forClaims(userClaims);
    } catch (error) {
      // Failures always arrive as a rejected promise, never as a throw.
      return Promise.reject(error);
    }
  };
}

interface Entry {
  /** The claims signed, as parsed from their JSON (not kept with `cache: false`). */
  claims: unknown;
  promise: Promise<Signed>;
  /** The tokens, once signed. */
  signed?: Signed;
}

interface Signed {
  tokens: VizzlyProviderTokens['tokens'];
  expiresAt: string;
  expiresAtMs: number;
}
