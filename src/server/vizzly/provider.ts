// The Vizzly identity provider for the server handler: the app decides the claims, the signer signs.
import { check } from '../errors.js';
import type { IdentityRequestBody, ProviderContext, VendorTokens } from '../types.js';
import type { TokenClaims, VizzlySigner } from './signer.js';

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
}

/** What the Vizzly provider answers: Vizzly's tokens and their shared expiry. */
export interface VizzlyProviderTokens extends VendorTokens {
  tokens: { dashboardAccessToken: string; dataAccessToken?: string; queryEngineAccessToken?: string };
  /** ISO time the tokens expire. */
  expiresAt: string;
  /** Seconds until they expire (the signer's ttlMinutes × 60, rounded down). */
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
  return async ({ user, body, request }) => {
    const userClaims = await claims(user, body, request);
    check(
      userClaims && typeof userClaims === 'object' && userClaims.dashboard,
      'vizzly.identityProvider: the claims callback must return {dashboard: {userReference, ...}, data?, queryEngine?} (throw to refuse access).',
      'vizzly',
    );
    const { tokens, expiresAt } = await signer.generateTokens(userClaims);
    return { tokens, expiresAt, expiresIn: Math.floor(signer.ttlMinutes * 60) };
  };
}
