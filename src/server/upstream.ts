import { EmbedServerError } from './errors.js';

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
  const code = typeof inner.code === 'string' ? inner.code : typeof record.error === 'string' ? record.error : undefined;
  const message = typeof inner.message === 'string' ? inner.message : undefined;
  return { code, message };
}

/**
 * Calls a vendor API and returns its JSON answer; any non-2xx becomes an `upstream-http`
 * EmbedServerError carrying the status and the vendor's own code and message.
 */
export async function callUpstream<T = unknown>(request: UpstreamRequest): Promise<UpstreamResponse<T>> {
  const { vendor, method, url } = request;
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
  const where = `${method} ${new URL(url).origin}${new URL(url).pathname}`;
  let response: Response;
  try {
    response = await doFetch(url, { method, headers, body, signal });
  } catch (error) {
    if (signal.aborted) {
      throw new EmbedServerError('upstream-timeout', `${vendor} API did not answer within ${timeoutMs} ms (${where}).`, { vendor, retriable: true });
    }
    throw new EmbedServerError('upstream-network', `${vendor} API could not be reached (${where}): ${(error as Error).message}`, { vendor, retriable: true, cause: error });
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) {
    const { code, message } = readVendorError(parsed);
    const retriable = response.status === 429 || response.status >= 500;
    throw new EmbedServerError(
      'upstream-http',
      `${vendor} API answered ${response.status} to ${where}${code ? ` [${code}]` : ''}${message ? `: ${message}` : ''}`,
      { vendor, status: response.status, vendorCode: code, vendorMessage: message, retriable },
    );
  }
  return { status: response.status, body: parsed as T };
}
