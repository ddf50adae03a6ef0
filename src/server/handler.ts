/**
 * The identity endpoint: `createIdentityHandler(options)` returns a `(Request) => Promise<Response>`
 * that any Web-standard runtime can serve (Node via `toNodeHandler`, Deno, Bun, Workers, Next.js
 * route handlers). It authenticates the app's user, reads a small strict JSON body, asks the
 * configured vendor provider for tokens and answers per the design.md wire contract.
 */
import { check } from './errors.js';
import type { IdentityProvider } from './types.js';
import { readBodyText, checkDeclaredLength, parseIdentityBody } from './handler/body.js';
import { createCorsPolicy } from './handler/cors.js';
import { toResponseBody } from './handler/expiry.js';
import { defaultOnError, problemFor, shouldReport } from './handler/failure.js';
import { HttpProblem, jsonResponse, problemResponse } from './handler/respond.js';

export type { IdentityErrorCode } from './handler/respond.js';
export type { IdentityResponseBody } from './handler/expiry.js';
export { MAX_ACTION_LENGTH, MAX_CONTEXT_DEPTH, MAX_DASHBOARD_ID_LENGTH } from './handler/body.js';
export { PREFLIGHT_MAX_AGE_SECONDS } from './handler/cors.js';
export { RETRY_AFTER_SECONDS } from './handler/failure.js';

/** Default `maxBodyBytes`: 16 KiB, far above any real identity request. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** A Web-standard request handler. */
export type IdentityHandler = (request: Request) => Promise<Response>;

/** Options of {@link createIdentityHandler}. */
export interface IdentityHandlerOptions<User> {
  /**
   * Finds the app's signed-in user from the request (session cookie, bearer token…) and returns it,
   * or `null`/`undefined` when nobody is signed in (the browser gets 401). Read headers only: the
   * body is read after authentication. A throw becomes a 500 whose message says nothing about it.
   */
  authenticate: (request: Request) => User | null | undefined | Promise<User | null | undefined>;
  /**
   * The vendors this endpoint serves, by the name the element sends in `vendor`
   * (e.g. `{ vizzly: vizzly.identityProvider({...}) }`). At least one.
   */
  vendors: Record<string, IdentityProvider<User>>;
  /**
   * Exact origins (`https://app.example.com`) allowed to call the endpoint cross-origin, with
   * credentials. Default: none (same-origin only). No wildcards: each origin is matched exactly.
   */
  allowedOrigins?: readonly string[];
  /** Request headers granted to allowed origins beyond `content-type` (e.g. `["authorization"]`). */
  allowedHeaders?: readonly string[];
  /** Largest accepted request body in bytes (declared or streamed); larger → 413. Default 16 KiB. */
  maxBodyBytes?: number;
  /**
   * Called with every failure of `authenticate`, a provider or its answer (not with the browser's
   * own mistakes, nor with an ended session). Default: one `console.error` line holding the error's
   * code and message only. The browser never sees the error itself.
   */
  onError?: (error: unknown, request: Request) => void;
  /** The clock (ms since the epoch) for `Date`, `expiresIn` and `expiresAt`. Default `Date.now`. */
  now?: () => number;
}

function isMediaTypeJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const [type = '', ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  // JSON is UTF-8 (RFC 8259); refuse a body that says it is anything else.
  return params.every((param) => {
    const [name = '', value = ''] = param.split('=');
    return name.trim().toLowerCase() !== 'charset' || value.trim().replace(/^"|"$/g, '').toLowerCase() === 'utf-8';
  });
}

/**
 * Creates the identity endpoint handler. Validates its options at once (throws `invalid-input`
 * naming the wrong option). The handler answers:
 * - `OPTIONS`: 204 preflight for `allowedOrigins`, 403 for other origins;
 * - other methods than `POST`: 405 (`Allow: POST, OPTIONS`);
 * - not `Content-Type: application/json`: 415 (also the CSRF guard: it forces a preflight);
 * - body over `maxBodyBytes`: 413; nobody signed in: 401 `unauthenticated`;
 * - malformed body: 400 `invalid-request` naming the field; unknown vendor: 400 `unknown-vendor`;
 * - success: 200 `{vendor, tokens, expiresIn, expiresAt}`;
 * - vendor trouble: 502/503 `upstream-error`; ended session: 409 `session-ended`;
 *   misconfiguration: 500 `configuration-error`; anything else: 500 `internal-error`.
 * Every answer has `Cache-Control: no-store`, `Date` and `X-Content-Type-Options: nosniff`.
 */
export function createIdentityHandler<User>(options: IdentityHandlerOptions<User>): IdentityHandler {
  check(options !== null && typeof options === 'object', 'createIdentityHandler: pass an options object {authenticate, vendors}.');
  const { authenticate, vendors, onError = defaultOnError, now = Date.now } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  check(typeof authenticate === 'function', 'createIdentityHandler: `authenticate(request)` is required; it returns the signed-in user or null.');
  check(vendors !== null && typeof vendors === 'object' && !Array.isArray(vendors), 'createIdentityHandler: `vendors` must be an object such as {vizzly: vizzly.identityProvider({...})}.');
  const providers = new Map<string, IdentityProvider<User>>();
  for (const [name, provider] of Object.entries(vendors)) {
    check(typeof provider === 'function', `createIdentityHandler: vendors.${name} must be an identity provider function (e.g. ${name}.identityProvider({...})).`);
    providers.set(name, provider);
  }
  check(providers.size > 0, 'createIdentityHandler: `vendors` is empty; configure at least one vendor.');
  check(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0, 'createIdentityHandler: `maxBodyBytes` must be a positive whole number of bytes.');
  check(typeof onError === 'function', 'createIdentityHandler: `onError` must be a function (error, request) => void.');
  check(typeof now === 'function', 'createIdentityHandler: `now` must be a function returning milliseconds since the epoch.');
  const cors = createCorsPolicy(options.allowedOrigins, options.allowedHeaders);

  const report = (error: unknown, request: Request): void => {
    if (!shouldReport(error)) return;
    try {
      onError(error, request);
    } catch {
      // A failing logger must not turn into a different answer.
    }
  };

  return async function identityHandler(request: Request): Promise<Response> {
    const nowMs = now();
    if (request.method === 'OPTIONS') return cors.preflight(request, nowMs);
    const extra = new Headers(cors.headersFor(request.headers.get('origin')) ?? {});
    if (cors.enabled) extra.set('vary', 'Origin');
    let vendor: string | undefined;
    try {
      if (request.method !== 'POST') {
        throw new HttpProblem(405, 'method-not-allowed', 'Use POST.', { allow: 'POST, OPTIONS' });
      }
      if (!isMediaTypeJson(request.headers.get('content-type'))) {
        throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as Content-Type: application/json.');
      }
      checkDeclaredLength(request, maxBodyBytes);
      const user = await authenticate(request);
      if (user === null || user === undefined) throw new HttpProblem(401, 'unauthenticated', 'Sign in to view this dashboard.');
      const body = parseIdentityBody(await readBodyText(request, maxBodyBytes), (name) => providers.has(name));
      vendor = body.vendor;
      const provider = providers.get(body.vendor) as IdentityProvider<User>;
      const result = await provider({ user, request, body });
      const answeredAt = now();
      return jsonResponse(200, toResponseBody(body.vendor, result, answeredAt), answeredAt, extra);
    } catch (error) {
      report(error, request);
      return problemResponse(problemFor(error, vendor), now(), extra);
    }
  };
}
