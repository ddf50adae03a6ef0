// The Vizzly identity provider for the server handler: the app decides the claims, the signer signs.
import { trimMap } from '../bounded-map.js';
import { check } from '../errors.js';
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
): (context: ProviderContext<User>) => Promise<VizzlyProviderTokens> {
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

  /** Starts signing `userClaims`; the entry knows its tokens once they are signed. */
  const signed = (userClaims: TokenClaims): Entry => {
    const entry: Entry = {
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
    // Keyed by JSON text: exact, and a different key order only misses the cache, never shares tokens.
    const json = JSON.stringify(userClaims);
    let entry = entries.get(json);
    if (!reusable(entry)) {
      const fresh = signed(userClaims);
      entries.set(json, fresh);
      fresh.promise.catch(() => {
        if (entries.get(json) === fresh) entries.delete(json);
      });
      trimMap(entries, maxEntries, expired);
      entry = fresh;
    }
    return entry;
  };

  const answer = ({ tokens, expiresAt, expiresAtMs }: Signed): VizzlyProviderTokens => ({
    tokens,
    expiresAt,
    expiresIn: Math.max(0, Math.floor((expiresAtMs - now()) / 1000)),
  });

  const forClaims = (userClaims: TokenClaims): Promise<VizzlyProviderTokens> => {
    check(
      userClaims && typeof userClaims === 'object' && userClaims.dashboard,
      'vizzly.identityProvider: the claims callback must return {dashboard: {userReference, ...}, data?, queryEngine?} (throw to refuse access).',
      'vizzly',
    );
    const entry = entryFor(userClaims);
    return entry.promise.then(answer);
  };

  return async ({ user, body, request }) => forClaims(await claims(user, body, request));
}

interface Entry {
  promise: Promise<Signed>;
  /** The tokens, once signed. */
  signed?: Signed;
}

interface Signed {
  tokens: VizzlyProviderTokens['tokens'];
  expiresAt: string;
  expiresAtMs: number;
}
