/**
 * Building the identity endpoint's responses: JSON bodies with the headers every answer carries,
 * and the `{"error": {"code", "message"}}` shape of the wire contract.
 */

/** Stable error codes the identity endpoint sends to the browser in `{"error": {"code"}}`. */
export type IdentityErrorCode =
  | 'unauthenticated'
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'invalid-request'
  | 'unknown-vendor'
  | 'forbidden-origin'
  | 'forbidden'
  | 'session-ended'
  | 'upstream-error'
  | 'configuration-error'
  | 'internal-error';

/**
 * A request the handler answers with an error status. Thrown inside the handler and turned into a
 * response; its message is written for the browser, so it never holds anything secret.
 */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: IdentityErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Headers on every answer: no caching anywhere (tokens are per user), an explicit Date, no sniffing. */
export function baseHeaders(nowMs: number): Headers {
  return new Headers({
    'cache-control': 'no-store',
    // Web runtimes (Workers, Deno) may not add Date; the browser uses it to correct clock skew.
    date: new Date(nowMs).toUTCString(),
    'x-content-type-options': 'nosniff',
  });
}

/** A JSON response with the base headers plus `extra` (CORS, Allow, Retry-After…). */
export function jsonResponse(status: number, payload: unknown, nowMs: number, extra?: HeadersInit): Response {
  const headers = baseHeaders(nowMs);
  headers.set('content-type', 'application/json');
  if (extra) new Headers(extra).forEach((value, name) => headers.set(name, value));
  return new Response(JSON.stringify(payload), { status, headers });
}

/** An error response `{"error": {"code", "message"}}` for a problem. */
export function problemResponse(problem: HttpProblem, nowMs: number, extra?: HeadersInit): Response {
  const headers = new Headers(extra);
  for (const [name, value] of Object.entries(problem.headers)) headers.set(name, value);
  return jsonResponse(problem.status, { error: { code: problem.code, message: problem.message } }, nowMs, headers);
}
