/**
 * Stable error codes of the server module.
 * - `invalid-input`: a function was called with missing or malformed arguments (fix the call).
 * - `invalid-key`: a private key could not be read (wrong PEM, wrong curve).
 * - `upstream-http`: the vendor API answered non-2xx (`status`, `vendorCode`, `vendorMessage`).
 * - `upstream-network`: the vendor API could not be reached.
 * - `upstream-timeout`: the vendor API did not answer in time.
 * - `upstream-malformed`: the vendor API answered 2xx with a body we could not use.
 * - `session-ended`: a vendor session (Looker cookieless) has ended and must be acquired again.
 * - `bad-request`: the browser's identity request asks for something malformed (an unknown action).
 *   The message is safe to show the browser.
 * - `forbidden`: the app's rules refuse this user this dashboard (e.g. DataBrain `allowedDashboards`).
 *   The message is safe to show the browser.
 */
export type ServerErrorCode =
  | 'invalid-input'
  | 'invalid-key'
  | 'upstream-http'
  | 'upstream-network'
  | 'upstream-timeout'
  | 'upstream-malformed'
  | 'session-ended'
  | 'bad-request'
  | 'forbidden';

export interface ServerErrorDetails {
  /** The vendor: `vizzly`, `databrain`, `formant` or `looker`. */
  vendor?: string;
  /** HTTP status of the vendor's answer. */
  status?: number;
  /** The vendor's own error code, e.g. DataBrain's `CLIENT_ID_ERROR`. */
  vendorCode?: string;
  /** The vendor's own error message (never contains our secrets: we never send them back). */
  vendorMessage?: string;
  /** Whether trying again later may succeed (network trouble, 429, 5xx). */
  retriable?: boolean;
  cause?: unknown;
}

/** The one error type of the server module: a stable `code`, a message saying what to fix, details. */
export class EmbedServerError extends Error {
  override name = 'EmbedServerError';
  readonly code: ServerErrorCode;
  readonly vendor: string | undefined;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly retriable: boolean;

  constructor(code: ServerErrorCode, message: string, details: ServerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.vendor = details.vendor;
    this.status = details.status;
    this.vendorCode = details.vendorCode;
    this.vendorMessage = details.vendorMessage;
    this.retriable = details.retriable ?? false;
  }
}

/** The parts of an EmbedServerError that {@link withChanges} may replace. */
export interface ServerErrorChanges {
  /** The new message (default: the old one). */
  message?: string;
  /** The new vendor code; present as `undefined`, it is removed. */
  vendorCode?: string | undefined;
  /** The new vendor message; present as `undefined`, it is removed. */
  vendorMessage?: string | undefined;
}

/**
 * A copy of `error` with `changes` applied (its fields are read-only); code, vendor, status,
 * retriable and cause are kept. The copy gets a fresh stack, built from the new message.
 */
export function withChanges(error: EmbedServerError, changes: ServerErrorChanges): EmbedServerError {
  return new EmbedServerError(error.code, changes.message ?? error.message, {
    vendor: error.vendor,
    status: error.status,
    vendorCode: 'vendorCode' in changes ? changes.vendorCode : error.vendorCode,
    vendorMessage: 'vendorMessage' in changes ? changes.vendorMessage : error.vendorMessage,
    retriable: error.retriable,
    cause: error.cause,
  });
}

/** Throws `invalid-input` naming the argument when `condition` is false. */
export function check(condition: unknown, message: string, vendor?: string): asserts condition {
  if (!condition) throw new EmbedServerError('invalid-input', message, { vendor });
}
