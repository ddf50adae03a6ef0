import { EmbedError, isEmbedError } from '../errors.js';
import { requestIdentity, sessionFetcher, type IdentityCall, type IdentityRequest } from '../identity/client.js';
import { validateIdentityBody } from '../identity/validate.js';
import { acquireSession, stableKey, type SessionLease } from '../token/registry.js';
import type { SessionEvent, TokenSession } from '../token/session.js';
import type { VendorEmbed, VendorMountContext } from '../vendors/contract.js';
import { loadVendor } from '../vendors/registry.js';
import type { EmbedConfig, SessionSettings } from './config.js';
import {
  embedEvent,
  errorDetail,
  type EmbedExpiredDetail,
  type EmbedReadyDetail,
  type EmbedTokenDetail,
} from './events.js';

/** The element's visible state, reflected as its `state` attribute. */
export type EmbedState = 'idle' | 'loading' | 'ready' | 'error' | 'expired';

/** What the controller needs from its element. */
export interface ControllerHost {
  element: HTMLElement;
  container: HTMLElement;
  setState(state: EmbedState, error?: EmbedError): void;
}

const fetcherIds = new WeakMap<object, number>();
let nextFetcherId = 1;

/** One key per identity source + vendor + dashboard + context: equal keys share one session. */
export function sessionKey(config: EmbedConfig): string {
  let source: string | number | null = config.identityUrl;
  if (config.fetchTokens) {
    if (!fetcherIds.has(config.fetchTokens)) fetcherIds.set(config.fetchTokens, nextFetcherId++);
    source = fetcherIds.get(config.fetchTokens)!;
  }
  return stableKey([source, config.credentials, config.vendor, config.dashboardId, config.context]);
}

/** Turns the element's config into one identity call (`action` for one-off vendor operations). */
function identityCall(config: EmbedConfig, now: () => number): IdentityCall {
  const custom = config.fetchTokens;
  if (custom) {
    return async (request, signal) => {
      const body = await custom({ ...request, signal });
      return { ...validateIdentityBody({ vendor: request.vendor, ...body }, request.vendor), receivedAt: now() };
    };
  }
  const client = { url: config.identityUrl!, credentials: config.credentials, headers: config.headers, now };
  return (request, signal) => requestIdentity(client, request, signal);
}

/**
 * Drives one mounted embed: holds a lease on the shared token session, loads and mounts the vendor
 * adapter, hands it new tokens, and turns session events into element states and DOM events.
 */
export class EmbedController {
  readonly #abort = new AbortController();
  #lease: SessionLease | null = null;
  #unsubscribe: () => void = () => {};
  #embed: VendorEmbed | null = null;
  #mounting = false;
  #reported: unknown = null;
  readonly #call: IdentityCall;
  readonly #request: IdentityRequest;

  readonly #host: ControllerHost;
  readonly #config: EmbedConfig;
  readonly #settings: SessionSettings;

  constructor(host: ControllerHost, config: EmbedConfig, settings: SessionSettings = {}) {
    this.#host = host;
    this.#config = config;
    this.#settings = settings;
    const clock = settings.clock;
    this.#call = identityCall(config, clock ? () => clock.now() : Date.now);
    this.#request = { vendor: config.vendor, dashboardId: config.dashboardId, context: config.context };
  }

  /** The session this embed shares (for `refresh()`), once started. */
  get session(): TokenSession | null {
    return this.#lease?.session ?? null;
  }

  /** The mounted vendor embed (e.g. Looker's `run()`), once ready. */
  get vendorEmbed(): VendorEmbed | null {
    return this.#embed;
  }

  /** Joins the shared session and mounts the vendor's embed as soon as tokens and adapter are in. */
  start(): void {
    const fetchTokens = sessionFetcher(this.#call, this.#request);
    this.#lease = acquireSession(sessionKey(this.#config), () => ({ ...this.#settings, fetchTokens }));
    this.#unsubscribe = this.#lease.session.subscribe((event) => this.#onSessionEvent(event));
    this.#host.setState('loading');
    void this.#mount();
  }

  /** Releases everything this embed holds; the session goes when its last embed does. */
  stop(): void {
    this.#abort.abort();
    this.#unsubscribe();
    this.#embed?.destroy();
    this.#embed = null;
    this.#lease?.release();
    this.#lease = null;
  }

  async #mount(): Promise<void> {
    const session = this.#lease!.session;
    const { signal } = this.#abort;
    this.#mounting = true;
    try {
      const [grant, adapter] = await Promise.all([session.get(), loadVendor(this.#config.vendor)]);
      if (signal.aborted) return;
      const context: VendorMountContext = {
        grant,
        getTokens: (options) => session.get(options),
        refreshTokens: () => session.refresh(),
        requestIdentity: (action) => session.request(action, { signal }),
        reportHeight: () => {},
        options: this.#config.options,
        dashboardId: this.#config.dashboardId,
        signal,
        host: this.#host.element,
        reportError: (error) =>
          this.#fail(
            isEmbedError(error)
              ? error
              : new EmbedError('vendor', `The ${this.#config.vendor} embed reported an error: ${error.message}`, {
                  cause: error,
                }),
          ),
      };
      const embed = await adapter.mount(this.#host.container, context);
      if (signal.aborted) {
        embed.destroy();
        return;
      }
      this.#embed = embed;
      // Tokens may have turned over while the adapter loaded.
      const latest = session.current;
      if (latest && latest.tokens !== grant.tokens) embed.update(latest);
      this.#host.setState('ready');
      this.#dispatch<EmbedReadyDetail>('embed-ready', { vendor: this.#config.vendor });
    } catch (error) {
      if (signal.aborted) return;
      this.#fail(
        isEmbedError(error)
          ? error
          : new EmbedError(
              'vendor',
              `The ${this.#config.vendor} embed failed to mount: ${(error as Error)?.message ?? error}`,
              { cause: error },
            ),
      );
    } finally {
      this.#mounting = false;
    }
  }

  #onSessionEvent(event: SessionEvent): void {
    if (this.#abort.signal.aborted) return;
    if (event.type === 'tokens') {
      this.#dispatch<EmbedTokenDetail>('embed-token', {
        expiresAt: event.expiresAt,
        lifetimeMs: event.lifetimeMs,
        source: event.source,
      });
      if (this.#embed) {
        this.#embed.update({ tokens: event.tokens, expiresAt: event.expiresAt });
        this.#host.setState('ready');
      } else if (!this.#mounting) {
        // The first fetch failed and a retry has now succeeded: mount at last.
        this.#host.setState('loading');
        void this.#mount();
      }
    } else if (event.type === 'error') {
      this.#reported = event.error;
      this.#dispatch('embed-error', errorDetail(event.error, event.attempt, event.nextRetryAt));
      // A failed refresh while the tokens are still valid leaves the dashboard up.
      if (!this.#lease?.session.current) this.#host.setState('error', event.error);
    } else {
      this.#host.setState(
        'expired',
        new EmbedError(
          'expired-token',
          "The dashboard's access expired and could not be renewed yet; it is hidden until new tokens arrive.",
          { retriable: true },
        ),
      );
      this.#dispatch<EmbedExpiredDetail>('embed-expired', { expiredAt: event.expiredAt });
    }
  }

  #fail(error: EmbedError): void {
    this.#host.setState('error', error);
    // Session errors were already announced by the session's own error event.
    if (this.#reported !== error) this.#dispatch('embed-error', errorDetail(error));
  }

  #dispatch<T>(type: string, detail: T): void {
    this.#host.element.dispatchEvent(embedEvent(type, detail));
  }
}
