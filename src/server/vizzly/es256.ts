// ES256 JWT signing with WebCrypto, with a payload encoding Vizzly's browser client can read.
import { bytesToBinary } from '../bytes.js';

/**
 * Characters whose bytes can make base64 produce `+`/`/` (base64url `-`/`_`): `>` `?` `~` DEL and every
 * non-ASCII code unit. A 6-bit group reads 62 or 63 only from a byte with its top bit set, or from the
 * low six bits of a byte being 11111x, i.e. 0x3E `>`, 0x3F `?`, 0x7E `~`, 0x7F DEL among ASCII.
 */
const UNSAFE = /[>?~\u007f-\uffff]/g;

function escapeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `JSON.stringify(value)` with `>` `?` `~` DEL and all non-ASCII characters written as `\uXXXX`.
 * It is the same JSON value, but pure ASCII whose base64 never contains `+`, `/` (base64url `-`, `_`),
 * so a client decoding with plain `atob` (as Vizzly's browser client does) reads it correctly.
 * Those characters can only occur inside JSON strings, where `\uXXXX` escapes are always valid.
 */
export function asciiSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, escapeUnit);
}

/** base64url without padding, of a string whose characters are all below U+0100. */
export function base64UrlFromBinary(binary: string): string {
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** base64url without padding, of bytes. */
export function base64UrlFromBytes(bytes: Uint8Array): string {
  return base64UrlFromBinary(bytesToBinary(bytes));
}

/** The encoded ES256 JWT header, the same for every token. */
export const ES256_HEADER = base64UrlFromBinary(asciiSafeJson({ alg: 'ES256', typ: 'JWT' }));

const encoder = new TextEncoder();

/**
 * Signs `payload` as a compact ES256 JWT with a WebCrypto ECDSA P-256 key. WebCrypto returns the
 * signature as raw R||S (64 bytes), which is exactly the JOSE form; no DER conversion is needed.
 */
export async function signEs256(key: CryptoKey, payload: object): Promise<string> {
  const signingInput = `${ES256_HEADER}.${base64UrlFromBinary(asciiSafeJson(payload))}`;
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, encoder.encode(signingInput));
  return `${signingInput}.${base64UrlFromBytes(new Uint8Array(signature))}`;
}
