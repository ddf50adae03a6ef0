import { EmbedServerError } from './errors.js';
import { redactError, vendorText } from './redact.js';

/** Default `maxResponseBytes`: 1 MiB, far above any token answer, far below what would hurt memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

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
  /**
   * Aborts the call (the identity request's deadline passed, or its client went away): pass the
   * provider's `signal`. The call then fails as `upstream-timeout`.
   */
  signal?: AbortSignal;
  /** Largest vendor answer read, in bytes (default 1 MiB); a larger one is `upstream-malformed`, never buffered whole. */
  maxResponseBytes?: number;
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
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? { message: body } : {};
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
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeout = AbortSignal.timeout(timeoutMs);
  const { signal, release } = abortedByEither(timeout, request.signal);
  const doFetch = request.fetch ?? fetch;
  let response: Response;
  let text: string;
  try {
    response = await doFetch(url, { method, headers, body, signal });
    text = await readLimited(
      response,
      maxBytes,
      () =>
        new EmbedServerError(
          'upstream-malformed',
          `${vendor} API answered more than ${maxBytes} bytes to ${where} (maxResponseBytes); the answer was not read.`,
          { vendor, status: response.status },
        ),
    );
  } catch (error) {
    if (error instanceof EmbedServerError) throw error;
    if (request.signal?.aborted) {
      throw new EmbedServerError(
        'upstream-timeout',
        `${vendor} API call was cut short by the identity request's deadline or its client going away (${where}).`,
        { vendor, retriable: true },
      );
    }
    if (timeout.aborted) {
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
  } finally {
    release();
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
    // Vendor text goes into messages and log lines: secrets out first, then one line, cut short.
    const raw = readVendorError(parsed);
    const code = raw.code === undefined ? undefined : vendorText(raw.code, secrets, 100);
    const message = raw.message === undefined ? undefined : vendorText(raw.message, secrets);
    const retriable = response.status === 429 || response.status >= 500;
    throw new EmbedServerError(
      'upstream-http',
      `${vendor} API answered ${response.status} to ${where}${code ? ` [${code}]` : ''}${message ? `: ${message}` : ''}`,
      { vendor, status: response.status, vendorCode: code, vendorMessage: message, retriable },
    );
  }
  return { status: response.status, body: parsed as T };
}

/** A signal that aborts with `first` or `second` (without `AbortSignal.any`, whose Node 20 versions keep signals alive), and its cleanup. */
function abortedByEither(
  first: AbortSignal,
  second: AbortSignal | undefined,
): { signal: AbortSignal; release: () => void } {
  if (!second) return { signal: first, release: () => undefined };
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (first.aborted || second.aborted) abort();
  first.addEventListener('abort', abort, { once: true });
  second.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      first.removeEventListener('abort', abort);
      second.removeEventListener('abort', abort);
    },
  };
}

/**
 * The answer's body as text, read chunk by chunk and given up (the `tooLarge()` error) past
 * `maxBytes`, so that a huge or endless answer is never held whole; `Content-Length` is checked first.
 */
async function readLimited(response: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const stop = (): Error => {
    void reader.cancel().catch(() => undefined);
    return tooLarge();
  };
  if (Number(response.headers.get('content-length')) > maxBytes) throw stop();
  const decoder = new TextDecoder();
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    total += value.byteLength;
    if (total > maxBytes) throw stop();
    text += decoder.decode(value, { stream: true });
  }
}
