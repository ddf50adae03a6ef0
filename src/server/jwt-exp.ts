/**
 * Reads the time claims of a JWT a vendor API handed us (e.g. Formant's access token), to tell the
 * browser when it expires. No signature check: the token comes straight from the vendor over HTTPS
 * and we only use it to schedule a refresh. Runtime-agnostic (atob + TextDecoder).
 */
import { binaryToBytes } from './bytes.js';
import { isRecord } from './validate.js';

/** A JWT's registered time claims, in seconds since the epoch (absent when the token lacks them). */
export interface JwtTimes {
  /** `exp`: when the token stops being valid. */
  exp?: number;
  /** `iat`: when the token was issued. */
  iat?: number;
}

/**
 * Decodes base64url (RFC 4648 §5, padding optional) to bytes.
 * Returns `undefined` when `text` is not base64url.
 */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '');
  // A base64 string never leaves exactly one character in its last group.
  if (unpadded.length % 4 === 1) return undefined;
  const base64 = unpadded.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (unpadded.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return undefined;
  }
  return binaryToBytes(binary);
}

/**
 * Reads a compact JWS's payload as a JSON object.
 * Returns `undefined` when `token` is not three dot-separated base64url parts with a JSON object payload.
 */
export function readJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return undefined;
  const bytes = decodeBase64Url(parts[1]);
  if (!bytes) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  return isRecord(payload) ? payload : undefined;
}

/**
 * Reads a JWT's `exp` and `iat` claims (seconds since the epoch). A claim that is missing or not a
 * finite number is left out. Returns `undefined` when `token` is not a JWT at all.
 */
export function readJwtTimes(token: string): JwtTimes | undefined {
  const payload = readJwtPayload(token);
  if (!payload) return undefined;
  const times: JwtTimes = {};
  if (typeof payload.exp === 'number' && Number.isFinite(payload.exp)) times.exp = payload.exp;
  if (typeof payload.iat === 'number' && Number.isFinite(payload.iat)) times.iat = payload.iat;
  return times;
}
