import '../helpers/mocha-globals.js';
import { createIdentityFetcher } from '../../src/identity/client.js';
import { TokenSession, type SessionEvent, type TokenSessionOptions } from '../../src/token/session.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { startWorker, worker } from '../helpers/msw.js';

/** What a session test works with: a fake clock, the events seen, and a session factory. */
export interface SessionHarness {
  /** This test's identity URL: a new one per test, so a request a disposed session left in flight never reaches the next test's handler. */
  readonly url: string;
  readonly clock: FakeClock;
  readonly events: SessionEvent[];
  /** A session on the fake clock against the msw-mocked endpoint at the harness URL (no jitter, no wake-ups unless given). */
  session(options?: Partial<TokenSessionOptions>): TokenSession;
}

/** Registers the hooks of a session test suite: msw started, a fresh clock per test, sessions disposed after. */
export function useSessionHarness(baseUrl: string): SessionHarness {
  let clock = new FakeClock();
  let count = 0;
  let url = baseUrl;
  let sessions: TokenSession[] = [];
  let events: SessionEvent[] = [];
  before(() => startWorker());
  beforeEach(() => {
    url = `${baseUrl}-${++count}`;
    clock = new FakeClock(Date.now());
    sessions = [];
    events = [];
  });
  afterEach(() => {
    for (const session of sessions) session.dispose();
    worker.resetHandlers();
  });
  return {
    get url() {
      return url;
    },
    get clock() {
      return clock;
    },
    get events() {
      return events;
    },
    session(options = {}) {
      const created = new TokenSession({
        fetchTokens: createIdentityFetcher(
          { url, now: clock.now },
          { vendor: 'vizzly', dashboardId: 'dsh_1', context: { locale: 'en' } },
        ),
        clock,
        random: () => 1,
        wakeTargets: null,
        ...options,
      });
      created.subscribe((event) => events.push(event));
      sessions.push(created);
      return created;
    },
  };
}
