import { ReactiveElement, type PropertyValues } from '@lit/reactive-element';
import { EmbedError, isEmbedError } from '../errors.js';
import { stableKey } from '../token/registry.js';
import type { VendorEmbed } from '../vendors/contract.js';
import { parseConfig, type FetchTokens, type IdentityHeaders, type SessionSettings } from './config.js';
import { EmbedController, type EmbedState } from './embed-controller.js';
import { embedEvent, errorDetail } from './events.js';
import { statusOverlay } from './overlay.js';
import { styles } from './styles.js';

// Inputs whose change re-mounts the embed.
const INPUTS = [
  'vendor',
  'identityUrl',
  'dashboardId',
  'vendorOptions',
  'credentials',
  'fetchTokens',
  'context',
  'options',
  'headers',
  'sessionOptions',
];

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
 * @attr {string} state - Read-only, reflected: `idle`, `loading`, `ready`, `error` or `expired`.
 *
 * @fires {CustomEvent<EmbedTokenDetail>} embed-token - New tokens reached the embed; carries their expiry, never the tokens.
 * @fires {CustomEvent<EmbedReadyDetail>} embed-ready - The vendor embed is mounted with valid tokens.
 * @fires {CustomEvent<EmbedErrorDetail>} embed-error - Something failed: `code`, `message`, `retriable`, `attempt`, `nextRetryAt`.
 * @fires {CustomEvent<EmbedExpiredDetail>} embed-expired - Tokens expired before new ones came; the embed is hidden until they do.
 *
 * @slot loading - Shown while loading (default: a polite `role="status"` message).
 * @slot error - Shown on error or expiry (default: a `role="alert"` message saying what went wrong).
 *
 * @csspart embed - The box the vendor's embed renders into.
 * @csspart status - The overlay holding the loading or error content.
 * @csspart loading - The default loading message.
 * @csspart error - The default error message.
 *
 * @cssprop --embed-dashboard-height - Height of the element (default 600px).
 * @cssprop --embed-dashboard-min-height - Minimum height (default 200px).
 * @cssprop --embed-dashboard-overlay-background - Background of the loading/error overlay.
 * @cssprop --embed-dashboard-overlay-color - Text colour of the overlay.
 * @cssprop --embed-dashboard-error-color - Colour of the default error message.
 * @cssprop --embed-dashboard-font - Font of the overlay.
 */
// Lit's ReactiveElement (attributes, properties, batched updates, adopted styles) without lit-html:
// the element's own DOM is one box for the vendor embed and one status overlay.
export class EmbedDashboard extends ReactiveElement {
  static override styles = styles;

  static override properties = {
    vendor: { type: String },
    identityUrl: { type: String, attribute: 'identity-url' },
    dashboardId: { type: String, attribute: 'dashboard-id' },
    vendorOptions: { type: String, attribute: 'vendor-options' },
    credentials: { type: String },
    state: { type: String, reflect: true },
    fetchTokens: { attribute: false },
    // Frameworks pass a new but equal object on every render: only a different value re-mounts.
    context: { attribute: false, hasChanged: valueChanged },
    options: { attribute: false, hasChanged: valueChanged },
    headers: { attribute: false },
    sessionOptions: { attribute: false },
    error: { attribute: false },
  };

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
  /** Current state, reflected to the `state` attribute. Read-only. */
  declare state: EmbedState;
  /** Your own token source instead of `identity-url`: resolves to `{tokens, expiresIn?, expiresAt?}`. */
  declare fetchTokens: FetchTokens | undefined;
  /** Non-secret hints sent to your endpoint as `context` (your server decides what to honour). */
  declare context: Record<string, unknown> | undefined;
  /** Vendor options as an object; merged over `vendor-options`, key by key. */
  declare options: Record<string, unknown> | undefined;
  /** Extra identity request headers (a CSRF token), or a function returning them. */
  declare headers: IdentityHeaders | undefined;
  /** Token session tunables (refreshRatio, marginMs, timeoutMs, clock, …); shared sessions keep the first element's. */
  declare sessionOptions: SessionSettings | undefined;
  /** The error behind the `error` / `expired` state, if any. Read-only. */
  declare error: EmbedError | undefined;

  #controller: EmbedController | null = null;
  #needsMount = true;
  // One stable box for the vendor's embed: state changes never touch what the adapter put inside it.
  readonly #container: HTMLElement = createContainer();
  #overlay: HTMLElement | null = null;

  constructor() {
    super();
    this.state = 'idle';
  }

  /** The mounted vendor embed (e.g. Looker's `run()` and `updateFilters()`), when ready. */
  get vendorEmbed(): VendorEmbed | null {
    return this.#controller?.vendorEmbed ?? null;
  }

  /** Fetches new tokens now, also after a 401/403 stopped automatic refreshing. */
  async refresh(): Promise<void> {
    if (!this.#controller?.session)
      throw new Error('embed-dashboard: nothing to refresh; the element is not connected or its inputs are invalid.');
    await this.#controller.session.refresh();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#needsMount = true;
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#teardown();
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    root.append(this.#container);
    return root;
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    if (changed.has('state') || changed.has('error')) {
      this.#overlay?.remove();
      this.#overlay = statusOverlay(this.state, this.error?.message ?? 'The dashboard could not be loaded.');
      if (this.#overlay) this.renderRoot.append(this.#overlay);
    }
  }

  // Inputs are applied before the DOM update, so the state they lead to shows in the same update.
  protected override willUpdate(changed: PropertyValues<this>): void {
    const inputsChanged = INPUTS.some((name) => changed.has(name as keyof EmbedDashboard));
    if (this.isConnected && (this.#needsMount || inputsChanged)) {
      this.#needsMount = false;
      this.#remount();
    }
  }

  protected override updated(): void {
    if (this.state === 'loading') this.setAttribute('aria-busy', 'true');
    else this.removeAttribute('aria-busy');
  }

  #remount(): void {
    this.#teardown();
    const container = this.#container;
    container.replaceChildren();
    let config;
    try {
      rejectObjectAttributes(this);
      config = parseConfig(this);
    } catch (error) {
      if (!isEmbedError(error)) throw error;
      this.#setState('error', error);
      this.dispatchEvent(embedEvent('embed-error', errorDetail(error)));
      return;
    }
    this.#controller = new EmbedController(
      { element: this, container, setState: (state, error) => this.#setState(state, error) },
      config,
      this.sessionOptions ?? {},
    );
    this.#controller.start();
  }

  #teardown(): void {
    this.#controller?.stop();
    this.#controller = null;
  }

  #setState(state: EmbedState, error?: EmbedError): void {
    this.state = state;
    this.error = error;
  }
}

function valueChanged(next: unknown, previous: unknown): boolean {
  return stableKey(next) !== stableKey(previous);
}

/**
 * `context="[object Object]"`: a framework set an object as an attribute because the element was
 * not registered yet when it rendered. Say so instead of silently sending no context.
 */
function rejectObjectAttributes(element: HTMLElement): void {
  for (const name of ['context', 'options']) {
    if (element.hasAttribute(name)) {
      throw new EmbedError(
        'invalid-attribute',
        `"${name}" is a property, not an attribute: set element.${name} = {...}. Frameworks set it as a property once embed-dashboard/define is imported before they render.`,
        { attribute: name },
      );
    }
  }
}

function createContainer(): HTMLElement {
  const container = document.createElement('div');
  container.className = 'embed';
  container.setAttribute('part', 'embed');
  return container;
}
