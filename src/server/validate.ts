/**
 * Small checks shared by the server modules: type tests for untrusted values (options from
 * JavaScript callers, vendor answers) and descriptions of wrong values for error messages.
 */

/** True for an object that is neither `null` nor an array (whatever its prototype). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` itself when it is an object (arrays included), else `{}`: for reading fields of a vendor's answer. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** True for a string holding more than whitespace. */
export function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** True for a whole number above zero (a safe integer). */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A short description of a value's type for error messages (never the value itself). */
export function kind(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Reads a vendor API base URL: an absolute http(s) URL without query or fragment, which may carry a
 * path prefix (a proxy, a self-hosted install). Returns origin and path without trailing slashes,
 * ready for `+ '/api/…'`, or `undefined` when `value` is not such a URL.
 */
export function readApiBaseUrl(value: unknown): string | undefined {
  let parsed: URL;
  try {
    if (typeof value !== 'string') return undefined;
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.search || parsed.hash) return undefined;
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}
