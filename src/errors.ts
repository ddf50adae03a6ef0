/**
 * Stable error codes of the browser half. Apps branch on `error.code`; the message is for people.
 * - `network`: the identity endpoint could not be reached.
 * - `timeout`: the identity request took longer than the configured timeout.
 * - `http`: the identity endpoint answered non-2xx (`status`, `serverCode`, `serverMessage`).
 * - `malformed-response`: the endpoint's body was not the JSON the wire contract describes.
 * - `malformed-token`: a token could not be decoded, or its expiry could not be read (retried).
 * - `expired-token`: the server keeps returning tokens that are already expired or about to be.
 * - `invalid-attribute`: an attribute or property of the element is missing or invalid.
 * - `unknown-vendor`: no adapter is registered for the `vendor` attribute.
 * - `vendor`: the vendor's embed failed to load or reported an error.
 * - `disposed`: the session was disposed while a caller waited for tokens.
 */
export type EmbedErrorCode =
  | 'network'
  | 'timeout'
  | 'http'
  | 'malformed-response'
  | 'malformed-token'
  | 'expired-token'
  | 'invalid-attribute'
  | 'unknown-vendor'
  | 'vendor'
  | 'disposed';

/** Details carried by an {@link EmbedError}; none of them ever holds a token or a secret. */
export interface EmbedErrorDetails {
  /** HTTP status of the identity endpoint's answer, for `http` errors. */
  status?: number;
  /** The server's own error code (`{"error": {"code"}}`), for `http` errors. */
  serverCode?: string;
  /** The server's own error message, for `http` errors. */
  serverMessage?: string;
  /** Whether trying again later may succeed. */
  retriable?: boolean;
  /** Milliseconds the server asked us to wait (`Retry-After`; an HTTP date against the server's `Date`). */
  retryAfterMs?: number;
  /** The server's time (ms) from an error answer's `Date` header: the session re-anchors its clock on it. */
  serverDate?: number;
  /** The attribute or property at fault, for `invalid-attribute` errors. */
  attribute?: string;
  /** The underlying error. */
  cause?: unknown;
}

// Marks EmbedErrors across copies of this package (a CDN build beside a bundled one): `instanceof`
// sees only its own copy's class.
const BRAND = Symbol.for('embed-dashboard.EmbedError');

/** The one error type of the browser half: a stable `code`, a message saying what to fix, and details. */
export class EmbedError extends Error {
  override name = 'EmbedError';
  readonly code: EmbedErrorCode;
  /** Whether trying again later may succeed. */
  readonly retriable: boolean = false;
  declare readonly status?: number;
  declare readonly serverCode?: string;
  declare readonly serverMessage?: string;
  declare readonly retryAfterMs?: number;
  declare readonly serverDate?: number;
  declare readonly attribute?: string;

  constructor(code: EmbedErrorCode, message: string, details: EmbedErrorDetails = {}) {
    super(message, details);
    this.code = code;
    // Only the details given become properties (cause is set by Error itself).
    const { cause: _cause, ...rest } = details;
    Object.assign(this, rest);
  }

  /** The cross-copy brand that {@link isEmbedError} looks for (on the prototype, not each error). */
  get [BRAND](): true {
    return true;
  }
}

/** True when `value` is an {@link EmbedError}, from this copy of the package or another one. */
export function isEmbedError(value: unknown): value is EmbedError {
  return value instanceof EmbedError || (typeof value === 'object' && value !== null && BRAND in value);
}

/**
 * The `invalid-attribute` error for a bad input: `message` says what was wrong and how to fix it,
 * `attribute` names the attribute or property at fault (a vendor's options by default).
 */
export function invalidAttribute(message: string, attribute = 'vendor-options'): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute });
}
