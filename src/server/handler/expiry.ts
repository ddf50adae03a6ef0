/**
 * Turning a provider's answer into the identity endpoint's 200 body: validating it and filling in
 * whichever of `expiresIn` / `expiresAt` the provider left out.
 */
import { EmbedServerError } from '../errors.js';
import type { VendorTokens } from '../types.js';
import { isRecord } from '../validate.js';

/** The 200 body of the identity endpoint (the wire contract in the README). */
export interface IdentityResponseBody {
  vendor: string;
  tokens: Record<string, unknown>;
  /** Whole seconds from the response until expiry; `null` = never expires; absent = derive from tokens. */
  expiresIn?: number | null;
  /** ISO time of expiry; `null` = never expires; absent = derive from tokens. */
  expiresAt?: string | null;
}

function misconfigured(vendor: string, what: string): EmbedServerError {
  return new EmbedServerError('invalid-input', `The "${vendor}" provider answered ${what}.`, { vendor });
}

/**
 * Builds the 200 body from a provider's answer at server time `nowMs`:
 * only `expiresAt` → `expiresIn` is the whole seconds left (never negative);
 * only `expiresIn` → `expiresAt` is now + that; `null` in either → both `null` (never expires);
 * both numbers given → both kept; neither → both omitted (the browser reads the tokens' own expiry).
 * A malformed answer throws `invalid-input` (a configuration error, never the browser's fault).
 */
export function toResponseBody(vendor: string, result: VendorTokens, nowMs: number): IdentityResponseBody {
  if (typeof result !== 'object' || result === null)
    throw misconfigured(vendor, 'no object; it must resolve to {tokens, expiresIn?, expiresAt?}');
  const { tokens, expiresIn, expiresAt } = result;
  if (!isRecord(tokens)) throw misconfigured(vendor, 'without a `tokens` object');
  if (
    expiresIn !== undefined &&
    expiresIn !== null &&
    !(typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn >= 0)
  ) {
    throw misconfigured(vendor, 'an `expiresIn` that is not a number of seconds ≥ 0 or null');
  }
  let expiresAtMs: number | undefined;
  let expiresAtIso = '';
  if (expiresAt !== undefined && expiresAt !== null) {
    expiresAtMs = typeof expiresAt === 'string' ? Date.parse(expiresAt) : Number.NaN;
    if (!Number.isFinite(expiresAtMs)) throw misconfigured(vendor, 'an `expiresAt` that is not an ISO date or null');
    expiresAtIso = new Date(expiresAtMs).toISOString();
  }
  const body: IdentityResponseBody = { vendor, tokens };
  const inNull = expiresIn === null;
  const atNull = expiresAt === null;
  if (inNull || atNull) {
    if ((inNull && expiresAtMs !== undefined) || (atNull && typeof expiresIn === 'number')) {
      throw misconfigured(vendor, 'both a "never expires" (null) and an expiry');
    }
    body.expiresIn = null;
    body.expiresAt = null;
  } else if (typeof expiresIn === 'number' && expiresAtMs !== undefined) {
    body.expiresIn = Math.floor(expiresIn);
    body.expiresAt = expiresAtIso;
  } else if (typeof expiresIn === 'number') {
    const at = new Date(nowMs + expiresIn * 1000);
    if (!Number.isFinite(at.getTime())) throw misconfigured(vendor, 'an `expiresIn` too large to be a date');
    body.expiresIn = Math.floor(expiresIn);
    body.expiresAt = at.toISOString();
  } else if (expiresAtMs !== undefined) {
    // Rounded down so the browser never believes it has more time than it has.
    body.expiresIn = Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000));
    body.expiresAt = expiresAtIso;
  }
  return body;
}
