import { EmbedError, isEmbedError } from '../errors.js';
import type { IdentityResponse, TokenFetcher } from '../token/types.js';
import { parseRetryAfter, readServerError, validateIdentityBody } from './validate.js';

/** How to reach the app's identity endpoint. */
export interface IdentityClientOptions {
  /** The endpoint URL (the element's `identity-url`). */
  url: string;
  /** Fetch credentials mode (default `same-origin`: cookies only to the page's own origin). */
  credentials?: RequestCredentials;
  /** Extra headers (a CSRF token, a bearer), or a function returning them per request. */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Client clock (default Date.now), to stamp `sentAt` and `receivedAt`. */
  now?: () => number;
}

/** What the element asks for (the wire contract's request body). */
export interface IdentityRequest {
  vendor: string;
  dashboardId?: string;
  context?: Record<string, unknown>;
  /** A vendor operation, e.g. Looker's `acquire` or `refresh`. */
  action?: string;
}

/** An error answer; `serverDate` (its `Date` header) tells the session the server's time. */
function httpError(response: Response, body: unknown, now: number, serverDate?: number): EmbedError {
  const { code, message } = readServerError(body);
  const { status } = response;
  const retriable = status === 408 || status === 429 || status >= 500;
  const hint =
    status === 401 || status === 403
      ? ' The user is not signed in or may not see this dashboard.'
      : retriable
        ? ' Retrying with backoff.'
        : '';
  return new EmbedError(
    'http',
    `The identity endpoint answered ${status}${code ? ` (${code})` : ''}${message ? `: ${message}` : '.'}${hint}`,
    {
      status,
      serverCode: code,
      serverMessage: message,
      retriable,
      // An HTTP-date Retry-After is on the server's clock: measure it against the server's Date.
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), serverDate ?? now),
      serverDate,
    },
  );
}

/** POSTs one identity request and returns the validated answer, or throws a typed EmbedError. */
export async function requestIdentity(
  options: IdentityClientOptions,
  request: IdentityRequest,
  signal: AbortSignal,
): Promise<IdentityResponse> {
  const now = options.now ?? Date.now;
  const extra = typeof options.headers === 'function' ? await options.headers() : options.headers;
  const body: IdentityRequest = {
    vendor: request.vendor,
    dashboardId: request.dashboardId,
    context: request.context ?? {},
  };
  if (request.action) body.action = request.action;
  let response: Response;
  const sentAt = now();
  try {
    response = await (options.fetch ?? fetch)(options.url, {
      method: 'POST',
      credentials: options.credentials ?? 'same-origin',
      headers: { ...extra, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal.aborted && isEmbedError(signal.reason)) throw signal.reason;
    throw new EmbedError(
      'network',
      `The identity endpoint ${options.url} could not be reached (${(error as Error).message}). Check the URL and the network.`,
      { retriable: true, cause: error },
    );
  }
  const receivedAt = now();
  const date = Date.parse(response.headers.get('date') ?? '');
  const serverDate = Number.isNaN(date) ? undefined : date;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    if (!response.ok) throw httpError(response, undefined, receivedAt, serverDate);
    throw new EmbedError(
      'malformed-response',
      `The identity endpoint's answer is not JSON (${response.headers.get('content-type') ?? 'no content type'}). It must answer {"vendor", "tokens", "expiresIn"}.`,
      { retriable: true },
    );
  }
  if (!response.ok) throw httpError(response, parsed, receivedAt, serverDate);
  const valid = validateIdentityBody(parsed, request.vendor);
  return { ...valid, sentAt, receivedAt, ...(serverDate === undefined ? {} : { serverDate }) };
}

/** One identity call: a request (with an optional action) and an abort signal. */
export type IdentityCall = (request: IdentityRequest, signal: AbortSignal) => Promise<IdentityResponse>;

/**
 * A {@link TokenFetcher} for a TokenSession built on one identity call: the first fetch sends no
 * action, later ones `refresh`, one-off requests their own `action`. When the server says its vendor session ended (409
 * `session-ended`, Looker), it starts a new one at once instead of failing.
 */
export function sessionFetcher(call: IdentityCall, request: IdentityRequest): TokenFetcher {
  return async ({ signal, reason, action }) => {
    if (action) return call({ ...request, action }, signal);
    if (reason !== 'refresh') return call(request, signal);
    try {
      return await call({ ...request, action: 'refresh' }, signal);
    } catch (error) {
      if (isEmbedError(error) && error.status === 409 && error.serverCode === 'session-ended')
        return call(request, signal);
      throw error;
    }
  };
}

/** A {@link TokenFetcher} for the identity endpoint at `options.url`. */
export function createIdentityFetcher(options: IdentityClientOptions, request: IdentityRequest): TokenFetcher {
  return sessionFetcher((body, signal) => requestIdentity(options, body, signal), request);
}
