import { jwtDecode } from 'jwt-decode';
import { EmbedError } from '../errors.js';
import type { IdentityResponse } from './types.js';

/** When a token set expires, on the client's clock. */
export interface Expiry {
  /** Client-clock time (ms) at which the set expires; `null` = never. */
  expiresAt: number | null;
  /** Whole lifetime (ms) the server granted, as best known; `null` when it never expires. */
  lifetimeMs: number | null;
  /** Where the expiry came from, for events and debugging. */
  source: 'expiresIn' | 'expiresAt' | 'jwt' | 'vizzly-expires' | 'ttl' | 'default' | 'never';
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/** Token-set fields holding seconds from receipt: OAuth's `expires_in`, Looker's `*_ttl`. */
const TTL_FIELD = /^expires_in$|_ttl$/;

function lasting(lifetimeMs: number, from: number, source: Expiry['source']): Expiry {
  return { expiresAt: from + lifetimeMs, lifetimeMs, source };
}

function decode(key: string, token: string): Record<string, unknown> {
  try {
    return jwtDecode<Record<string, unknown>>(token);
  } catch (cause) {
    throw new EmbedError(
      'malformed-token',
      `Token "${key}" is not a decodable JWT: fix what the identity endpoint returns.`,
      { cause },
    );
  }
}

/**
 * Works out when a token set expires, in order: the response's `expiresIn`, its `expiresAt`, then the
 * tokens themselves (JWT `exp` with `iat`, Vizzly's `expires`, `expires_in` / `*_ttl` fields; the
 * earliest wins), else `defaultLifetimeMs` for opaque tokens. All results are on the client's clock.
 */
export function resolveExpiry(response: IdentityResponse, defaultLifetimeMs: number): Expiry {
  const { receivedAt, serverDate, expiresIn, expiresAt } = response;
  if (expiresIn === null || (expiresIn === undefined && expiresAt === null)) {
    return { expiresAt: null, lifetimeMs: null, source: 'never' };
  }
  if (typeof expiresIn === 'number') return lasting(expiresIn * 1000, receivedAt, 'expiresIn');
  // Server-clock time + offset = client-clock time. The Date header is the server's "now" when we
  // received the answer; it has whole seconds, so we take the end of that second: any error then
  // makes us refresh a little early, never late.
  const offset = serverDate === undefined ? 0 : receivedAt - (serverDate + 999);
  // Without an issue time, the lifetime is what is left at receipt.
  const until = (serverTime: number, source: Expiry['source']): Expiry => ({
    expiresAt: serverTime + offset,
    lifetimeMs: Math.max(0, serverTime + offset - receivedAt),
    source,
  });
  if (typeof expiresAt === 'string') return until(Date.parse(expiresAt), 'expiresAt');

  const fromJwt = (key: string, token: string): Expiry | null => {
    const claims = decode(key, token);
    if (typeof claims.exp === 'number') {
      const exp = claims.exp * 1000;
      if (typeof claims.iat !== 'number' || claims.exp <= claims.iat) return until(exp, 'jwt');
      // iat gives the lifetime whatever the client's clock says; the Date header (when present)
      // catches tokens the server had cached for a while.
      const lifetimeMs = exp - claims.iat * 1000;
      const byLifetime = receivedAt + lifetimeMs;
      return {
        expiresAt: serverDate === undefined ? byLifetime : Math.min(byLifetime, exp + offset),
        lifetimeMs,
        source: 'jwt',
      };
    }
    if (typeof claims.expires !== 'string') return null;
    const expires = Date.parse(claims.expires);
    if (Number.isNaN(expires))
      throw new EmbedError(
        'malformed-token',
        `Token "${key}" has an "expires" claim that is not a date: fix what the identity endpoint returns.`,
      );
    return until(expires, 'vizzly-expires');
  };

  let earliest: Expiry | null = null;
  for (const [key, value] of Object.entries(response.tokens)) {
    const found =
      typeof value === 'number'
        ? TTL_FIELD.test(key) && value >= 0
          ? lasting(value * 1000, receivedAt, 'ttl')
          : null
        : typeof value === 'string' && JWT_SHAPE.test(value)
          ? fromJwt(key, value)
          : null;
    if (found && (earliest === null || found.expiresAt! < earliest.expiresAt!)) earliest = found;
  }
  return earliest ?? lasting(defaultLifetimeMs, receivedAt, 'default');
}
