import type { Clock } from '../timers.js';
import type { TokenSet } from '../token/types.js';

/**
 * A token set as the session hands it to an adapter, with what the session knows of its life.
 * The session is the one owner of the current set: adapters never re-derive ages from the tokens.
 */
export interface TokenGrant {
  /** The vendor tokens, as the identity endpoint returned them in `tokens`. */
  readonly tokens: TokenSet;
  /**
   * When the tokens expire, as a `Date.now()` time worked out at handover from the session's
   * monotonic plan (so it is right even after the wall clock jumped); `null` = never. Use it at once
   * (e.g. a TTL of `Math.floor((expiresAt - Date.now()) / 1000)` seconds): the wall clock may jump later.
   */
  readonly expiresAt: number | null;
}

/** What an adapter may ask of {@link VendorMountContext.getTokens}. */
export interface TokenRequestOptions {
  /**
   * The tokens must stay valid at least this long (ms) after they are handed over; if the held ones
   * would not, the session refreshes first (one request for every caller). The session also keeps
   * its scheduled refreshes early enough that held tokens normally meet the largest value asked for.
   */
  minValidityMs?: number;
}

/** What the element hands a vendor adapter when it mounts the vendor's embed. */
export interface VendorMountContext {
  /** The fresh tokens the first render should use. */
  grant: TokenGrant;
  /** Resolves to tokens that are fresh right now (from the shared session; never expired ones). */
  getTokens(options?: TokenRequestOptions): Promise<TokenGrant>;
  /** Forces a refresh now (the vendor said the token expired) and resolves to the new tokens. */
  refreshTokens(): Promise<TokenGrant>;
  /**
   * Makes a one-off identity request with an `action` (e.g. Looker's `acquire` for a new iframe)
   * through the session: its timeout, validation, typed `EmbedError`s and abort on unmount apply, but
   * the answer does not replace the shared token set. Resolves to that answer's tokens.
   */
  requestIdentity(action: string): Promise<TokenGrant>;
  /**
   * The vendor reported its content height in CSS pixels (Looker's `page:properties:changed`):
   * the element follows it unless the app fixed the height. `null` returns to the element's own height.
   */
  reportHeight(heightPx: number | null): void;
  /** Vendor options from the `vendor-options` attribute / `options` property (JSON object). */
  options: Readonly<Record<string, unknown>>;
  /** The `dashboard-id` attribute. */
  dashboardId: string;
  /** Aborted when the embed is unmounted: stop loading, drop listeners. */
  signal: AbortSignal;
  /** The `<embed-dashboard>` element, for dispatching vendor events (bubbling, composed). */
  host: HTMLElement;
  /** Reports an error the vendor's embed raised after mounting (shown as the element's error state). */
  reportError(error: Error): void;
  /**
   * The element's clock, the one its token session runs on (`sessionOptions.clock`, else the real
   * one): an adapter's own timers and token ages use it, so a clock injected for tests drives them too.
   */
  clock: Clock;
}

/** A mounted vendor embed. */
export interface VendorEmbed {
  /** New tokens arrived: hand them to the embed without reloading it. */
  update(grant: TokenGrant): void;
  /** Release everything: elements, iframes, listeners, timers. */
  destroy(): void;
}

/**
 * A vendor adapter: renders the vendor's own embed into `container`, a light-DOM child of the
 * `<embed-dashboard>` element (so the vendor's page-level CSS reaches it).
 */
export interface VendorAdapter {
  mount(container: HTMLElement, context: VendorMountContext): VendorEmbed | Promise<VendorEmbed>;
}

/** Loads an adapter lazily (a dynamic import), so a page never downloads other vendors' code. */
export type VendorLoader = () => Promise<VendorAdapter | { default: VendorAdapter }>;
