import { EmbedError, isEmbedError } from '../errors.js';
import { requestIdentity, sessionFetcher, type IdentityCall } from '../identity/client.js';
import { validateIdentityBody } from '../identity/validate.js';
import { acquireSession, type SessionLease } from '../token/registry.js';
import { retryDelay, scheduleWithDefaults, type ScheduleOptions } from '../token/schedule.js';
import type { SessionEvent, TokenSession } from '../token/session.js';
import { systemClock, type Clock } from '../timers.js';
import type { TokenGrant, VendorEmbed, VendorMountContext } from '../vendors/contract.js';
import { loadVendor } from '../vendors/registry.js';
import { sessionKey, tabShareKey, type EmbedConfig, type SessionSettings } from './config.js';
import { TabSharedSession } from '../token/tab-session.js';
import type { ElementLog } from './debug-log.js';
import { emit, errorDetail } from './events.js';

/** The element's visible state, reflected as its `state` attribute. */
export type EmbedState = 'idle' | 'loading' | 'ready' | 'error' | 'expired';

/** What one mount needs from its element. */
export interface MountHost {
  /** The `<embed-dashboard>` element: events are dispatched on it; adapters get it as `host`. */
  element: HTMLElement;
  /** The light-DOM box the adapter renders into. */
  container: HTMLElement;
  setState(state: EmbedState, error?: EmbedError): void;
  /** A vendor reported its content height (already filtered), or `null` to drop it. */
  setContentHeight(heightPx: number | null): void;
  log: ElementLog;
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

function vendorError(vendor: string, what: string, error: unknown): EmbedError {
  if (isEmbedError(error)) return error;
  return new EmbedError('vendor', `The ${vendor} embed ${what}: ${(error as Error)?.message ?? error}`, {
    cause: error,
  });
}

/**
 * One mounted embed for one set of inputs: holds a lease on the shared token session, loads and
 * mounts the vendor adapter (retrying a retriable failure with backoff), hands it new tokens, and
 * turns session events into element states, DOM events and debug lines. `stop()` releases it all.
 */
export class EmbedMount {
  readonly #abort = new AbortController();
  readonly #host: MountHost;
  readonly #config: EmbedConfig;
  readonly #settings: SessionSettings;
  readonly #clock: Clock;
  readonly #schedule: ScheduleOptions;
  readonly #key: string;
  #lease: SessionLease | null = null;
  #embed: VendorEmbed | null = null;
  #mounting = false;
  #mountFailures = 0;
  #retry: unknown = undefined;
  #reported: unknown = null;
  #cleanups: Array<() => void> = [];

  constructor(host: MountHost, config: EmbedConfig, settings: SessionSettings) {
    this.#host = host;
    this.#config = config;
    this.#settings = settings;
    this.#clock = settings.clock ?? systemClock;
    this.#schedule = scheduleWithDefaults(settings);
    this.#key = sessionKey(config);
  }

  /** The session this embed shares, once started. */
  get session(): TokenSession | null {
    return this.#lease?.session ?? null;
  }

  /** The mounted vendor embed, once ready. */
  get vendorEmbed(): VendorEmbed | null {
    return this.#embed;
  }

  /** Joins the shared session and mounts the vendor's embed as soon as tokens and adapter are in. */
  start(): void {
    const { vendor, dashboardId, context } = this.#config;
    const call = identityCall(this.#config, () => this.#clock.now());
    const fetchTokens = sessionFetcher(call, { vendor, dashboardId, context });
    const share = this.#config.share === 'tabs' ? { key: tabShareKey(this.#config) } : null;
    this.#lease = acquireSession(
      this.#key,
      // `debug` is this element's own switch (its log hears the session's events), not the session's.
      () => ({ ...this.#settings, debug: undefined, fetchTokens }),
      share ? (options) => new TabSharedSession(options, share) : undefined,
    );
    this.#cleanups.push(this.#lease.session.subscribe((event) => this.#onSessionEvent(event)));
    this.#host.log({ type: 'mounting', vendor, dashboardId });
    this.#host.setState('loading');
    void this.#mount();
  }

  /** Releases everything this embed holds; the session goes when its last embed does. */
  stop(): void {
    this.#abort.abort();
    this.#clock.clearTimeout(this.#retry);
    this.#embed?.destroy();
    this.#embed = null;
    this.#host.setContentHeight(null);
    this.#host.log({ type: 'unmounted' });
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#lease?.release();
    this.#lease = null;
  }

  #mountContext(grant: TokenGrant): VendorMountContext {
    const session = this.#lease!.session;
    const { signal } = this.#abort;
    return {
      grant,
      getTokens: (options) => session.get(options),
      refreshTokens: () => session.refresh(),
      requestIdentity: (action) => session.request(action, { signal }),
      reportHeight: (heightPx) => {
        if (!signal.aborted) this.#host.setContentHeight(heightPx);
      },
      options: this.#config.options,
      dashboardId: this.#config.dashboardId,
      signal,
      host: this.#host.element,
      reportError: (error) => this.#fail(vendorError(this.#config.vendor, 'reported an error', error)),
      clock: this.#clock,
    };
  }

  async #mount(): Promise<void> {
    const session = this.#lease!.session;
    const { signal } = this.#abort;
    this.#mounting = true;
    try {
      const [grant, adapter] = await Promise.all([session.get(), loadVendor(this.#config.vendor)]);
      if (signal.aborted) return;
      const embed = await adapter.mount(this.#host.container, this.#mountContext(grant));
      if (signal.aborted) {
        embed.destroy();
        return;
      }
      this.#embed = embed;
      this.#mountFailures = 0;
      // Tokens may have turned over while the adapter loaded.
      const latest = session.current;
      if (latest && latest.tokens !== grant.tokens) embed.update(latest);
      this.#host.log({ type: 'mounted' });
      this.#host.setState('ready');
      emit(this.#host.element, 'embed-ready', { vendor: this.#config.vendor });
    } catch (error) {
      if (signal.aborted) return;
      const failure = vendorError(this.#config.vendor, 'failed to mount', error);
      // A session error is retried by the session itself; its tokens event mounts again.
      if (failure === this.#reported) this.#fail(failure);
      else this.#mountFailed(failure);
    } finally {
      this.#mounting = false;
    }
  }

  /** A failed load or mount: a retriable one (a script's 503) is tried again with backoff, not at the next refresh. */
  #mountFailed(error: EmbedError): void {
    this.#mountFailures += 1;
    let nextRetryAt: number | null = null;
    if (error.retriable) {
      const delay = retryDelay(this.#mountFailures, this.#schedule, this.#settings.random ?? Math.random);
      nextRetryAt = this.#clock.now() + delay;
      this.#retry = this.#clock.setTimeout(() => {
        this.#retry = undefined;
        if (!this.#embed && !this.#mounting) void this.#mount();
      }, delay);
    }
    this.#host.log({ type: 'mount-failed', error, attempt: this.#mountFailures, nextRetryAt });
    this.#host.setState('error', error);
    emit(this.#host.element, 'embed-error', errorDetail(error, this.#mountFailures, nextRetryAt));
  }

  #onSessionEvent(event: SessionEvent): void {
    if (this.#abort.signal.aborted) return;
    // Every element on the session hears its requests, whichever element's inputs made it.
    this.#host.log(event);
    if (event.type === 'request') return;
    const element = this.#host.element;
    if (event.type === 'tokens') {
      emit(element, 'embed-token', { expiresAt: event.expiresAt, lifetimeMs: event.lifetimeMs, source: event.source });
      if (this.#embed) {
        this.#embed.update({ tokens: event.tokens, expiresAt: event.expiresAt });
        this.#host.setState('ready');
      } else if (!this.#mounting) {
        // The first fetch failed and a retry has now succeeded (or a mount retry waits): mount now.
        this.#clock.clearTimeout(this.#retry);
        this.#host.setState('loading');
        void this.#mount();
      }
    } else if (event.type === 'error') {
      this.#reported = event.error;
      emit(element, 'embed-error', errorDetail(event.error, event.attempt, event.nextRetryAt));
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
      emit(element, 'embed-expired', { expiredAt: event.expiredAt });
    }
  }

  #fail(error: EmbedError): void {
    this.#host.log({ type: 'vendor-error', error });
    this.#host.setState('error', error);
    // Session errors were already announced by the session's own error event.
    if (this.#reported !== error) emit(this.#host.element, 'embed-error', errorDetail(error));
  }
}
