import { EmbedError, isEmbedError } from '../errors.js';
import { resolveExpiry, type Expiry } from './expiry.js';
import {
  DEFAULT_SCHEDULE,
  isStale,
  needsRefresh,
  nextRefreshDelay,
  retryDelay,
  type ScheduleOptions,
} from './schedule.js';
import { LongTimer, systemClock, type Clock } from '../timers.js';
import type { FetchReason, IdentityResponse, TokenFetcher, TokenGrant, TokenSet } from './types.js';

/** Options of a {@link TokenSession}. Durations are in milliseconds. */
export interface TokenSessionOptions extends Partial<ScheduleOptions> {
  /** Fetches a fresh token set (usually the identity endpoint client). */
  fetchTokens: TokenFetcher;
  /** Abort an identity request after this long (default 15 000). */
  timeoutMs?: number;
  /** Lifetime assumed for opaque tokens whose expiry nothing tells (default 300 000). */
  defaultLifetimeMs?: number;
  /** Clock and timers (default: the real ones). */
  clock?: Clock;
  /** Random source for retry jitter (default Math.random). */
  random?: () => number;
  /** Where to listen for wake-ups (visibilitychange, online, focus, pageshow); `null` for nowhere. */
  wakeTargets?: { window?: EventTarget; document?: EventTarget & { visibilityState?: string } } | null;
}

/** An event a session reports to its subscribers. */
export type SessionEvent =
  | { type: 'tokens'; tokens: TokenSet; expiresAt: number | null; lifetimeMs: number | null; source: Expiry['source'] }
  | { type: 'error'; error: EmbedError; attempt: number; nextRetryAt: number | null }
  | { type: 'expired'; expiredAt: number };

export type SessionListener = (event: SessionEvent) => void;

type Settings = ScheduleOptions &
  Required<Pick<TokenSessionOptions, 'fetchTokens' | 'timeoutMs' | 'defaultLifetimeMs' | 'random'>> &
  TokenSessionOptions;

const noop = (): void => {};

/** Rejects with the signal's reason as soon as it aborts, whether or not `promise` honours it. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // The signal belongs to this one request, so its listener goes with it.
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
  ]);
}

/**
 * Keeps one vendor token set fresh: fetches it, works out when it expires, refreshes it before it
 * does, retries failures with backoff, and re-checks when the page wakes up. Every caller during a
 * fetch shares that one request. Framework-free; the element and apps both use it.
 */
export class TokenSession {
  readonly #options: Settings;
  readonly #clock: Clock;
  readonly #refreshTimer: LongTimer;
  readonly #expiryTimer: LongTimer;
  readonly #listeners = new Set<SessionListener>();
  #current: { tokens: TokenSet; expiry: Expiry } | null = null;
  #inflight: Promise<TokenSet> | null = null;
  readonly #requests = new Set<AbortController>();
  #failures = 0;
  #staleCount = 0;
  #minValidityMs = 0;
  #halted: EmbedError | null = null;
  #disposed = false;
  #detachWake: () => void = noop;

  constructor(options: TokenSessionOptions) {
    // Options left undefined must not hide the defaults.
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.#options = {
      ...DEFAULT_SCHEDULE,
      timeoutMs: 15_000,
      defaultLifetimeMs: 300_000,
      random: Math.random,
      ...given,
    } as Settings;
    this.#clock = this.#options.clock ?? systemClock;
    this.#refreshTimer = new LongTimer(this.#clock);
    this.#expiryTimer = new LongTimer(this.#clock);
    this.#attachWake(options.wakeTargets === undefined ? defaultWakeTargets() : options.wakeTargets);
  }

  /** The current tokens and their expiry when they are not expired, else `null` (never stale ones). */
  get current(): TokenGrant | null {
    const current = this.#current;
    return current && !this.#isExpired(current.expiry)
      ? { tokens: current.tokens, expiresAt: current.expiry.expiresAt }
      : null;
  }

  /**
   * Resolves to tokens that are not expired: the current ones, or a fetch (shared with all callers).
   * With `minValidityMs`, tokens that would expire sooner are refreshed first (tokens that cannot live
   * that long are taken once they are in the first half of their life), and the schedule refreshes
   * early enough for the largest value asked so far. Inside the refresh window, while a refresh is
   * under way, it waits for the newer set, falling back to the current set if that refresh fails.
   */
  async get({ minValidityMs = 0 }: { minValidityMs?: number } = {}): Promise<TokenGrant> {
    if (this.#disposed) throw disposedError();
    if (minValidityMs > this.#minValidityMs) {
      this.#minValidityMs = minValidityMs;
      if (this.#current && !this.#inflight && !this.#failures && !this.#halted) this.#schedule(this.#current.expiry);
    }
    const fresh = this.current;
    if (!fresh) {
      if (this.#halted) throw this.#halted;
      await this.#load();
      return this.#grant();
    }
    const { expiry } = this.#current!;
    const now = this.#clock.now();
    const lifetime = expiry.lifetimeMs!;
    const short = expiry.expiresAt! - now < (lifetime < minValidityMs ? lifetime / 2 : minValidityMs);
    const due = this.#inflight && needsRefresh(now, expiry, this.#scheduleOptions());
    if (!short && !due) return fresh;
    try {
      await this.#load();
    } catch (error) {
      // The refresh failed, but the current set may still be valid.
      if (!this.current) throw error;
    }
    return this.#grant();
  }

  /** Fetches new tokens now (joining a fetch already under way) and resumes after a halt. */
  async refresh(): Promise<TokenGrant> {
    if (this.#disposed) throw disposedError();
    this.#halted = null;
    await this.#load();
    return this.#grant();
  }

  /**
   * A one-off identity request with `action` (e.g. Looker's `acquire`), through this session's
   * fetcher, timeout, validation and typed errors; aborted by `signal` or dispose. Its answer does
   * not replace the shared set.
   */
  async request(action: string, { signal }: { signal?: AbortSignal } = {}): Promise<TokenGrant> {
    if (this.#disposed) throw disposedError();
    const response = await this.#call('refresh', action, signal);
    const expiry = resolveExpiry(response, this.#options.defaultLifetimeMs);
    return { tokens: response.tokens, expiresAt: expiry.expiresAt };
  }

  /** Calls `listener` with every later event; returns the function that unsubscribes it. */
  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops everything: timers, the request in flight, wake-up listeners, subscribers. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#refreshTimer.cancel();
    this.#expiryTimer.cancel();
    for (const request of this.#requests) request.abort(disposedError());
    this.#detachWake();
    this.#listeners.clear();
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  #isExpired(expiry: Expiry): boolean {
    return expiry.expiresAt !== null && this.#clock.now() >= expiry.expiresAt;
  }

  #emit(event: SessionEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken subscriber must not stop the others or the refresh loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** The next fetch, `delayMs` from now (a refresh, a retry or a backoff): one timer for all. */
  #loadIn(delayMs: number): void {
    this.#refreshTimer.start(delayMs, () => void this.#load().catch(noop));
  }

  #grant(): TokenGrant {
    const current = this.current;
    if (!current) throw disposedError();
    return current;
  }

  /** The schedule's options, with the margin raised to the largest `minValidityMs` asked for. */
  #scheduleOptions(): ScheduleOptions {
    return { ...this.#options, marginMs: Math.max(this.#options.marginMs, this.#minValidityMs) };
  }

  #schedule(expiry: Expiry): void {
    const delay = nextRefreshDelay(this.#clock.now(), expiry, this.#staleCount, this.#scheduleOptions());
    if (delay === null) this.#refreshTimer.cancel();
    else this.#loadIn(delay);
  }

  #load(): Promise<TokenSet> {
    if (this.#inflight) return this.#inflight;
    this.#refreshTimer.cancel();
    const reason = this.#current ? 'refresh' : 'initial';
    const attempt = this.#fetchOnce(reason);
    this.#inflight = attempt;
    const clear = (): void => {
      if (this.#inflight === attempt) this.#inflight = null;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  /** One identity request with this session's timeout, aborted by `signal` or dispose; errors typed. */
  async #call(reason: FetchReason, action?: string, signal?: AbortSignal): Promise<IdentityResponse> {
    const controller = new AbortController();
    const abort = (): void => controller.abort(signal!.reason);
    signal?.addEventListener('abort', abort);
    this.#requests.add(controller);
    const timeout = this.#clock.setTimeout(() => {
      controller.abort(
        new EmbedError('timeout', `The identity endpoint did not answer in ${this.#options.timeoutMs} ms.`, {
          retriable: true,
        }),
      );
    }, this.#options.timeoutMs);
    try {
      if (signal?.aborted) abort();
      const response = await untilAborted(
        this.#options.fetchTokens({ signal: controller.signal, reason, action }),
        controller.signal,
      );
      if (this.#disposed) throw disposedError();
      return response;
    } catch (error) {
      // An abort by the caller's signal rejects with its own reason.
      throw isEmbedError(error) || controller.signal.aborted
        ? error
        : new EmbedError('network', `Fetching tokens failed: ${error}`, { retriable: true, cause: error });
    } finally {
      this.#clock.clearTimeout(timeout);
      signal?.removeEventListener('abort', abort);
      this.#requests.delete(controller);
    }
  }

  async #fetchOnce(reason: FetchReason): Promise<TokenSet> {
    let response: IdentityResponse;
    try {
      response = await this.#call(reason);
      return this.#accept(response.tokens, resolveExpiry(response, this.#options.defaultLifetimeMs));
    } catch (error) {
      // Stale tokens were already reported and rescheduled by accept().
      if (isEmbedError(error) && error.code === 'expired-token') throw error;
      throw this.#fail(error as EmbedError);
    }
  }

  #accept(tokens: TokenSet, expiry: Expiry): TokenSet {
    const now = this.#clock.now();
    this.#failures = 0;
    const stale = isStale(now, expiry, this.#options);
    this.#staleCount = stale ? this.#staleCount + 1 : 0;
    const usable = !this.#isExpired(expiry);
    if (usable) this.#setCurrent(tokens, expiry);
    const delay = nextRefreshDelay(now, expiry, this.#staleCount, this.#scheduleOptions());
    if (delay !== null) this.#loadIn(delay);
    if (stale) {
      // isStale() implies an expiry.
      const left = Math.round((expiry.expiresAt! - now) / 1000);
      const error = new EmbedError(
        'expired-token',
        `The identity endpoint returned tokens that ${left > 0 ? `expire in ${left} s` : `expired ${-left} s ago`}: check the server's token lifetime and clock.`,
        { retriable: true },
      );
      this.#emit({ type: 'error', error, attempt: this.#staleCount, nextRetryAt: delay === null ? null : now + delay });
      if (!usable) throw error;
    }
    return tokens;
  }

  #setCurrent(tokens: TokenSet, expiry: Expiry): void {
    this.#current = { tokens, expiry };
    this.#expiryTimer.cancel();
    if (expiry.expiresAt !== null) {
      const expiresAt = expiry.expiresAt;
      this.#expiryTimer.start(expiresAt - this.#clock.now(), () =>
        this.#emit({ type: 'expired', expiredAt: expiresAt }),
      );
    }
    this.#emit({
      type: 'tokens',
      tokens,
      expiresAt: expiry.expiresAt,
      lifetimeMs: expiry.lifetimeMs,
      source: expiry.source,
    });
  }

  #fail(error: EmbedError): EmbedError {
    if (this.#disposed || error.code === 'disposed') return error;
    this.#failures += 1;
    if (!error.retriable) {
      // A client error (401, 403, …) will not fix itself: wait for refresh() or new inputs.
      this.#halted = error;
      this.#refreshTimer.cancel();
      this.#emit({ type: 'error', error, attempt: this.#failures, nextRetryAt: null });
      return error;
    }
    const delay = retryDelay(this.#failures, this.#options, this.#options.random, error.retryAfterMs);
    this.#loadIn(delay);
    this.#emit({ type: 'error', error, attempt: this.#failures, nextRetryAt: this.#clock.now() + delay });
    return error;
  }

  /** Timers stall in background tabs and sleeping laptops: re-check whenever the page wakes. */
  #attachWake(targets: TokenSessionOptions['wakeTargets']): void {
    if (!targets) return;
    const { window: win, document: doc } = targets;
    const onWake = (event: Event): void => {
      if (this.#disposed || this.#halted || this.#inflight) return;
      if (event.type === 'visibilitychange' && doc?.visibilityState === 'hidden') return;
      const due = this.#current
        ? needsRefresh(this.#clock.now(), this.#current.expiry, this.#scheduleOptions())
        : false;
      const retryNow = this.#failures > 0 && event.type === 'online';
      if (due || retryNow) void this.#load().catch(noop);
    };
    // One signal removes every listener at dispose.
    const listening = new AbortController();
    const signal = listening.signal;
    doc?.addEventListener('visibilitychange', onWake, { signal });
    for (const type of ['online', 'focus', 'pageshow']) win?.addEventListener(type, onWake, { signal });
    this.#detachWake = () => listening.abort();
  }
}

function disposedError(): EmbedError {
  return new EmbedError('disposed', 'The token session was disposed.');
}

/** The page's window and document; none on a server. */
function defaultWakeTargets(): TokenSessionOptions['wakeTargets'] {
  return globalThis.document ? { window: globalThis, document } : null;
}
