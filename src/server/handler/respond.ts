/**
 * Building the identity endpoint's answers: plain `{status, headers, body}` objects with the headers
 * every answer carries and the `{"error": {"code", "message"}}` shape of the wire contract. Each
 * becomes a Web `Response` (see `toResponse`).
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

/** One answer of the identity endpoint, before it becomes a Response. */
export interface Answer {
  status: number;
  /** Header names in lower case (so merging plain objects never duplicates a header). */
  headers: Record<string, string>;
  /** The JSON text, or `null` for an empty body (preflights). */
  body: string | null;
}

/** Headers added to an answer, names in lower case. */
export type HeaderRecord = Readonly<Record<string, string>>;

/**
 * A request the handler answers with an error status. Thrown inside the handler and turned into an
 * answer; its message is written for the browser, so it never holds anything secret.
 */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: IdentityErrorCode,
    message: string,
    /** Extra answer headers, names in lower case (`allow`, `retry-after`). */
    readonly headers: HeaderRecord = {},
  ) {
    super(message);
  }
}

/** The HTTP `Date` for `nowMs` (whole seconds, as HTTP dates have). */
export function httpDate(nowMs: number): string {
  return new Date(nowMs).toUTCString();
}

/** Headers on every answer: no caching anywhere (tokens are per user), an explicit Date, no sniffing. */
export function baseHeaders(nowMs: number): Record<string, string> {
  return {
    'cache-control': 'no-store',
    // Web runtimes (Workers, Deno) may not add Date; the browser uses it to correct clock skew.
    date: httpDate(nowMs),
    'x-content-type-options': 'nosniff',
  };
}

/** A JSON answer for `payload`: the base headers plus `extra` (CORS, Allow, Retry-After…), which win over them. */
export function jsonAnswer(status: number, payload: unknown, nowMs: number, extra?: HeaderRecord | null): Answer {
  const headers = baseHeaders(nowMs);
  headers['content-type'] = 'application/json';
  if (extra) Object.assign(headers, extra);
  return { status, headers, body: JSON.stringify(payload) };
}

/** An error answer `{"error": {"code", "message"}}` for a problem; the problem's headers win over `extra`. */
export function problemAnswer(problem: HttpProblem, nowMs: number, extra?: HeaderRecord | null): Answer {
  const headers = extra ? { ...extra, ...problem.headers } : problem.headers;
  return jsonAnswer(problem.status, { error: { code: problem.code, message: problem.message } }, nowMs, headers);
}

/** The Web `Response` for an answer. */
export function toResponse(answer: Answer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
