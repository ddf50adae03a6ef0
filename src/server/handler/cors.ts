/**
 * CORS for the identity endpoint: only exact origins from an allow-list get CORS headers; nothing is
 * ever reflected from a wildcard. Together with the `application/json`-only rule this is the CSRF
 * guard: a cross-site page cannot send JSON without a preflight, and the preflight is refused.
 */
import { check } from '../errors.js';
import { baseHeaders, type Answer, type HeaderRecord } from './respond.js';

/** How long (seconds) a browser may cache a granted preflight. */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** The CORS policy of one handler. */
export interface CorsPolicy {
  /** Whether any origin is allowed (then every answer says `Vary: Origin`). */
  readonly enabled: boolean;
  /** The CORS headers for an actual request from `origin`, or `null` when it is not allowed. */
  headersFor(origin: string | null): Record<string, string> | null;
  /**
   * The headers every non-OPTIONS answer to `origin` carries: the CORS grant (allowed origins) and
   * `Vary: Origin` (whenever CORS is enabled); `null` when there are none. Never mutate the result.
   */
  extraFor(origin: string | null): HeaderRecord | null;
  /**
   * The answer to an OPTIONS request carrying `origin` (its `Origin` header): 204 for an allowed
   * origin, 403 without CORS headers otherwise, 204 with `Allow` only for a plain OPTIONS (no Origin).
   */
  preflight(origin: string | null, nowMs: number): Answer;
}

/**
 * Validates the allow-lists and builds the policy. Origins must be exact (`https://app.example.com`,
 * no path, no trailing slash, no `*`); `allowedHeaders` are extra request headers to grant beyond
 * `content-type` (e.g. `authorization`, `x-csrf-token`).
 */
export function createCorsPolicy(
  allowedOrigins: readonly string[] = [],
  allowedHeaders: readonly string[] = [],
): CorsPolicy {
  check(
    Array.isArray(allowedOrigins),
    'createIdentityHandler: `allowedOrigins` must be an array of origins such as ["https://app.example.com"].',
  );
  for (const origin of allowedOrigins) {
    let normal: string | undefined;
    try {
      normal = typeof origin === 'string' ? new URL(origin).origin : undefined;
    } catch {
      normal = undefined;
    }
    check(
      typeof origin === 'string' && normal === origin && normal !== 'null',
      `createIdentityHandler: allowedOrigins entry ${JSON.stringify(origin)} is not an exact origin; ` +
        'write scheme://host[:port] with no path or trailing slash (wildcards are not supported).',
    );
  }
  check(Array.isArray(allowedHeaders), 'createIdentityHandler: `allowedHeaders` must be an array of header names.');
  for (const name of allowedHeaders) {
    check(
      typeof name === 'string' && HEADER_NAME.test(name),
      `createIdentityHandler: allowedHeaders entry ${JSON.stringify(name)} is not a header name.`,
    );
  }
  const origins = new Set(allowedOrigins);
  const granted = [...new Set(['content-type', ...allowedHeaders.map((name) => name.toLowerCase())])];
  const enabled = origins.size > 0;

  const grantedList = granted.join(', ');
  const maxAge = String(PREFLIGHT_MAX_AGE_SECONDS);
  const varyOnly: HeaderRecord = Object.freeze({ vary: 'Origin' });

  const headersFor = (origin: string | null): Record<string, string> | null =>
    origin !== null && origins.has(origin)
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          // The element reads Date (clock-skew correction) and Retry-After (backoff).
          'access-control-expose-headers': 'Date, Retry-After',
        }
      : null;

  return {
    enabled,
    headersFor,
    extraFor(origin) {
      if (!enabled) return null;
      const cors = headersFor(origin);
      if (!cors) return varyOnly;
      cors.vary = 'Origin';
      return cors;
    },
    preflight(origin, nowMs) {
      const headers = baseHeaders(nowMs);
      headers.allow = 'POST, OPTIONS';
      if (enabled) headers.vary = 'Origin';
      // A plain OPTIONS (no Origin) is not a preflight: just say what the endpoint accepts.
      if (origin === null) return { status: 204, headers, body: null };
      const cors = headersFor(origin);
      if (!cors) return { status: 403, headers, body: null };
      Object.assign(headers, cors);
      headers['access-control-allow-methods'] = 'POST';
      headers['access-control-allow-headers'] = grantedList;
      headers['access-control-max-age'] = maxAge;
      return { status: 204, headers, body: null };
    },
  };
}
