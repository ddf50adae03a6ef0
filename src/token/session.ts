import type { DebugEntry } from '../debug/lines.js';
import { isEmbedError, type EmbedError } from '../errors.js';
import { callIdentity, type Answer } from './call.js';
import type { Expiry } from './expiry.js';
import {
  isStale,
  needsRefresh,
  nextRefreshDelay,
  retryDelay,
  scheduleWithDefaults,
  type ScheduleOptions,
} from './schedule.js';
import { advance, anchorAt, readClocks, wallTime, type TimeBase } from './time.js';
import { MAX_TIMER_DELAY, systemClock, type Clock } from '../timers.js';
import type { FetchReason, TokenGrant, TokenSet } from './types.js';
import { defaultWakeTargets, listenForWakeUps } from './wake.js';
import {
  disposedError,
  staleError,
  type SessionEvent,
  type SessionListener,
  type Settings,
  type TokenSessionOptions,
} from './session-types.js';

export type { SessionEvent, SessionListener, TokenSessionOptions } from './session-types.js';

const noop = (): void => {};

/** The longest single wait of the session's timer while anything is due (ms). */
const WATCH_MS = 30_000;
/** How far off what is due may be for the session to wait longer than {@link WATCH_MS} (ms). */
const WATCH_HORIZON_MS = 6 * 3_600_000;

/**
 * Keeps one vendor token set fresh: fetches it, works out when it expires, refreshes it before it
 * does, retries failures with backoff, and re-plans whenever the page wakes up. Expiry and
 * schedules live on the server's time, estimated from the monotonic clock and anchored on each
 * answer (see time.ts), so clock jumps and sleeps never stretch a token's life. One timer, one
 * request in flight for every caller. Framework-free; the element and apps both use it.
 */
export class TokenSession {
  readonly #options: Settings;
  readonly #clock: Clock;
  readonly #listeners = new Set<SessionListener>();
  /** Aborted at dispose: the requests in flight and the wake-up listeners go with it. */
  readonly #life = new AbortController();
  #base: TimeBase;
  #current: { tokens: TokenSet; expiry: Expiry } | null = null;
  /** Server time of the next fetch (refresh, retry or backoff), or `null`. */
  #due: number | null = null;
  #timer: unknown;
  #expiredSent = false;
  #inflight: Promise<void> | null = null;
  #failures = 0;
  #staleCount = 0;
  #minValidityMs = 0;
  #halted: EmbedError | null = null;

  constructor(options: TokenSessionOptions) {
    const settings = (this.#options = {
      timeoutMs: 15_000,
      defaultLifetimeMs: 300_000,
      random: Math.random,
      clock: systemClock,
      wakeTargets: defaultWakeTargets(),
      // Options left undefined keep these defaults too (`wakeTargets: null` listens nowhere).
      ...scheduleWithDefaults(options),
    } as Settings);
    const clock = (this.#clock = settings.clock);
    // Until a server answers, the client's clock stands in for the server's.
    this.#base = anchorAt(undefined, readClocks(clock));
    if (settings.wakeTargets) listenForWakeUps(settings.wakeTargets, this.#life.signal, (type) => this.#onWake(type));
  }

  /** The current tokens and their expiry when they are surely not expired, else `null`. */
  get current(): TokenGrant | null {
    const current = this.#current;
    const now = this.#now();
    return current && !this.#isExpired(current.expiry, now)
      ? { tokens: current.tokens, expiresAt: this.#wall(current.expiry.expiresAt) }
      : null;
  }

  /**
   * Resolves to tokens that are not expired: the current ones, or a fetch (shared with all callers).
   * With `minValidityMs`, tokens that would expire sooner are refreshed first (tokens that cannot live
   * that long are taken in the first half of their life), and the schedule refreshes early enough
   * for the largest value asked so far. Inside the refresh window, while a refresh is under way, it
   * waits for the newer set, falling back to the current set if that refresh fails.
   */
  async get({ minValidityMs = 0 }: { minValidityMs?: number } = {}): Promise<TokenGrant> {
    this.#check();
    if (minValidityMs > this.#minValidityMs) {
      this.#minValidityMs = minValidityMs;
      if (!this.#failures && !this.#staleCount && !this.#halted && !this.#inflight) this.#reschedule();
    }
    // A wall clock that moved since the last look may have made the tokens due (or expired).
    this.#plan();
    const held = this.#current;
    const now = this.#now();
    if (!held || this.#isExpired(held.expiry, now)) {
      if (this.#halted) throw this.#halted;
      await this.#load().catch((error: unknown) => {
        // An error answer's Date may have shown the held set valid after all.
        if (!this.current) throw error;
      });
      return this.#grant();
    }
    const { expiresAt, lifetimeMs } = held.expiry;
    const short =
      expiresAt !== null && expiresAt - now < (lifetimeMs! < minValidityMs ? lifetimeMs! / 2 : minValidityMs);
    if ((short && !this.#halted) || (this.#inflight && needsRefresh(now, held.expiry, this.#scheduleOptions()))) {
      // A failure was reported; the held set may still do.
      await this.#load().catch(noop);
    }
    return this.#grant();
  }

  /** Fetches new tokens now (joining a fetch already under way) and resumes after a halt. */
  async refresh(): Promise<TokenGrant> {
    this.#check();
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
    this.#check();
    const { tokens, base, expiry } = await this.#call('refresh', action, signal);
    const now = advance(base, readClocks(this.#clock));
    if (isStale(now.server, expiry, this.#options)) throw staleError(expiry.expiresAt! - now.server);
    return { tokens, expiresAt: wallTime(now, expiry.expiresAt) };
  }

  /** Calls `listener` with every later event; returns the function that unsubscribes it. */
  subscribe(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops everything: the timer, the requests in flight, wake-up listeners, subscribers. */
  dispose(): void {
    if (this.isDisposed) return;
    this.#debug({ type: 'disposed' });
    this.#clock.clearTimeout(this.#timer);
    this.#life.abort(disposedError());
    this.#listeners.clear();
  }

  get isDisposed(): boolean {
    return this.#life.signal.aborted;
  }

  #check(): void {
    if (this.isDisposed) throw disposedError();
  }

  /** Reads the clocks and returns the server-time estimate (an upper bound). */
  #now(): number {
    this.#base = advance(this.#base, readClocks(this.#clock));
    return this.#base.server;
  }

  #isExpired(expiry: Expiry, now: number): boolean {
    return expiry.expiresAt !== null && now >= expiry.expiresAt;
  }

  #grant(): TokenGrant {
    const grant = this.current;
    if (grant) return grant;
    throw this.#halted ?? staleError(0);
  }

  /** The schedule's options, with the margin raised to the largest `minValidityMs` asked for. */
  #scheduleOptions(): ScheduleOptions {
    return { ...this.#options, marginMs: Math.max(this.#options.marginMs, this.#minValidityMs) };
  }

  #reschedule(expiry = this.#current?.expiry): void {
    if (!expiry) return;
    const now = this.#now();
    const delay = nextRefreshDelay(now, expiry, this.#staleCount, this.#scheduleOptions());
    this.#due = delay === null ? null : now + delay;
  }

  /**
   * Acts on what is due — the expired event, a fetch — and arms the one timer for the next thing.
   * Runs on every timer, wake-up and get(): a late timer or a clock jump is re-planned at once.
   */
  #plan(): void {
    if (this.isDisposed) return;
    const now = this.#now();
    const expiresAt = this.#current?.expiry.expiresAt ?? null;
    if (expiresAt !== null && now >= expiresAt && !this.#expiredSent) {
      this.#expiredSent = true;
      this.#emit({ type: 'expired', expiredAt: this.#wall(expiresAt)! });
    }
    if (this.#due !== null && now >= this.#due) void this.#load().catch(noop);
    const left = Math.min(this.#due ?? Infinity, this.#expiredSent || expiresAt === null ? Infinity : expiresAt) - now;
    // Never wait long in one go: a timer that fires is how a sleep that stopped the monotonic clock,
    // or a wall clock stepped ahead, shows when the page gets no wake-up event. Within WATCH_HORIZON_MS
    // of what is due, never more than WATCH_MS, however long the tokens live (30-minute tokens once
    // waited 3 minutes and were shown after they had expired); further off, an eighth of the wait.
    // Whole milliseconds, rounded up: a timer never fires early.
    const watch = left > WATCH_HORIZON_MS ? left / 8 : WATCH_MS;
    const wait = Math.ceil(Math.min(left, MAX_TIMER_DELAY, watch));
    this.#clock.clearTimeout(this.#timer);
    this.#timer = left < Infinity ? this.#clock.setTimeout(() => this.#plan(), wait) : undefined;
  }

  /** Tells the `debug` option's log of a step, if there is one. */
  #debug(entry: DebugEntry): void {
    this.#options.debug?.(entry, this.#clock.now(), this.#options);
  }

  #emit(event: SessionEvent): void {
    this.#debug(event);
    // A snapshot: a listener that subscribes or unsubscribes others changes who hears the next event.
    for (const listener of [...this.#listeners]) {
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

  #load(): Promise<void> {
    if (!this.#inflight) {
      this.#due = null;
      const attempt = this.#fetchShared().finally(() => {
        this.#inflight = null;
        this.#plan();
      });
      attempt.catch(noop);
      this.#inflight = attempt;
    }
    return this.#inflight;
  }

  async #fetchShared(): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.#call(this.#current ? 'refresh' : 'initial');
    } catch (error) {
      throw this.#fail(error as EmbedError);
    }
    this.#base = answer.base;
    // Tokens that were fine when the server answered but came too late to use (the page slept
    // mid-request) are no fault of the server: ask again at once, for the same callers.
    if (
      isStale(this.#now(), answer.expiry, this.#options) &&
      !isStale(answer.base.server, answer.expiry, this.#options)
    )
      return this.#fetchShared();
    this.#accept(answer);
  }

  /** One identity request with this session's timeout, aborted by `signal` or dispose. */
  async #call(reason: FetchReason, action?: string, signal?: AbortSignal): Promise<Answer> {
    const sent = readClocks(this.#clock);
    const signals = signal ? [this.#life.signal, signal] : [this.#life.signal];
    this.#emit({ type: 'request', reason, action });
    try {
      return await callIdentity(this.#options, sent, { reason, action }, signals);
    } catch (error) {
      // An error answer's Date still tells the server's time: it may show the tokens are still valid.
      if (isEmbedError(error) && error.serverDate !== undefined && !action)
        this.#base = anchorAt(error.serverDate, sent);
      throw error;
    }
  }

  #accept({ tokens, expiry }: Answer): void {
    this.#check();
    const now = this.#now();
    this.#failures = 0;
    const stale = isStale(now, expiry, this.#options);
    this.#staleCount = stale ? this.#staleCount + 1 : 0;
    const usable = !this.#isExpired(expiry, now);
    if (usable) {
      this.#current = { tokens, expiry };
      this.#announce();
    }
    this.#reschedule(expiry);
    if (stale) {
      const error = staleError(expiry.expiresAt! - now);
      this.#emit({ type: 'error', error, attempt: this.#staleCount, nextRetryAt: this.#wall(this.#due) });
      if (!usable) throw error;
    }
  }

  /** Hands the current set to the subscribers (again, when a server answer showed it still valid). */
  #announce(): void {
    const { tokens, expiry } = this.#current!;
    this.#expiredSent = false;
    const { lifetimeMs, source } = expiry;
    this.#emit({ type: 'tokens', tokens, expiresAt: this.#wall(expiry.expiresAt), lifetimeMs, source });
  }

  /** The `Date.now()` time of server time `at` (after a reading of the clocks). */
  #wall(at: number | null): number | null {
    return wallTime(this.#base, at);
  }

  #fail(error: EmbedError): EmbedError {
    if (this.isDisposed || error.code === 'disposed') return error;
    this.#failures += 1;
    // The error answer's Date re-anchored the time: tokens taken for expired may be valid after all.
    if (this.#expiredSent && this.current) this.#announce();
    if (error.retriable) {
      this.#due = this.#now() + retryDelay(this.#failures, this.#options, this.#options.random, error.retryAfterMs);
    } else {
      // A client error (401, 403, …) will not fix itself: wait for refresh() or new inputs.
      this.#halted = error;
    }
    this.#emit({ type: 'error', error, attempt: this.#failures, nextRetryAt: this.#wall(this.#due) });
    return error;
  }

  /** Timers stall in background tabs and sleeping laptops: re-plan whenever the page wakes. */
  #onWake(type: string): void {
    // Back online after failures: retry now rather than at the end of the backoff.
    if (type === 'online' && this.#failures && !this.#halted && !this.#inflight) this.#due = this.#now();
    this.#plan();
  }
}
