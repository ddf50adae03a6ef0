// The Vizzly identity provider for the server handler: the app decides the claims, the signer signs.
import { check } from '../errors.js';
import { createTokenReuse, ownerOf, reuseKey, type TokenReuseOptions } from '../stores/reuse.js';
import type { IdentityRequestBody, ProviderContext, VendorTokens } from '../types.js';
import type { TokenClaims, VizzlySigner } from './signer.js';

/**
 * Default `cache.minRemainingSeconds` for Vizzly: its bundle pulls `identity()` once on mount and then
 * every 300 s and keeps what it got until the next pull, so reused tokens must outlive one pull (300 s)
 * plus the element's 60 s refresh margin plus 60 s for transit and clock slack.
 */
export const VIZZLY_MIN_REMAINING_SECONDS = 420;

/** How the provider reuses tokens it signed (`cache` option). */
export type VizzlyTokenCacheOptions = TokenReuseOptions;

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
   * earlier gets those tokens while at least `minRemainingSeconds` (default
   * {@link VIZZLY_MIN_REMAINING_SECONDS}) of their life is left — the same access, no new ES256
   * signatures, and concurrent requests share one signing. A refresh (`action: "refresh"`) always signs
   * new tokens. Pass `store` (e.g. Redis) to share them between instances; `false` signs every request anew.
   */
  cache?: VizzlyTokenCacheOptions | false;
}

/** What the Vizzly provider answers: Vizzly's tokens and their shared expiry. */
export interface VizzlyProviderTokens extends VendorTokens {
  tokens: { dashboardAccessToken: string; dataAccessToken?: string; queryEngineAccessToken?: string };
  /** ISO time the tokens expire. */
  expiresAt: string;
  /** Seconds until they expire (rounded down; less than the signer's TTL when reused). */
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
  const reuse = createTokenReuse(options.cache, {
    vendor: 'vizzly',
    minRemainingSeconds: VIZZLY_MIN_REMAINING_SECONDS,
    now,
  });

  const forClaims = async (userClaims: TokenClaims, body: IdentityRequestBody): Promise<VizzlyProviderTokens> => {
    check(
      userClaims && typeof userClaims === 'object' && userClaims.dashboard,
      'vizzly.identityProvider: the claims callback must return {dashboard: {userReference, ...}, data?, queryEngine?} (throw to refuse access).',
      'vizzly',
    );
    const userReference: unknown = userClaims.dashboard.userReference;
    // Keyed by the claims' JSON text (and what else shapes the tokens): a different key order only
    // misses the cache, never shares tokens between different claims.
    const held = await reuse.tokens({
      key: await reuseKey('vizzly', [signer.projectId ?? null, signer.ttlMinutes, userClaims]),
      owner: await ownerOf('vizzly', userReference, undefined),
      refresh: body.action === 'refresh',
      mint: async () => {
        const { tokens, expiresAt } = await signer.generateTokens(userClaims);
        return { tokens, expiresAtMs: Date.parse(expiresAt) };
      },
    });
    const expiresAtMs = held.expiresAtMs ?? now();
    return {
      tokens: held.tokens as VizzlyProviderTokens['tokens'],
      expiresAt: new Date(expiresAtMs).toISOString(),
      expiresIn: Math.max(0, Math.floor((expiresAtMs - now()) / 1000)),
    };
  };

  // Async, so that failures always arrive as a rejected promise, never as a throw.
  return async ({ user, body, request }) => forClaims(await claims(user, body, request), body);
}
