// The Vizzly identity provider for the server handler: the app decides the claims, the signer signs.
import { trimMap } from '../bounded-map.js';
import { check } from '../errors.js';
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
export function identityProvider<User = unknown>(options: VizzlyProviderOptions<User>): (context: ProviderContext<User>) => Promise<VizzlyProviderTokens> {
  check(options && typeof options === 'object', 'vizzly.identityProvider(options): pass {signer, claims}.', 'vizzly');
  const { signer, claims } = options;
  check(signer && typeof signer.generateTokens === 'function', 'vizzly.identityProvider(options): signer must come from vizzly.createSigner().', 'vizzly');
  check(typeof claims === 'function', 'vizzly.identityProvider(options): claims must be a function (user, body, request) => {dashboard, data?, queryEngine?}.', 'vizzly');
  const now = signer.now ?? Date.now;
  const cache = options.cache === false ? null : options.cache ?? {};
  const reuseFraction = cache?.reuseWhileFractionLeft ?? 0.5;
  const maxEntries = cache?.maxEntries ?? 10_000;
  check(reuseFraction > 0 && reuseFraction <= 1, 'vizzly.identityProvider(options): cache.reuseWhileFractionLeft must be in (0, 1].', 'vizzly');
  const ttlMs = signer.ttlMinutes * 60_000;
  /** Every claim set held, by its JSON text. */
  const entries = new Map<string, Entry>();
  /** Each user's latest claim set: most requests repeat it, and comparing beats serialising. */
  const latestByUser = new Map<string, Entry>();

  const sign = async (userClaims: TokenClaims): Promise<Signed> => {
    const { tokens, expiresAt } = await signer.generateTokens(userClaims);
    return { tokens, expiresAt, expiresAtMs: Date.parse(expiresAt) };
  };
  // A signing in flight has no expiry yet (Infinity): callers join it.
  const reusable = (entry: Entry | undefined): entry is Entry => entry !== undefined && entry.expiresAtMs - now() >= ttlMs * reuseFraction;

  const tokensFor = (userClaims: TokenClaims): Promise<Signed> => {
    if (!cache) return sign(userClaims);
    const userReference: unknown = userClaims.dashboard.userReference;
    const latest = typeof userReference === 'string' ? latestByUser.get(userReference) : undefined;
    if (reusable(latest) && sameJson(userClaims, latest.claims) === true) return latest.promise;
    // Keyed by JSON text: exact, and a different key order only misses the cache, never shares tokens.
    const json = JSON.stringify(userClaims);
    let entry = entries.get(json);
    if (!reusable(entry)) {
      // The held claims are a parsed copy, so that the app changing its object later changes nothing here.
      const fresh: Entry = { claims: JSON.parse(json) as unknown, promise: sign(userClaims), expiresAtMs: Infinity };
      entries.set(json, fresh);
      fresh.promise.then(
        (done) => { fresh.expiresAtMs = done.expiresAtMs; },
        () => {
          if (entries.get(json) === fresh) entries.delete(json);
          if (typeof userReference === 'string' && latestByUser.get(userReference) === fresh) latestByUser.delete(userReference);
        },
      );
      trimMap(entries, maxEntries, (value) => value.expiresAtMs <= now());
      entry = fresh;
    }
    if (typeof userReference === 'string') {
      latestByUser.set(userReference, entry);
      trimMap(latestByUser, maxEntries, (value) => value.expiresAtMs <= now());
    }
    return entry.promise;
  };

  return async ({ user, body, request }) => {
    const userClaims = await claims(user, body, request);
    check(
      userClaims && typeof userClaims === 'object' && userClaims.dashboard,
      'vizzly.identityProvider: the claims callback must return {dashboard: {userReference, ...}, data?, queryEngine?} (throw to refuse access).',
      'vizzly',
    );
    const { tokens, expiresAt, expiresAtMs } = await tokensFor(userClaims);
    return { tokens, expiresAt, expiresIn: Math.max(0, Math.floor((expiresAtMs - now()) / 1000)) };
  };
}

interface Entry {
  /** The claims signed, as parsed from their JSON. */
  claims: unknown;
  promise: Promise<Signed>;
  expiresAtMs: number;
}

interface Signed {
  tokens: VizzlyProviderTokens['tokens'];
  expiresAt: string;
  expiresAtMs: number;
}
