import { EmbedServerError } from './errors.js';
import { redact, redactError } from './redact.js';

/** One call to a vendor API. Secrets go in `headers`/`body` and never into an error. */
export interface UpstreamRequest {
  vendor: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as application/json) or URLSearchParams (sent form-urlencoded). */
  body?: unknown;
  /** Milliseconds before giving up (default 10 000). */
  timeoutMs?: number;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /**
   * Values that must never appear in an error: API tokens, passwords, access tokens, session
   * references, including any that travel in `url`. Each is cut out (raw, JSON-escaped or URL-encoded)
   * of the message, `vendorMessage` and `vendorCode` of every error thrown. Empty entries are ignored.
   */
  secrets?: readonly (string | undefined)[];
}

/** What the vendor answered: status and parsed JSON body (`undefined` for an empty body). */
export interface UpstreamResponse<T = unknown> {
  status: number;
  body: T;
}

/** Reads a vendor error body's code and message, whichever of the common shapes it uses. */
export function readVendorError(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? { message: body.slice(0, 500) } : {};
  const record = body as Record<string, unknown>;
  const inner = record.error && typeof record.error === 'object' ? (record.error as Record<string, unknown>) : record;
  const code =
    typeof inner.code === 'string' ? inner.code : typeof record.error === 'string' ? record.error : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  return { code, message };
}

const SYSTEM_CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const ERROR_NAME = /^[A-Za-z]{1,64}$/;

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Names a failed fetch by safe facts only: the system error code (`ECONNREFUSED`, `ENOTFOUND`…) of the
 * error, its cause or the cause's first error, else the error's name (`TypeError`). Never the error's
 * message: Node's fetch quotes an invalid header value (a credential) in it.
 */
export function describeFetchFailure(error: unknown): string {
  const cause = field(error, 'cause');
  const errors = field(cause, 'errors');
  // Several addresses tried (IPv4 and IPv6): the cause is an AggregateError of per-address errors.
  const first = Array.isArray(errors) ? errors[0] : undefined;
  for (const candidate of [cause, first, error]) {
    const code = field(candidate, 'code');
    if (typeof code === 'string' && SYSTEM_CODE.test(code)) return code;
  }
  const name = field(error, 'name');
  const named = typeof name === 'string' && ERROR_NAME.test(name) ? name : 'an unnamed error';
  return `${named} without a system error code (fetch fails like this when it refuses the request itself, e.g. a credential with a line break or non-ASCII character in a header)`;
}

/**
 * Calls a vendor API and returns its JSON answer; any non-2xx becomes an `upstream-http`
 * EmbedServerError carrying the status and the vendor's own code and message. Network failures
 * (`upstream-network`) are described by their system error code only and carry no `cause`.
 * Every error thrown has `request.secrets` cut out of it.
 */
export async function callUpstream<T = unknown>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
  const secrets = request.secrets ?? [];
  try {
    return await exchange<T>(request, secrets);
  } catch (error) {
    throw redactError(error, secrets);
  }
}

async function exchange<T>(
  request: UpstreamRequest,
  secrets: readonly (string | undefined)[],
): Promise<UpstreamResponse<T>> {
  const { vendor, method, url } = request;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    // The URL may hold a secret (a session reference in the path): do not quote it.
    throw new EmbedServerError(
      'invalid-input',
      `${vendor} API URL is not an absolute URL; check the configured base URL.`,
      { vendor },
    );
  }
  const where = `${method} ${target.origin}${target.pathname}`;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.body instanceof URLSearchParams) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = request.body.toString();
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.body);
  }
  const timeoutMs = request.timeoutMs ?? 10_000;
  const signal = AbortSignal.timeout(timeoutMs);
  const doFetch = request.fetch ?? fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, { method, headers, body, signal });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) {
      throw new EmbedServerError(
        'upstream-timeout',
        `${vendor} API did not answer within ${timeoutMs} ms (${where}).`,
        { vendor, retriable: true },
      );
    }
    throw new EmbedServerError(
      'upstream-network',
      `${vendor} API could not be reached (${where}): ${describeFetchFailure(error)}.`,
      { vendor, retriable: true },
    );
  }
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    // A text body is cut to 500 characters: redact first, so no secret is cut in half and half kept.
    const { code, message } = readVendorError(typeof parsed === 'string' ? redact(parsed, secrets) : parsed);
    const retriable = response.status === 429 || response.status >= 500;
    throw new EmbedServerError(
      'upstream-http',
      `${vendor} API answered ${response.status} to ${where}${code ? ` [${code}]` : ''}${message ? `: ${message}` : ''}`,
      { vendor, status: response.status, vendorCode: code, vendorMessage: message, retriable },
    );
  }
  return { status: response.status, body: parsed as T };
}
