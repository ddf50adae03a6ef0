import type { EmbedError, EmbedErrorCode } from '../errors.js';
import type { Expiry } from '../token/expiry.js';

/** `embed-token`: new tokens reached the embed. Carries their expiry, never the tokens. */
export interface EmbedTokenDetail {
  /** Client-clock expiry (ms since the epoch), or `null` when they never expire. */
  expiresAt: number | null;
  /** The lifetime the server granted (ms), or `null`. */
  lifetimeMs: number | null;
  /** Where the expiry was read from. */
  source: Expiry['source'];
}

/** `embed-ready`: the vendor's embed is mounted with valid tokens. */
export interface EmbedReadyDetail {
  vendor: string;
}

/** `embed-error`: something failed; `retriable` says whether the element keeps trying by itself. */
export interface EmbedErrorDetail {
  code: EmbedErrorCode;
  message: string;
  retriable: boolean;
  /** HTTP status of the identity endpoint, for `http` errors. */
  status?: number;
  /** The server's error code, for `http` errors. */
  serverCode?: string;
  /** The attribute at fault, for `invalid-attribute` errors. */
  attribute?: string;
  /** How many times in a row this has failed. */
  attempt: number;
  /** When the next automatic try happens (ms since the epoch), or `null` for none. */
  nextRetryAt: number | null;
  /** The error itself. */
  error: EmbedError;
}

/** `embed-expired`: the tokens expired before new ones arrived; the embed is hidden until they do. */
export interface EmbedExpiredDetail {
  expiredAt: number;
}

/**
 * `looker-dashboard-run-start`, `looker-dashboard-run-complete`, `looker-dashboard-filters-changed`:
 * Looker's dashboard message, as the Looker iframe sent it (`{type, dashboard, …}`).
 */
export type LookerDashboardEventDetail = Readonly<Record<string, unknown>>;

/** The element's own events: the names whose `HTMLElementEventMap` entry is a `CustomEvent`. */
export type EmbedEventName = {
  [K in keyof HTMLElementEventMap]: HTMLElementEventMap[K] extends CustomEvent<unknown> ? K : never;
}[keyof HTMLElementEventMap];

/** The `detail` type of one of the element's events. */
export type EmbedEventDetail<K extends EmbedEventName> =
  HTMLElementEventMap[K] extends CustomEvent<infer D> ? D : never;

/**
 * The one way the element's events are sent: a bubbling, composed `CustomEvent` whose name and
 * `detail` are checked against `HTMLElementEventMap`, so listeners get exactly the declared type.
 */
export function emit<K extends EmbedEventName>(target: EventTarget, type: K, detail: EmbedEventDetail<K>): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

export function errorDetail(error: EmbedError, attempt = 1, nextRetryAt: number | null = null): EmbedErrorDetail {
  return {
    code: error.code,
    message: error.message,
    retriable: error.retriable,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.serverCode === undefined ? {} : { serverCode: error.serverCode }),
    ...(error.attribute === undefined ? {} : { attribute: error.attribute }),
    attempt,
    nextRetryAt,
    error,
  };
}

declare global {
  interface HTMLElementEventMap {
    'embed-token': CustomEvent<EmbedTokenDetail>;
    'embed-ready': CustomEvent<EmbedReadyDetail>;
    'embed-error': CustomEvent<EmbedErrorDetail>;
    'embed-expired': CustomEvent<EmbedExpiredDetail>;
    'looker-dashboard-run-start': CustomEvent<LookerDashboardEventDetail>;
    'looker-dashboard-run-complete': CustomEvent<LookerDashboardEventDetail>;
    'looker-dashboard-filters-changed': CustomEvent<LookerDashboardEventDetail>;
  }
}
