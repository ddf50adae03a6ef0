// A page on @sinonjs/fake-timers (Date, timers and performance.now faked) with a stand-in identity
// endpoint whose clock is the true time, so tests can step the page's wall clock, put the "laptop"
// to sleep and delay answers, and compare what the session hands out with the truth.
import '../helpers/mocha-globals.js';
import type { Clock as InstalledClock } from '@sinonjs/fake-timers';
import { createIdentityFetcher } from '../../src/identity/client.js';
import { TokenSession, type SessionEvent, type TokenSessionOptions } from '../../src/token/session.js';

const realSetTimeout = globalThis.setTimeout;
const FakeTimers = (
  (await import('/__bundles/fake-timers.js' as string)) as { default: typeof import('@sinonjs/fake-timers') }
).default;

/** Lets real tasks run (Response bodies, promise chains) without moving the fake clock. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => realSetTimeout(resolve, 0));
}

/** A request the stand-in endpoint received, with the true time it arrived. */
export interface Seen {
  body: Record<string, unknown>;
  at: number;
}

export interface World {
  readonly clock: InstalledClock;
  readonly seen: Seen[];
  readonly events: SessionEvent[];
  /** The true time (the server's clock): start + monotonic progress + sleeps the monotonic clock missed. */
  trueNow(): number;
  /** A 200 answer (or another status) made now: its Date header is the server's time at this moment. */
  answer(body: unknown, init?: { status?: number; headers?: Record<string, string>; date?: boolean }): Response;
  /** What the endpoint answers to request `n` (1-based). */
  respond: (body: Record<string, unknown>, n: number) => Response | Promise<Response>;
  /** A session on the faked real clocks against the stand-in endpoint (no jitter). */
  session(options?: Partial<TokenSessionOptions>): TokenSession;
  /** Time passes awake: timers fire in order. */
  advance(ms: number): Promise<void>;
  /** The page's wall clock is stepped by `ms` (NTP, a user); no time passes. */
  step(ms: number): Promise<void>;
  /** The laptop sleeps `ms`: no timer runs; the monotonic clock stops, or runs (`monoRuns`). */
  sleep(ms: number, monoRuns?: boolean): Promise<void>;
}

/** Installs the fake clocks before each test and removes them (and the sessions) after. */
export function useTimeWorld(): World {
  let clock: InstalledClock;
  let missed = 0;
  let start = 0;
  let sessions: TokenSession[] = [];
  const world = {
    seen: [] as Seen[],
    events: [] as SessionEvent[],
    respond: (() => new Response(null, { status: 500 })) as World['respond'],
    get clock() {
      return clock;
    },
    trueNow: () => start + performance.now() + missed,
    answer(body: unknown, init: { status?: number; headers?: Record<string, string>; date?: boolean } = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
      if (init.date !== false) headers.date = new Date(world.trueNow()).toUTCString();
      return new Response(JSON.stringify(body), { status: init.status ?? 200, headers });
    },
    session(options: Partial<TokenSessionOptions> = {}) {
      const fetchStandIn: typeof fetch = async (_url, init) => {
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        const n = world.seen.push({ body, at: world.trueNow() });
        return world.respond(body, n);
      };
      const created = new TokenSession({
        fetchTokens: createIdentityFetcher(
          { url: '/identity', fetch: fetchStandIn },
          { vendor: 'vizzly', dashboardId: 'dsh_1' },
        ),
        random: () => 1,
        wakeTargets: null,
        ...options,
      });
      created.subscribe((event) => world.events.push(event));
      sessions.push(created);
      return created;
    },
    async advance(ms: number) {
      // Fires the timers in order, with a real task after each so answers can arrive in between.
      await clock.tickAsync(ms);
      await flush();
    },
    async step(ms: number) {
      clock.setSystemTime(Date.now() + ms);
      await flush();
    },
    async sleep(ms: number, monoRuns = false) {
      if (monoRuns) clock.jump(ms);
      else {
        clock.setSystemTime(Date.now() + ms);
        missed += ms;
      }
      await flush();
    },
  };
  beforeEach(() => {
    clock = FakeTimers.install({
      now: Date.UTC(2026, 11, 1, 9),
      toFake: ['Date', 'setTimeout', 'clearTimeout', 'performance'],
    });
    start = Date.now() - performance.now();
    missed = 0;
    sessions = [];
    world.seen.length = 0;
    world.events.length = 0;
  });
  afterEach(() => {
    for (const session of sessions) session.dispose();
    clock.uninstall();
  });
  return world as World;
}
