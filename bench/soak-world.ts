// The simulated world of the soak: a page's clocks and timers that a seeded scenario can step,
// jump and put to sleep, and a stand-in identity endpoint whose clock is the true time. Answers are
// real `Response`s read by the real identity client, so the Date header is parsed as in a browser.
import type { Clock } from '../src/timers.js';

/** A seeded PRNG (mulberry32): the same seed gives the same month. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One real task: lets the promise chains of a fetch and the session run to the end. */
export const realTask: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : () =>
        new Promise((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            channel.port1.close();
            resolve();
          };
          channel.port2.postMessage(null);
        });

interface Timer {
  monoAt: number;
  callback: () => void;
}

/**
 * The page's clocks: `true` time runs on; `mono` runs with it while awake (and during sleeps where
 * it keeps running); `wall` is the true time plus an offset that jumps. Timers run on `mono` and
 * never while asleep; overdue ones fire late on waking.
 */
export class PageClock implements Clock {
  trueTime: number;
  mono = 0;
  offset = 0;
  asleep = false;
  monoRunsInSleep = false;
  readonly #timers = new Map<number, Timer>();
  #nextId = 1;

  constructor(start: number) {
    this.trueTime = start;
  }

  now = (): number => this.trueTime + this.offset;
  monotonic = (): number => this.mono;
  setTimeout = (callback: () => void, ms: number): number => {
    const id = this.#nextId++;
    this.#timers.set(id, { monoAt: this.mono + Math.max(0, ms), callback });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** True time of the next timer to fire (now for an overdue one), or Infinity while asleep / none. */
  nextTimerAt(): number {
    if (this.asleep) return Infinity;
    let earliest = Infinity;
    for (const timer of this.#timers.values()) earliest = Math.min(earliest, timer.monoAt);
    return earliest === Infinity ? Infinity : this.trueTime + Math.max(0, earliest - this.mono);
  }

  /** Moves true time to `at` (mono too, unless asleep with a stopped monotonic clock). */
  moveTo(at: number): void {
    const step = at - this.trueTime;
    if (!this.asleep || this.monoRunsInSleep) this.mono += step;
    this.trueTime = at;
  }

  /** Fires the earliest due timer, if any; returns whether one fired. */
  fireDue(): boolean {
    if (this.asleep) return false;
    let due: [number, Timer] | undefined;
    for (const entry of this.#timers)
      if (entry[1].monoAt <= this.mono && (!due || entry[1].monoAt < due[1].monoAt)) due = entry;
    if (!due) return false;
    this.#timers.delete(due[0]);
    due[1].callback();
    return true;
  }
}

/** What the stand-in endpoint does with one request. */
export type Outcome = 'ok' | 'http-503' | 'network' | 'hang';

/** A request waiting for its answer, delivered at `at` (true time) or on waking. */
export interface PendingAnswer {
  at: number;
  deliver: () => void;
}

/**
 * The stand-in identity endpoint as a `fetch`: 5-minute JWTs (iat/exp) and an HTTP Date on the
 * true clock; failures as 503s (with Date and sometimes Retry-After) or network errors; hung
 * requests that only an abort ends. `decide` picks each request's outcome.
 */
export function standInFetch(
  clock: PageClock,
  queue: PendingAnswer[],
  random: () => number,
  decide: () => Outcome,
  onRequest: (outcome: Outcome) => void,
  lifetimeS = 300,
): typeof fetch {
  return (_url, init) =>
    new Promise<Response>((resolve, reject) => {
      const outcome = decide();
      onRequest(outcome);
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      if (outcome === 'hang') return;
      const latency = 20 + random() * 800;
      const madeAt = clock.trueTime + latency / 2;
      const date = new Date(madeAt).toUTCString();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const answer = (): void => {
        if (outcome === 'network') return reject(new TypeError('Failed to fetch'));
        if (outcome === 'http-503') {
          if (random() < 0.3) headers['retry-after'] = String(1 + Math.floor(random() * 5));
          resolve(
            new Response('{"error":{"code":"busy","message":"try later"}}', {
              status: 503,
              headers: { ...headers, date },
            }),
          );
          return;
        }
        const iat = Math.floor(madeAt / 1000);
        const token = jwt({ iat, exp: iat + lifetimeS, sub: 'soak' });
        resolve(
          new Response(JSON.stringify({ vendor: 'vizzly', tokens: { t: token } }), { headers: { ...headers, date } }),
        );
      };
      queue.push({ at: clock.trueTime + latency, deliver: answer });
    });
}

function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part(claims)}.c2ln`;
}

/** The true expiry (ms) of a soak token. */
export function trueExpiry(token: unknown): number {
  const payload = String(token).split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
  return (JSON.parse(atob(payload)) as { exp: number }).exp * 1000;
}

/**
 * Counts the wake-up listeners still attached by the DOM's rule: one added with a signal goes when
 * the signal aborts (the session's way). Counted from the signals because Node's EventTarget (not a
 * browser's) can lose that removal once its internal abort handler is garbage-collected.
 */
export function listenerCounter(...targets: EventTarget[]): () => number {
  const signals: (AbortSignal | undefined)[] = [];
  for (const target of targets) {
    const add = target.addEventListener.bind(target);
    target.addEventListener = (
      type: string,
      listener: EventListenerOrEventListenerObject | null,
      options?: boolean | AddEventListenerOptions,
    ) => {
      signals.push(typeof options === 'object' ? options.signal : undefined);
      add(type, listener, options);
    };
  }
  return () => signals.filter((signal) => !signal?.aborted).length;
}
