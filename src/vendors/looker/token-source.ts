// Where a cookieless Looker iframe's `session:tokens` come from, as Looker's official host answers:
// held tokens are reused until `tokenMarginSeconds` before they expire, then one refresh (shared by every
// iframe through the token session) replaces them; an ended session reaches the iframe as
// `session_reference_token_ttl: 0`.
import { isEmbedError } from '../../errors.js';
import type { Clock } from '../../timers.js';
import type { TokenSet } from '../../token/types.js';
import type { TokenGrant, VendorMountContext } from '../contract.js';
import { ENDED_SESSION_TOKENS, hasSessionTokens, sessionTokens, tokenMinValidityMs } from './messages.js';
import type { LookerSessionTokens } from './messages.js';

/** What answers the iframe's token requests. */
export interface LookerTokenSource {
  /** The grant a new iframe was just started with (a fresh `acquire`): newer than the shared set for now. */
  started(grant: TokenGrant): void;
  /**
   * The `session:tokens` answer for now. Rejects (with the session's typed error) when no tokens could
   * be had; an ended session resolves to {@link ENDED_SESSION_TOKENS} instead.
   */
  answer(): Promise<LookerSessionTokens>;
}

/** True for the identity endpoint's answer that the Looker session is over (409 `session-ended`). */
export function isSessionEnded(error: unknown): boolean {
  return isEmbedError(error) && error.code === 'http' && error.serverCode === 'session-ended';
}

/**
 * Creates the token source of one adapter. `isFreshLogin(tokens)` tells (once per login) whether a
 * token set carries an authentication token no iframe used: the shared session then started a new
 * Looker session (after the identity endpoint said the old one ended), so this iframe's session is over.
 */
export function createTokenSource(
  ctx: VendorMountContext,
  marginSeconds: number,
  clock: Clock,
  isFreshLogin: (tokens: TokenSet) => boolean,
): LookerTokenSource {
  // The set the current iframe started with, while the shared session still holds an older one (a new
  // Looker session was acquired after the old one ended). Dropped once the shared set moves on.
  let own: { grant: TokenGrant; sharedThen: TokenSet } | null = null;
  let lastShared: TokenSet = ctx.grant.tokens;

  return {
    started(grant) {
      own = grant.tokens === lastShared ? null : { grant, sharedThen: lastShared };
    },
    async answer() {
      const minValidityMs = tokenMinValidityMs(own?.grant.tokens ?? lastShared, marginSeconds);
      if (own && own.grant.expiresAt !== null && own.grant.expiresAt - clock.now() < minValidityMs) {
        own = null; // too old to reuse: from now on the shared session answers
      }
      let shared: TokenGrant;
      try {
        shared = await ctx.getTokens({ minValidityMs });
      } catch (error) {
        if (isSessionEnded(error)) return { ...ENDED_SESSION_TOKENS };
        throw error;
      }
      lastShared = shared.tokens;
      if (isFreshLogin(shared.tokens)) return { ...ENDED_SESSION_TOKENS };
      if (own && shared.tokens !== own.sharedThen && hasSessionTokens(shared.tokens)) own = null;
      const grant = own?.grant ?? shared;
      return sessionTokens(grant.tokens, grant.expiresAt, clock.now());
    },
  };
}
