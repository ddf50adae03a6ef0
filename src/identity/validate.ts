import { EmbedError } from '../errors.js';
import type { TokenSet } from '../token/types.js';

/** The validated body of a 200 answer (docs/wire-contract.md). */
export interface IdentityBody {
  vendor: string;
  tokens: TokenSet;
  expiresIn?: number | null;
  expiresAt?: string | null;
}

function malformed(message: string): EmbedError {
  return new EmbedError('malformed-response', `The identity endpoint's answer is malformed: ${message}`, {
    retriable: true,
  });
}

/** Checks a parsed 200 body against the wire contract and returns it typed, or throws `malformed-response`. */
export function validateIdentityBody(body: unknown, expectedVendor: string): IdentityBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw malformed('expected a JSON object.');
  const record = body as Record<string, unknown>;
  if (typeof record.vendor !== 'string' || record.vendor !== expectedVendor) {
    throw malformed(`"vendor" must be "${expectedVendor}" (got ${JSON.stringify(record.vendor)}).`);
  }
  const tokens = record.tokens;
  if (!tokens || typeof tokens !== 'object' || Array.isArray(tokens) || Object.keys(tokens).length === 0) {
    throw malformed('"tokens" must be a non-empty object of vendor tokens.');
  }
  const result: IdentityBody = { vendor: record.vendor, tokens: tokens as TokenSet };
  if ('expiresIn' in record && record.expiresIn !== undefined) {
    const value = record.expiresIn;
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw malformed(`"expiresIn" must be seconds (a number ≥ 0) or null (got ${JSON.stringify(value)}).`);
    }
    result.expiresIn = value;
  }
  if ('expiresAt' in record && record.expiresAt !== undefined) {
    const value = record.expiresAt;
    if (value !== null && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      throw malformed(`"expiresAt" must be an ISO date string or null (got ${JSON.stringify(value)}).`);
    }
    result.expiresAt = value;
  }
  return result;
}

/** Reads `{"error": {"code", "message"}}` from an error body, whatever else it holds. */
export function readServerError(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const error = (body as Record<string, unknown>).error;
  if (!error || typeof error !== 'object') return {};
  const { code, message } = error as Record<string, unknown>;
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message.slice(0, 300) : undefined,
  };
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
