import type { TokenSet } from '../token/types.js';

/** What the element hands a vendor adapter when it mounts the vendor's embed. */
export interface VendorMountContext {
  /** The fresh tokens the first render should use. */
  tokens: TokenSet;
  /** Resolves to tokens that are fresh right now (from the shared session; never expired ones). */
  getTokens(): Promise<TokenSet>;
  /** Forces a refresh now (the vendor said the token expired) and resolves to the new tokens. */
  refreshTokens(): Promise<TokenSet>;
  /**
   * Makes a one-off identity request with an `action` (e.g. Looker's `acquire` for a new iframe),
   * outside the shared session. Resolves to that response's tokens.
   */
  requestIdentity(action: string): Promise<TokenSet>;
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
}

/** A mounted vendor embed. */
export interface VendorEmbed {
  /** New tokens arrived: hand them to the embed without reloading it. */
  update(tokens: TokenSet): void;
  /** Release everything: elements, iframes, listeners, timers. */
  destroy(): void;
}

/** A vendor adapter: renders the vendor's own embed into `container`. */
export interface VendorAdapter {
  mount(container: HTMLElement, context: VendorMountContext): VendorEmbed | Promise<VendorEmbed>;
}

/** Loads an adapter lazily (a dynamic import), so a page never downloads other vendors' code. */
export type VendorLoader = () => Promise<VendorAdapter | { default: VendorAdapter }>;
