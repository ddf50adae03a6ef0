import { jwtDecode } from 'jwt-decode';
import { EmbedError } from '../errors.js';
import type { IdentityResponse, TokenSet } from './types.js';

/** When a token set expires, on the client's clock. */
export interface Expiry {
  /** Client-clock time (ms) at which the set expires; `null` = never. */
  expiresAt: number | null;
  /** Whole lifetime (ms) the server granted, as best known; `null` when it never expires. */
  lifetimeMs: number | null;
  /** Where the expiry came from, for events and debugging. */
  source: 'expiresIn' | 'expiresAt' | 'jwt' | 'vizzly-expires' | 'ttl' | 'default' | 'never';
}

interface Candidate {
  expiresAt: number;
  lifetimeMs: number;
  source: Expiry['source'];
}

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Offset (ms) to add to a server-clock time to get the client-clock time. From the `Date` header
 * when there is one (it is the server's "now" at the moment we received the answer). The header
 * has whole seconds, so we take the server's now as the end of that second: any error then makes
 * us refresh a little early, never late.
 */
function serverToClient(response: IdentityResponse): number {
  return response.serverDate === undefined ? 0 : response.receivedAt - (response.serverDate + 999);
}

function fromJwt(key: string, token: string, response: IdentityResponse): Candidate | null {
  let claims: Record<string, unknown>;
  try {
    claims = jwtDecode<Record<string, unknown>>(token);
  } catch (cause) {
    throw new EmbedError('malformed-token', `Token "${key}" looks like a JWT but its payload cannot be decoded; the identity endpoint must return valid tokens.`, { cause });
  }
  const offset = serverToClient(response);
  if (typeof claims.exp === 'number') {
    const exp = claims.exp * 1000;
    if (typeof claims.iat === 'number' && claims.exp > claims.iat) {
      // iat gives the lifetime whatever the client's clock says; the Date header (when present)
      // catches tokens the server had cached for a while.
      const lifetimeMs = exp - claims.iat * 1000;
      const byLifetime = response.receivedAt + lifetimeMs;
      const expiresAt = response.serverDate === undefined ? byLifetime : Math.min(byLifetime, exp + offset);
      return { expiresAt, lifetimeMs, source: 'jwt' };
    }
    return withoutIssueTime(exp + offset, response, 'jwt');
  }
  if (typeof claims.expires === 'string') {
    const expires = Date.parse(claims.expires);
    if (Number.isNaN(expires)) {
      throw new EmbedError('malformed-token', `Token "${key}" has an "expires" claim that is not a date (${JSON.stringify(claims.expires)}).`);
    }
    return withoutIssueTime(expires + offset, response, 'vizzly-expires');
  }
  return null;
}

/** Without an issue time, the lifetime is what is left at receipt. */
function withoutIssueTime(expiresAt: number, response: IdentityResponse, source: Expiry['source']): Candidate {
  return { expiresAt, lifetimeMs: Math.max(0, expiresAt - response.receivedAt), source };
}

/** `expires_in` or any `*_ttl` number (seconds from receipt), as OAuth and Looker send them. */
function fromTtlFields(tokens: TokenSet, receivedAt: number): Candidate[] {
  const found: Candidate[] = [];
  for (const [key, value] of Object.entries(tokens)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) continue;
    if (key === 'expires_in' || key === 'expiresIn' || key.endsWith('_ttl')) {
      // A ttl of 0 for a whole session means "ended" to Looker; it still expires now.
      found.push({ expiresAt: receivedAt + value * 1000, lifetimeMs: value * 1000, source: 'ttl' });
    }
  }
  return found;
}

/**
 * Works out when a token set expires, in order: the response's `expiresIn`, its `expiresAt`, then the
 * tokens themselves (JWT `exp` with `iat`, Vizzly's `expires`, `expires_in` / `*_ttl` fields; the
 * earliest wins), else `defaultLifetimeMs` for opaque tokens. All results are on the client's clock.
 */
export function resolveExpiry(response: IdentityResponse, defaultLifetimeMs: number): Expiry {
  const { receivedAt } = response;
  if (response.expiresIn === null || (response.expiresIn === undefined && response.expiresAt === null)) {
    return { expiresAt: null, lifetimeMs: null, source: 'never' };
  }
  if (typeof response.expiresIn === 'number') {
    const lifetimeMs = response.expiresIn * 1000;
    return { expiresAt: receivedAt + lifetimeMs, lifetimeMs, source: 'expiresIn' };
  }
  if (typeof response.expiresAt === 'string') {
    const expiresAt = Date.parse(response.expiresAt) + serverToClient(response);
    return { ...withoutIssueTime(expiresAt, response, 'expiresAt') };
  }
  const candidates: Candidate[] = fromTtlFields(response.tokens, receivedAt);
  for (const [key, value] of Object.entries(response.tokens)) {
    if (typeof value === 'string' && JWT_SHAPE.test(value)) {
      const candidate = fromJwt(key, value, response);
      if (candidate) candidates.push(candidate);
    }
  }
  if (candidates.length === 0) {
    return { expiresAt: receivedAt + defaultLifetimeMs, lifetimeMs: defaultLifetimeMs, source: 'default' };
  }
  return candidates.reduce((earliest, next) => (next.expiresAt < earliest.expiresAt ? next : earliest));
}
