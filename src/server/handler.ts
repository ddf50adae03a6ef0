/**
 * The identity endpoint: `createIdentityHandler(options)` returns a `(Request) => Promise<Response>`
 * that any Web-standard runtime can serve (Node via `toNodeHandler`, Deno, Bun, Workers, Next.js
 * route handlers). It authenticates the app's user, reads a small strict JSON body, asks the
 * configured vendor provider for tokens and answers per the wire contract in the README.
 */
import { check } from './errors.js';
import type { IdentityProvider } from './types.js';
import { createIdentityCore } from './handler/core.js';
import { createCorsPolicy } from './handler/cors.js';
import { DEFAULT_DEADLINE_MS } from './handler/deadline.js';
import { defaultOnError } from './handler/failure.js';
import { toResponse } from './handler/respond.js';

export type { IdentityErrorCode } from './handler/respond.js';
export type { IdentityResponseBody } from './handler/expiry.js';
export { MAX_ACTION_LENGTH, MAX_CONTEXT_DEPTH, MAX_DASHBOARD_ID_LENGTH } from './handler/body.js';
export { PREFLIGHT_MAX_AGE_SECONDS } from './handler/cors.js';
export { DEFAULT_DEADLINE_MS } from './handler/deadline.js';
export { RETRY_AFTER_SECONDS } from './handler/failure.js';

/** Default `maxBodyBytes`: 16 KiB, far above any real identity request. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/** Largest allowed `maxBodyBytes`: 1 MiB. The body is held in memory whole, and no identity request needs more. */
export const MAX_BODY_BYTES_LIMIT = 1024 * 1024;

/** A Web-standard request handler. */
export type IdentityHandler = (request: Request) => Promise<Response>;

/** Options of {@link createIdentityHandler}. */
export interface IdentityHandlerOptions<User> {
  /**
   * Finds the app's signed-in user from the request (session cookie, bearer token…) and returns it,
   * or `null`/`undefined` when nobody is signed in (the browser gets 401). Read headers only: the
   * handler reads the body itself, after authentication. A throw becomes a 500 whose message says
   * nothing about it.
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
  /** Largest accepted request body in bytes (declared or streamed); larger → 413. Default 16 KiB, at most 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Milliseconds one identity request may take in all (authentication, body, every vendor call):
   * then the browser gets a retriable 503 and the providers' `signal` aborts. Default 10 000, inside
   * the element's 15 s request timeout; keep it below the element's `timeoutMs`.
   */
  deadlineMs?: number;
  /**
   * Called with every failure of `authenticate`, a provider or its answer (not with the browser's
   * own mistakes, nor with an ended session). Default: one `console.error` line holding the error's
   * code and message only. The browser never sees the error itself.
   */
  onError?: (error: unknown, request: Request) => void;
  /** The clock (ms since the epoch) for `Date`, `expiresIn` and `expiresAt`. Default `Date.now`. */
  now?: () => number;
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
 * - vendor trouble: 502/503 `upstream-error`; past `deadlineMs`: 503 `upstream-error`; ended session: 409 `session-ended`;
 *   misconfiguration: 500 `configuration-error`; anything else: 500 `internal-error`.
 * Every answer has `Cache-Control: no-store`, `Date` and `X-Content-Type-Options: nosniff`.
 */
export function createIdentityHandler<User>(options: IdentityHandlerOptions<User>): IdentityHandler {
  check(
    options !== null && typeof options === 'object',
    'createIdentityHandler: pass an options object {authenticate, vendors}.',
  );
  const { authenticate, vendors, onError = defaultOnError, now = Date.now } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  check(
    typeof authenticate === 'function',
    'createIdentityHandler: `authenticate(request)` is required; it returns the signed-in user or null.',
  );
  check(
    vendors !== null && typeof vendors === 'object' && !Array.isArray(vendors),
    'createIdentityHandler: `vendors` must be an object such as {vizzly: vizzly.identityProvider({...})}.',
  );
  const providers = new Map<string, IdentityProvider<User>>();
  for (const [name, provider] of Object.entries(vendors)) {
    check(
      typeof provider === 'function',
      `createIdentityHandler: vendors.${name} must be an identity provider function (e.g. ${name}.identityProvider({...})).`,
    );
    providers.set(name, provider);
  }
  check(providers.size > 0, 'createIdentityHandler: `vendors` is empty; configure at least one vendor.');
  check(
    Number.isSafeInteger(maxBodyBytes) && maxBodyBytes > 0 && maxBodyBytes <= MAX_BODY_BYTES_LIMIT,
    `createIdentityHandler: \`maxBodyBytes\` must be a whole number of bytes from 1 to ${MAX_BODY_BYTES_LIMIT} (1 MiB); the default is ${DEFAULT_MAX_BODY_BYTES}.`,
  );
  check(
    typeof deadlineMs === 'number' && deadlineMs > 0 && Number.isFinite(deadlineMs),
    'createIdentityHandler: `deadlineMs` must be a positive number of milliseconds (default 10000).',
  );
  check(typeof onError === 'function', 'createIdentityHandler: `onError` must be a function (error, request) => void.');
  check(
    typeof now === 'function',
    'createIdentityHandler: `now` must be a function returning milliseconds since the epoch.',
  );
  const cors = createCorsPolicy(options.allowedOrigins, options.allowedHeaders);

  const answer = createIdentityCore<User>({ authenticate, providers, cors, maxBodyBytes, deadlineMs, onError, now });
  return async function identityHandler(request: Request): Promise<Response> {
    return toResponse(await answer(request));
  };
}
