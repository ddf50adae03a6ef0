import {
  DEFAULT_CHANNEL,
  PROTOCOL_VERSION,
  elapsed,
  isFreshEnough,
  lockNames,
  parseMessage,
  plainResponse,
  restamp,
  type Reading,
  type TabMessage,
  type WireAnswer,
} from './tab-share-protocol.js';
import type { FetchRequest, IdentityResponse, TokenFetcher } from './types.js';

/** The clocks and timers tab sharing runs on (a session's clock fits); tests inject fake ones. */
export interface TabShareClock {
  /** The wall clock (`Date.now()`). */
  now(): number;
  /** A monotonic clock (`performance.now()`); the wall clock stands in when absent. */
  monotonic?(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of {@link shareAcrossTabs}. Durations are in milliseconds. */
export interface TabShareOptions {
  /** What the tokens are for (identity source, vendor, dashboard, context): only equal keys share. */
  key: string;
  /** The BroadcastChannel to talk on (default `embed-dashboard:tokens`). */
  channelName?: string;
  /** Wait at most this long for the tab that is refreshing, then fetch anyway (default 5 000). */
  lockTimeoutMs?: number;
  /** Wait at most this long for the other tabs to say what they hold (default 250). */
  askTimeoutMs?: number;
  /** Another tab's answer is taken while younger than this part of its lifetime (default 0.5). */
  maxAgeRatio?: number;
  /**
   * An answer's whole lifetime (`null` = never expires) as the session reads it; throws when its
   * tokens are malformed. Given by the session (TabSharedSession passes its own reading), so this
   * lazy chunk shares no module with the page's eager code, which bundlers would split off.
   */
  lifetimeOf: (response: IdentityResponse) => number | null;
  /** Clocks and timers (default: the real ones). */
  clock?: TabShareClock;
  /** Called when another tab brought a fresher answer: load it (e.g. `() => session.refresh()`). */
  onAnswer?: (() => void) | null;
  /** BroadcastChannel constructor (default the global one; `null` = none, fall back to fetching alone). */
  BroadcastChannel?: (new (name: string) => BroadcastChannel) | null;
  /** Web Locks (default `navigator.locks`; `null` = none, fall back to fetching alone). */
  locks?: LockManager | null;
}

/** A {@link TokenFetcher} that shares its answers with the other tabs; `dispose()` when done. */
export interface SharedFetcher extends TokenFetcher {
  /** Whether tabs share at all (false without BroadcastChannel or Web Locks: each tab fetches). */
  readonly sharing: boolean;
  /** Called when another tab brought a fresher answer (see {@link TabShareOptions.onAnswer}). */
  onAnswer: (() => void) | null;
  /** Closes the channel and releases this tab's locks; later fetches go straight to the fetcher. */
  dispose(): void;
}

/** An answer this tab knows, with when it got here on its own clocks. */
interface Known {
  id: string;
  response: IdentityResponse;
  receipt: Reading;
  durationMs: number;
  lifetimeMs: number | null;
}

const noop = (): void => {};
let nextId = 0;
const newId = (): string => `${Math.random().toString(36).slice(2)}-${++nextId}`;

const systemTabClock: TabShareClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Wraps a session's fetcher so that tabs of one origin with the same `key` make one identity
 * request per refresh. When asked for tokens it (1) takes a fresh answer another tab already sent,
 * (2) else takes the key's Web Lock, asks the other tabs what they hold, and only then fetches,
 * sends the answer to the others on a BroadcastChannel and lets the lock go. A tab that closes
 * mid-request loses its lock at once; one that hangs is waited for `lockTimeoutMs` at most. Nothing
 * is stored; one-off requests (an `action`) are never shared.
 */
export function shareAcrossTabs(fetcher: TokenFetcher, options: TabShareOptions): SharedFetcher {
  const share = new TabShare(fetcher, options);
  const shared = ((request: FetchRequest) => share.fetch(request)) as SharedFetcher;
  return Object.defineProperties(shared, {
    sharing: { get: () => share.sharing },
    onAnswer: { get: () => share.onAnswer, set: (value: (() => void) | null) => (share.onAnswer = value) },
    dispose: { value: () => share.dispose() },
  });
}

class TabShare {
  onAnswer: (() => void) | null;
  readonly #fetcher: TokenFetcher;
  readonly #key: string;
  readonly #names: ReturnType<typeof lockNames>;
  readonly #clock: TabShareClock;
  readonly #settings: Required<Pick<TabShareOptions, 'lockTimeoutMs' | 'askTimeoutMs' | 'maxAgeRatio' | 'lifetimeOf'>>;
  readonly #channel: BroadcastChannel | null = null;
  readonly #locks: LockManager | null = null;
  /** Aborted at dispose: releases the holders lock and ends every wait. */
  readonly #life = new AbortController();
  /** Called with every message of our key, after it was learnt from. */
  readonly #listeners = new Set<(message: TabMessage) => void>();
  /** The newest answer this tab knows, its own or another tab's. */
  #latest: Known | null = null;
  /** The answer last handed to this tab's session. */
  #handed: Known | null = null;
  #holding = false;

  constructor(fetcher: TokenFetcher, options: TabShareOptions) {
    this.#fetcher = fetcher;
    this.#key = options.key;
    this.#names = lockNames(options.key);
    this.#clock = options.clock ?? systemTabClock;
    this.onAnswer = options.onAnswer ?? null;
    this.#settings = {
      lockTimeoutMs: options.lockTimeoutMs ?? 5_000,
      askTimeoutMs: options.askTimeoutMs ?? 250,
      maxAgeRatio: options.maxAgeRatio ?? 0.5,
      lifetimeOf: options.lifetimeOf,
    };
    const Channel = options.BroadcastChannel === undefined ? globalThis.BroadcastChannel : options.BroadcastChannel;
    const locks = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
    // Old browsers, insecure origins (no Web Locks): every tab fetches for itself, as without sharing.
    if (!Channel || !locks) return;
    this.#locks = locks;
    this.#channel = new Channel(options.channelName ?? DEFAULT_CHANNEL);
    this.#channel.onmessage = (event: MessageEvent) => this.#receive(event.data);
    // Held (shared) for as long as this tab shares the key: counts the tabs that may answer an ask.
    const { signal } = this.#life;
    locks
      .request(this.#names.holders, { mode: 'shared', signal }, () => {
        this.#holding = true;
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      })
      .catch(noop);
  }

  get sharing(): boolean {
    return this.#channel !== null && !this.#life.signal.aborted;
  }

  async fetch(request: FetchRequest): Promise<IdentityResponse> {
    if (request.action || !this.sharing) return this.#fetcher(request);
    const ready = this.#fresh();
    if (ready) return this.#hand(ready);
    return this.#underLock(AbortSignal.any([request.signal, this.#life.signal]), () => this.#fetchOnce(request));
  }

  dispose(): void {
    if (this.#life.signal.aborted) return;
    this.#life.abort(new DOMException('Tab sharing was disposed.', 'AbortError'));
    this.#listeners.clear();
    this.#channel?.close();
  }

  /** What to do once this tab holds the lock (or gave up waiting): re-check, ask, then fetch. */
  async #fetchOnce(request: FetchRequest): Promise<IdentityResponse> {
    const fresh = this.#fresh() ?? (await this.#askPeers(request.signal));
    if (fresh) return this.#hand(fresh);
    const before = this.#read();
    // Disposing the sharing (the tab's session going away) ends its request too.
    const response = await this.#fetcher({ ...request, signal: AbortSignal.any([request.signal, this.#life.signal]) });
    const after = this.#read();
    const lifetimeMs = this.#lifetime(response);
    // When the request went out, so a session counts the lifetime from there (relayed or not).
    const own: IdentityResponse & { sentAt?: number } = { sentAt: before.wall, ...response };
    // Tokens this tab's session will reject (undecodable) are not sent: each tab reports them itself.
    if (lifetimeMs === undefined) return own;
    const known: Known = {
      id: newId(),
      response: plainResponse(own),
      receipt: after,
      durationMs: elapsed(before, after),
      lifetimeMs,
    };
    this.#latest = this.#handed = known;
    this.#post({ v: PROTOCOL_VERSION, kind: 'answer', key: this.#key, answer: this.#wire(known) });
    return own;
  }

  /**
   * Runs `work` holding the key's lock. Resolves sooner with a fresh answer another tab sends while
   * this one waits. After `lockTimeoutMs` (a tab that hangs with the lock) it waits on the fallback
   * lock the same way, and after another `lockTimeoutMs` runs `work` without any lock.
   */
  #underLock(signal: AbortSignal, work: () => Promise<IdentityResponse>, level = 0): Promise<IdentityResponse> {
    return new Promise((resolve, reject) => {
      const waiting = new AbortController();
      let settled = false;
      const stopWaiting = (): boolean => {
        if (settled) return false;
        settled = true;
        waiting.abort();
        this.#clock.clearTimeout(timer);
        this.#listeners.delete(onMessage);
        signal.removeEventListener('abort', onAbort);
        return true;
      };
      const run = (): Promise<IdentityResponse> => {
        const result = work();
        result.then(resolve, reject);
        return result;
      };
      const onMessage = (): void => {
        const fresh = this.#fresh();
        if (fresh && stopWaiting()) resolve(this.#hand(fresh));
      };
      const onAbort = (): void => {
        if (stopWaiting()) reject(signal.reason);
      };
      const timer = this.#clock.setTimeout(() => {
        if (!stopWaiting()) return;
        // A tab hangs holding the lock: the others elect one among them on the fallback lock (all
        // timing out together must not all fetch); should that one hang too, each goes alone.
        if (level === 0) this.#underLock(signal, work, 1).then(resolve, reject);
        else void run().catch(noop);
      }, this.#settings.lockTimeoutMs);
      this.#listeners.add(onMessage);
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) return onAbort();
      const name = level === 0 ? this.#names.refresh : this.#names.fallback;
      this.#locks!.request(name, { signal: waiting.signal }, () => {
        // Granted after we stopped waiting (an answer came, the wait timed out): let it go at once.
        if (!stopWaiting()) return undefined;
        // Held until the work ends, fetched or failed; a closed tab's lock goes with it.
        return run().catch(noop);
      }).catch(noop);
    });
  }

  /**
   * Asks the other tabs what they hold and waits until each has replied, a fresh answer came, or
   * `askTimeoutMs` passed (a tab that hangs never replies). Lock grants and channel messages travel
   * apart, so the lock can come before the answer the last holder sent: this catches it.
   */
  async #askPeers(signal: AbortSignal): Promise<Known | null> {
    const { held = [] } = await this.#locks!.query();
    const peers = held.filter((lock) => lock.name === this.#names.holders).length - (this.#holding ? 1 : 0);
    if (peers <= 0 || signal.aborted || !this.sharing) return this.#fresh();
    const id = newId();
    await new Promise<void>((resolve) => {
      let replies = 0;
      const done = (): void => {
        this.#clock.clearTimeout(timer);
        this.#listeners.delete(onMessage);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const onMessage = (message: TabMessage): void => {
        if (message.kind === 'reply' && message.to === id) replies += 1;
        if (this.#fresh() || replies >= peers) done();
      };
      const timer = this.#clock.setTimeout(done, this.#settings.askTimeoutMs);
      this.#listeners.add(onMessage);
      signal.addEventListener('abort', done);
      this.#post({ v: PROTOCOL_VERSION, kind: 'ask', key: this.#key, id });
    });
    return this.#fresh();
  }

  #receive(data: unknown): void {
    const message = parseMessage(data, this.#key);
    if (!message || !this.sharing) return;
    if (message.kind === 'ask') {
      const answer = this.#latest ? this.#wire(this.#latest) : null;
      this.#post({ v: PROTOCOL_VERSION, kind: 'reply', key: this.#key, to: message.id, answer });
      return;
    }
    if (message.answer) this.#learn(message.answer);
    const waiting = this.#listeners.size > 0;
    for (const listener of [...this.#listeners]) listener(message);
    // Nobody here is waiting for tokens: tell the session, which loads it through fetch() at once.
    if (!waiting && this.#fresh()) this.onAnswer?.();
  }

  #learn(answer: WireAnswer): void {
    const now = this.#read();
    const lifetimeMs = this.#lifetime(answer.response);
    if (lifetimeMs === undefined) return;
    const known: Known = {
      id: answer.id,
      response: answer.response,
      receipt: { mono: now.mono - answer.ageMs, wall: now.wall - answer.ageMs },
      durationMs: answer.durationMs,
      lifetimeMs,
    };
    const latest = this.#latest;
    if (!latest || (known.id !== latest.id && known.receipt.mono > latest.receipt.mono)) this.#latest = known;
  }

  /** The newest known answer when it is newer than what this tab's session holds and fresh enough. */
  #fresh(): Known | null {
    const latest = this.#latest;
    const handed = this.#handed;
    if (!latest || latest === handed || (handed && latest.receipt.mono <= handed.receipt.mono)) return null;
    const age = elapsed(latest.receipt, this.#read());
    return isFreshEnough(age, latest.lifetimeMs, this.#settings.maxAgeRatio) ? latest : null;
  }

  #hand(known: Known): IdentityResponse {
    this.#handed = known;
    const now = this.#read();
    return restamp(known.response, elapsed(known.receipt, now), known.durationMs, now.wall);
  }

  #wire(known: Known): WireAnswer {
    const { id, response, durationMs } = known;
    return { id, response, ageMs: elapsed(known.receipt, this.#read()), durationMs };
  }

  /** The answer's whole lifetime (`null` = never expires), or `undefined` when its tokens are malformed. */
  #lifetime(response: IdentityResponse): number | null | undefined {
    try {
      return this.#settings.lifetimeOf(response);
    } catch {
      return undefined;
    }
  }

  #read(): Reading {
    const wall = this.#clock.now();
    return { mono: this.#clock.monotonic?.() ?? wall, wall };
  }

  #post(message: TabMessage): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // Tokens that cannot be cloned stay in this tab; the others fetch their own.
    }
  }
}
