/**
 * The identity endpoint's core: from a Request (method, URL, headers) and a way to read its body,
 * the answer as a plain object. The Web handler turns it into a Response; `toNodeHandler` writes it
 * straight to node:http and reads the body from the socket itself, skipping Web streams.
 */
import type { IdentityProvider } from '../types.js';
import { isPromiseLike } from '../validate.js';
import { checkDeclaredLength, parseIdentityBody } from './body.js';
import type { CorsPolicy } from './cors.js';
import { toResponseBody } from './expiry.js';
import { problemFor, shouldReport } from './failure.js';
import { stringifyResponseBody } from './answer-json.js';
import { HttpProblem, jsonTextAnswer, problemAnswer, type Answer } from './respond.js';

/**
 * Reads the request body as strict UTF-8 text, at most `maxBytes` (413 `HttpProblem` beyond, 400
 * when not UTF-8). Called at most once per request, after authentication. May answer at once
 * (a string, or a throw) when the body is already at hand.
 */
export type ReadBody = (maxBytes: number) => string | Promise<string>;

/** Answers one request; never throws (every failure is an error answer). */
export type IdentityCore = (request: Request, readBody: ReadBody) => Promise<Answer>;

/**
 * Internal, not a public API: the key under which `createIdentityHandler` exposes its core on the
 * handler function (non-enumerable), so that `toNodeHandler` can serve it without Web streams.
 * `Symbol.for`, so that two copies of the package (ESM and CJS) still recognise each other.
 */
export const IDENTITY_CORE: unique symbol = Symbol.for('embed-dashboard.identity-handler');

/** Internal: what the handler carries under {@link IDENTITY_CORE}. Bump `version` on any change. */
export interface IdentityCoreAccess {
  readonly version: 1;
  readonly answer: IdentityCore;
  readonly maxBodyBytes: number;
}

/** Everything the core needs, already validated by `createIdentityHandler`. */
export interface CoreConfig<User> {
  authenticate: (request: Request) => User | null | undefined | Promise<User | null | undefined>;
  providers: ReadonlyMap<string, IdentityProvider<User>>;
  cors: CorsPolicy;
  maxBodyBytes: number;
  onError: (error: unknown, request: Request) => void;
  now: () => number;
}

/** Whether a Content-Type says JSON in UTF-8 (RFC 8259): `application/json`, no other charset. */
export function isMediaTypeJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  if (contentType === 'application/json') return true;
  const [type = '', ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  // JSON is UTF-8 (RFC 8259); refuse a body that says it is anything else.
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset' && value.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8')
      return false;
  }
  return true;
}

/** Builds the core of one handler (see `createIdentityHandler` for what it answers). */
export function createIdentityCore<User>(config: CoreConfig<User>): IdentityCore {
  const { authenticate, providers, cors, maxBodyBytes, onError, now } = config;
  const hasVendor = (name: string): boolean => providers.has(name);

  const report = (error: unknown, request: Request): void => {
    if (!shouldReport(error)) return;
    try {
      onError(error, request);
    } catch {
      // A failing logger must not turn into a different answer.
    }
  };

  return async function answer(request, readBody) {
    const method = request.method;
    const headers = request.headers;
    if (method === 'OPTIONS') return cors.preflight(headers.get('origin'), now());
    const extra = cors.enabled ? cors.extraFor(headers.get('origin')) : null;
    let vendor: string | undefined;
    try {
      if (method !== 'POST') {
        throw new HttpProblem(405, 'method-not-allowed', 'Use POST.', { allow: 'POST, OPTIONS' });
      }
      if (!isMediaTypeJson(headers.get('content-type'))) {
        throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as Content-Type: application/json.');
      }
      checkDeclaredLength(request, maxBodyBytes);
      // Awaiting only real promises spares a turn of the microtask queue per step on the common path.
      const pendingUser = authenticate(request);
      const user = isPromiseLike(pendingUser) ? await pendingUser : pendingUser;
      if (user === null || user === undefined)
        throw new HttpProblem(401, 'unauthenticated', 'Sign in to view this dashboard.');
      const text = readBody(maxBodyBytes);
      const body = parseIdentityBody(typeof text === 'string' ? text : await text, hasVendor);
      vendor = body.vendor;
      const provider = providers.get(body.vendor) as IdentityProvider<User>;
      const pendingResult = provider({ user, request, body });
      const result = isPromiseLike(pendingResult) ? await pendingResult : pendingResult;
      const answeredAt = now();
      return jsonTextAnswer(
        200,
        stringifyResponseBody(toResponseBody(body.vendor, result, answeredAt)),
        answeredAt,
        extra,
      );
    } catch (error) {
      report(error, request);
      return problemAnswer(problemFor(error, vendor), now(), extra);
    }
  };
}
