import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { EmbedError } from '../errors.js';
import type { VendorEmbed } from '../vendors/contract.js';
import type { FetchTokens, IdentityHeaders, SessionSettings } from './config.js';
import { EmbedController, type EmbedState } from './embed-controller.js';
import { contentHeightRule, followedHeight } from './height.js';
import { inputNames } from './inputs.js';
import { statusOverlay } from './overlay.js';
import { styles } from './styles.js';

/**
 * Embeds a vendor's analytics dashboard (Vizzly, DataBrain, Formant, Looker) whose tokens are always
 * fresh: it asks your backend's identity endpoint for tokens, refreshes them before they expire, and
 * hands them to the vendor's embed without reloading it. Elements with the same inputs share one
 * token session.
 *
 * @element embed-dashboard
 *
 * @attr {string} vendor - Which vendor to embed: `vizzly`, `databrain`, `formant`, `looker`, or one added with `registerVendor()`.
 * @attr {string} identity-url - Your backend's identity endpoint (POST JSON, see the README's wire contract).
 * @attr {string} dashboard-id - The vendor's dashboard id, sent to your endpoint and the vendor embed.
 * @attr {string} vendor-options - Vendor options as a JSON object, e.g. `{"theme":"dark"}`.
 * @attr {string} credentials - Fetch credentials for the identity request: `same-origin` (default), `include` or `omit`.
 * @attr {string} share - Who shares the token session: `page` (default: the elements of this page) or `tabs` (every tab of this origin with the same inputs too: one identity request per refresh for all of them).
 * @attr {string} state - Read-only, written by the element: `idle`, `loading`, `ready`, `error` or `expired` (changing it changes nothing).
 * @attr {boolean} debug - Logs the token life cycle to the console (requests, tokens received with their expiry, scheduled refreshes, errors, expiry, unmount); never the tokens.
 *
 * @fires {CustomEvent<EmbedTokenDetail>} embed-token - New tokens reached the embed; carries their expiry, never the tokens.
 * @fires {CustomEvent<EmbedReadyDetail>} embed-ready - The vendor embed is mounted with valid tokens.
 * @fires {CustomEvent<EmbedErrorDetail>} embed-error - Something failed: `code`, `message`, `retriable`, `attempt`, `nextRetryAt`.
 * @fires {CustomEvent<EmbedExpiredDetail>} embed-expired - Tokens expired before new ones came; the embed is hidden until they do.
 * @fires {CustomEvent<LookerDashboardEventDetail>} looker-dashboard-run-start - Looker: the dashboard started running its queries.
 * @fires {CustomEvent<LookerDashboardEventDetail>} looker-dashboard-run-complete - Looker: the dashboard finished running.
 * @fires {CustomEvent<LookerDashboardEventDetail>} looker-dashboard-filters-changed - Looker: the dashboard's filters changed.
 *
 * @slot embed - Holds the vendor's embed: a light-DOM `<div slot="embed">` the element adds and manages, so page and vendor CSS reach it.
 * @slot loading - Shown while loading (default: a polite `role="status"` message).
 * @slot error - Shown on error or expiry (default: a `role="alert"` message saying what went wrong).
 *
 * @csspart embed - The box (in the shadow root) that shows the `embed` slot; it scrolls when the content is taller than a fixed height.
 * @csspart status - The overlay holding the loading or error content.
 * @csspart loading - The default loading message.
 * @csspart error - The default error message.
 *
 * @cssprop --embed-dashboard-height - A fixed height for the element. Unset, the element follows the content height the vendor reports (Looker), else 600px.
 * @cssprop --embed-dashboard-content-height - Set by the element (from its shadow root) to the vendor's reported content height; read it, don't set it.
 * @cssprop --embed-dashboard-min-height - Minimum height (default 200px).
 * @cssprop --embed-dashboard-overlay-background - Background of the loading/error overlay.
 * @cssprop --embed-dashboard-overlay-color - Text colour of the overlay.
 * @cssprop --embed-dashboard-error-color - Colour of the default error message.
 * @cssprop --embed-dashboard-font - Font of the overlay.
 */
// Lit's ReactiveElement (attributes, properties, batched updates, adopted styles) without lit-html:
// the element's own DOM is one box showing the vendor's light-DOM embed and one status overlay.
export class EmbedDashboard extends ReactiveElement {
  static override styles = styles;

  // Each input is declared once, here: changing any of them re-mounts the embed (see `inputs`).
  // Attributes are kebab-case; objects and functions are properties only.
  static override properties = {
    vendor: { type: String },
    identityUrl: { type: String, attribute: 'identity-url' },
    dashboardId: { type: String, attribute: 'dashboard-id' },
    vendorOptions: { type: String, attribute: 'vendor-options' },
    credentials: { type: String },
    fetchTokens: { attribute: false },
    context: { attribute: false },
    options: { attribute: false },
    headers: { attribute: false },
    sessionOptions: { attribute: false },
    share: { type: String },
    debug: { type: Boolean, reflect: true },
  };

  /** The names of the properties whose change re-mounts the embed: all of the above but `debug`. */
  static readonly inputs: readonly string[] = inputNames(this.properties, ['debug']);

  /** Which vendor to embed (`vendor` attribute). */
  declare vendor: string | undefined;
  /** Your backend's identity endpoint (`identity-url` attribute). */
  declare identityUrl: string | undefined;
  /** The vendor's dashboard id (`dashboard-id` attribute). */
  declare dashboardId: string | undefined;
  /** Vendor options as JSON text (`vendor-options` attribute); see also `options`. */
  declare vendorOptions: string | undefined;
  /** Fetch credentials mode for the identity request (`credentials` attribute; default `same-origin`). */
  declare credentials: string | undefined;
  /** Your own token source instead of `identity-url`: resolves to `{tokens, expiresIn?, expiresAt?}`. */
  declare fetchTokens: FetchTokens | undefined;
  /**
   * Non-secret hints sent to your endpoint as `context` (your server decides what to honour). Copied
   * when the embed mounts: assign a new object to change it (mutating it in place changes nothing).
   */
  declare context: Record<string, unknown> | undefined;
  /** Vendor options as an object; merged over `vendor-options`, key by key. */
  declare options: Record<string, unknown> | undefined;
  /**
   * Extra identity request headers (a CSRF token), or a function returning them (called at every
   * request). Part of the session key: elements with other headers get their own session.
   */
  declare headers: IdentityHeaders | undefined;
  /**
   * Who shares the token session (`share` attribute): `page` (default), the elements of this page
   * with the same inputs; or `tabs`, every tab of this origin with the same identity URL, vendor,
   * dashboard and context too, so they make one identity request per refresh between them (one tab
   * refreshes and hands the tokens to the others; nothing is stored). Use `tabs` only when every tab
   * of the origin is the same user, or put the user in `context`.
   */
  declare share: 'page' | 'tabs' | undefined;
  /** Token session tunables (refreshRatio, marginMs, timeoutMs, clock, debug, …); shared sessions keep the first element's. */
  declare sessionOptions: SessionSettings | undefined;
  /**
   * Logs this element's token life cycle to the console (`debug` attribute): identity requests,
   * tokens received with their expiry and the refresh scheduled, errors, expiry, unmount. Never the tokens.
   */
  declare debug: boolean;

  #state: EmbedState = 'idle';
  #error: EmbedError | undefined = undefined;
  #shown: { state: EmbedState; message: string } | null = null;
  #overlay: HTMLElement | null = null;
  // The light-DOM box for the vendor's embed: state changes never touch what the adapter put in it.
  readonly #container: HTMLElement = createContainer();
  readonly #frame: HTMLElement = createFrame();
  // A constructed sheet, not a <style> element: a strict style-src CSP allows it.
  readonly #heightSheet = new CSSStyleSheet();
  readonly #controller = new EmbedController(this, {
    inputs: EmbedDashboard.inputs,
    container: this.#container,
    setState: (state, error) => {
      this.#state = state;
      this.#error = error;
      this.requestUpdate();
    },
    setContentHeight: (heightPx) => {
      const height = followedHeight(heightPx);
      if (height !== undefined) this.#heightSheet.replaceSync(contentHeightRule(height));
    },
  });

  constructor() {
    super();
    this.debug = false;
  }

  /** Current state: `idle`, `loading`, `ready`, `error` or `expired` (also the `state` attribute). Read-only. */
  get state(): EmbedState {
    return this.#state;
  }

  /** The `EmbedError` behind the `error` / `expired` state, if any. Read-only. */
  get error(): EmbedError | undefined {
    return this.#error;
  }

  /** The mounted vendor embed (e.g. Looker's `run()` and `updateFilters()`), when ready. */
  get vendorEmbed(): VendorEmbed | null {
    return this.#controller.vendorEmbed;
  }

  /**
   * Fetches new tokens now, also after a 401/403 stopped automatic refreshing. Rejects with an
   * `EmbedError`: the request's own, the inputs' `invalid-attribute` error, or `disposed` when the
   * element is not connected.
   */
  async refresh(): Promise<void> {
    const session = this.#controller.session;
    if (!session) {
      throw (
        this.#controller.configError ??
        new EmbedError(
          'disposed',
          'embed-dashboard: refresh() needs a connected element with its inputs applied; add it to the document first (and await element.updateComplete).',
        )
      );
    }
    await session.refresh();
  }

  /** `Element.moveBefore()` keeps the element, its embed and its iframes alive: nothing to do. */
  connectedMoveCallback(): void {}

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot() as ShadowRoot;
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.#heightSheet];
    root.append(this.#frame);
    return root;
  }

  // Inputs are applied (by the controller, before the DOM update) only when one was set.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (EmbedDashboard.inputs.some((name) => changed.has(name as keyof EmbedDashboard)))
      this.#controller.inputsChanged();
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    const state = this.#state;
    const message = this.#error?.message ?? 'The dashboard could not be loaded.';
    if (this.#shown?.state === state && this.#shown.message === message) return;
    this.#shown = { state, message };
    this.setAttribute('state', state);
    if (state === 'loading') this.setAttribute('aria-busy', 'true');
    else this.removeAttribute('aria-busy');
    this.#frame.classList.toggle('off', state === 'error' || state === 'expired');
    this.#overlay?.remove();
    this.#overlay = statusOverlay(state, message);
    if (this.#overlay) this.renderRoot.append(this.#overlay);
  }
}

/** The light-DOM child the adapter renders into, shown through the shadow root's `embed` slot. */
function createContainer(): HTMLElement {
  const container = document.createElement('div');
  container.slot = 'embed';
  return container;
}

function createFrame(): HTMLElement {
  const frame = document.createElement('div');
  frame.className = 'embed';
  frame.setAttribute('part', 'embed');
  frame.append(Object.assign(document.createElement('slot'), { name: 'embed' }));
  return frame;
}
