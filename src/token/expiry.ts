import { jwtDecode } from 'jwt-decode';
import { EmbedError } from '../errors.js';
import type { IdentityResponse } from './types.js';

/** When a token set expires, on the server's clock. */
export interface Expiry {
  /**
   * Server-clock time (ms) before which the set is surely valid; `null` = never. Compare it with an
   * upper bound of the server's time (see time.ts), never with the client's clock.
   */
  expiresAt: number | null;
  /** Whole lifetime (ms) the server granted, as best known; `null` when it never expires. */
  lifetimeMs: number | null;
  /** Where the expiry came from, for events and debugging. */
  source: 'expiresIn' | 'expiresAt' | 'jwt' | 'vizzly-expires' | 'ttl' | 'default' | 'never';
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/** Token-set fields holding seconds from receipt: OAuth's `expires_in`, Looker's `*_ttl`. */
const TTL_FIELD = /^expires_in$|_ttl$/;

function decode(key: string, token: string): Record<string, unknown> {
  try {
    return jwtDecode<Record<string, unknown>>(token);
  } catch (cause) {
    throw new EmbedError(
      'malformed-token',
      `Token "${key}" is not a decodable JWT: fix what the identity endpoint returns. Retrying with backoff.`,
      { retriable: true, cause },
    );
  }
}

/**
 * Works out when a token set expires, on the server's clock, in order: the response's `expiresIn`,
 * its `expiresAt`, then the tokens themselves (JWT `exp` with `iat`, Vizzly's `expires`,
 * `expires_in` / `*_ttl` fields; the earliest wins), else `defaultLifetimeMs` for opaque tokens.
 * Lifetimes count from the server's `Date` (the start of its second), or without one from when the
 * request was sent on the client's clock (`sentAt`, else `receivedAt`): never later than the truth.
 */
export function resolveExpiry(response: IdentityResponse, defaultLifetimeMs: number): Expiry {
  const { expiresIn, expiresAt } = response;
  if (expiresIn === null || (expiresIn === undefined && expiresAt === null)) {
    return { expiresAt: null, lifetimeMs: null, source: 'never' };
  }
  // No server time known: the client's clock stands in, so with a right client clock an expired
  // token is never taken for a valid one.
  const from = response.serverDate ?? response.sentAt ?? response.receivedAt;
  const lasting = (lifetimeMs: number, source: Expiry['source']): Expiry => ({
    expiresAt: from + lifetimeMs,
    lifetimeMs,
    source,
  });
  // Without an issue time, the lifetime is what is left when the server answered.
  const until = (serverTime: number, source: Expiry['source']): Expiry => ({
    expiresAt: serverTime,
    lifetimeMs: Math.max(0, serverTime - from),
    source,
  });
  if (typeof expiresIn === 'number') return lasting(expiresIn * 1000, 'expiresIn');
  if (typeof expiresAt === 'string') return until(Date.parse(expiresAt), 'expiresAt');

  const fromJwt = (key: string, token: string): Expiry | null => {
    const claims = decode(key, token);
    if (typeof claims.exp === 'number') {
      const exp = claims.exp * 1000;
      if (typeof claims.iat !== 'number' || claims.exp <= claims.iat) return until(exp, 'jwt');
      // exp catches tokens the server had cached; the lifetime from iat catches an issuer whose
      // clock is ahead of the server's.
      const lifetimeMs = exp - claims.iat * 1000;
      return { expiresAt: Math.min(exp, from + lifetimeMs), lifetimeMs, source: 'jwt' };
    }
    if (typeof claims.expires !== 'string') return null;
    const expires = Date.parse(claims.expires);
    if (Number.isNaN(expires))
      throw new EmbedError(
        'malformed-token',
        `Token "${key}" has an "expires" claim that is not a date: fix what the identity endpoint returns. Retrying with backoff.`,
        { retriable: true },
      );
    return until(expires, 'vizzly-expires');
  };

  let earliest: Expiry | null = null;
  for (const [key, value] of Object.entries(response.tokens)) {
    const found =
      typeof value === 'number'
        ? TTL_FIELD.test(key) && value >= 0
          ? lasting(value * 1000, 'ttl')
          : null
        : typeof value === 'string' && JWT_SHAPE.test(value)
          ? fromJwt(key, value)
          : null;
    if (found && (earliest === null || found.expiresAt! < earliest.expiresAt!)) earliest = found;
  }
  return earliest ?? lasting(defaultLifetimeMs, 'default');
}
