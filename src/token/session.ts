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
import type { TokenFetcher, TokenSet } from './types.js';

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
  #controller: AbortController | null = null;
  #failures = 0;
  #staleCount = 0;
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

  /** The current tokens when they are not expired, else `null` (never stale ones). */
  get tokens(): TokenSet | null {
    return this.#current && !this.#isExpired(this.#current.expiry) ? this.#current.tokens : null;
  }

  /** Client-clock expiry of the current tokens (`null` = never, `undefined` = none yet). */
  get expiresAt(): number | null | undefined {
    return this.#current?.expiry.expiresAt;
  }

  /**
   * Resolves to tokens that are not expired: the current ones, or a fetch (shared with all callers).
   * Inside the refresh window, while a refresh is under way, it waits for the newer set (an embed
   * may keep what it gets for minutes), falling back to the current set if that refresh fails.
   */
  async get(): Promise<TokenSet> {
    if (this.#disposed) throw disposedError();
    const fresh = this.tokens;
    if (!fresh) {
      if (this.#halted) throw this.#halted;
      return this.#load();
    }
    const refreshing = this.#inflight;
    if (!refreshing || !needsRefresh(this.#clock.now(), this.#current!.expiry, this.#options)) return fresh;
    try {
      return await refreshing;
    } catch (error) {
      // The refresh failed, but the current set is still valid.
      if (this.tokens) return this.tokens;
      throw error;
    }
  }

  /** Fetches new tokens now (joining a fetch already under way) and resumes after a halt. */
  async refresh(): Promise<TokenSet> {
    if (this.#disposed) throw disposedError();
    this.#halted = null;
    return this.#load();
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
    this.#controller?.abort(disposedError());
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

  async #fetchOnce(reason: 'initial' | 'refresh'): Promise<TokenSet> {
    const controller = new AbortController();
    this.#controller = controller;
    const timeout = this.#clock.setTimeout(() => {
      controller.abort(
        new EmbedError('timeout', `The identity endpoint did not answer in ${this.#options.timeoutMs} ms.`, {
          retriable: true,
        }),
      );
    }, this.#options.timeoutMs);
    try {
      const response = await untilAborted(
        this.#options.fetchTokens({ signal: controller.signal, reason }),
        controller.signal,
      );
      if (this.#disposed) throw disposedError();
      return this.#accept(response.tokens, resolveExpiry(response, this.#options.defaultLifetimeMs));
    } catch (error) {
      // Stale tokens were already reported and rescheduled by accept().
      if (isEmbedError(error) && error.code === 'expired-token') throw error;
      throw this.#fail(
        isEmbedError(error)
          ? error
          : new EmbedError('network', `Fetching tokens failed: ${error}`, { retriable: true, cause: error }),
      );
    } finally {
      this.#clock.clearTimeout(timeout);
      if (this.#controller === controller) this.#controller = null;
    }
  }

  #accept(tokens: TokenSet, expiry: Expiry): TokenSet {
    const now = this.#clock.now();
    this.#failures = 0;
    const stale = isStale(now, expiry, this.#options);
    this.#staleCount = stale ? this.#staleCount + 1 : 0;
    const usable = !this.#isExpired(expiry);
    if (usable) this.#setCurrent(tokens, expiry);
    const delay = nextRefreshDelay(now, expiry, this.#staleCount, this.#options);
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
      const due = this.#current ? needsRefresh(this.#clock.now(), this.#current.expiry, this.#options) : false;
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
