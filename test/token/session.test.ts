import '../helpers/mocha-globals.js';
import { delay, HttpResponse } from 'msw';
import { createIdentityFetcher } from '../../src/identity/client.js';
import { TokenSession, type SessionEvent, type TokenSessionOptions } from '../../src/token/session.js';
import { MAX_TIMER_DELAY } from '../../src/timers.js';
import { deepEqual, equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { makeJwt } from '../helpers/jwt.js';
import { startWorker, worker } from '../helpers/msw.js';
import { trackListeners } from '../helpers/listeners.js';

const URL_ = '/api/session-test/identity';
const HOUR = 3_600_000;

describe('TokenSession against an identity endpoint (msw)', () => {
  let clock: FakeClock;
  let sessions: TokenSession[];
  let events: SessionEvent[];

  before(() => startWorker());
  beforeEach(() => {
    clock = new FakeClock(Date.now());
    sessions = [];
    events = [];
  });
  afterEach(() => {
    for (const session of sessions) session.dispose();
    worker.resetHandlers();
  });

  function session(options: Partial<TokenSessionOptions> = {}): TokenSession {
    const created = new TokenSession({
      fetchTokens: createIdentityFetcher({ url: URL_, now: clock.now }, { vendor: 'vizzly', dashboardId: 'dsh_1', context: { locale: 'en' } }),
      clock,
      random: () => 1,
      wakeTargets: null,
      ...options,
    });
    created.subscribe((event) => events.push(event));
    sessions.push(created);
    return created;
  }

  it('first load: one POST following the wire contract, tokens resolved and announced', async () => {
    const seen = mockIdentity(URL_, () => json({ vendor: 'vizzly', tokens: { dashboardAccessToken: 'a' }, expiresIn: 600 }));
    const tokens = await session().get();
    deepEqual(tokens, { dashboardAccessToken: 'a' });
    equal(seen.length, 1);
    deepEqual(seen[0]!.body, { vendor: 'vizzly', dashboardId: 'dsh_1', context: { locale: 'en' } });
    equal(seen[0]!.headers.get('content-type'), 'application/json');
    equal(seen[0]!.credentials, 'same-origin');
    equal(events[0]?.type, 'tokens');
  });

  const sources: [string, () => Record<string, unknown>][] = [
    ['expiresIn', () => ({ tokens: { t: 'opaque' }, expiresIn: 300 })],
    ['expiresAt', () => ({ tokens: { t: 'opaque' }, expiresAt: new Date(clock.now() + 300_000).toISOString() })],
    ['JWT exp + iat', () => ({ tokens: { t: makeJwt({ iat: clock.now() / 1000, exp: clock.now() / 1000 + 300 }) } })],
    ['Vizzly expires', () => ({ tokens: { t: makeJwt({ expires: new Date(clock.now() + 300_000).toISOString() }) } })],
    ['*_ttl field', () => ({ tokens: { api_token: 'x', api_token_ttl: 300 } })],
    ['default lifetime', () => ({ tokens: { t: 'opaque' } })],
  ];
  for (const [source, body] of sources) {
    it(`refreshes before expiry, expiry from ${source}`, async () => {
      const seen = mockIdentity(URL_, () => json({ vendor: 'vizzly', ...body() }, { date: clock.now() }));
      const s = session({ defaultLifetimeMs: 300_000 });
      await s.get();
      // 80% of a 300 s lifetime = 240 s (up to 1 s earlier: the Date header has whole seconds).
      await clock.advance(238_000);
      equal(seen.length, 1, 'no refresh before 80%');
      await clock.advance(2_000);
      await waitFor(() => seen.length === 2, 'the refresh request');
      equal(seen[1]!.body.action, 'refresh');
      await waitFor(() => events.filter((e) => e.type === 'tokens').length === 2, 'new tokens');
      equal(events.some((e) => e.type === 'expired'), false);
    });
  }

  for (const skew of [HOUR, -HOUR]) {
    it(`refreshes on time with the browser clock ${skew > 0 ? 'an hour fast' : 'an hour slow'}`, async () => {
      const serverNow = (): number => clock.now() - skew;
      const seen = mockIdentity(URL_, () => json(
        { vendor: 'vizzly', tokens: { t: makeJwt({ iat: serverNow() / 1000, exp: serverNow() / 1000 + 600 }) } },
        { date: serverNow() },
      ));
      const s = session();
      await s.get();
      const left = (s.expiresAt as number) - clock.now();
      ok(left <= 600_000 && left > 599_000, `expires in ${left} ms on the client clock`);
      await clock.advance(470_000);
      equal(seen.length, 1);
      await clock.advance(10_000); // 480 s = 80% of 600 s
      await waitFor(() => seen.length === 2, 'the refresh');
    });
  }

  it('a far-future expiry never overflows setTimeout and still refreshes', async () => {
    const seen = mockIdentity(URL_, () => json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 90 * 86_400 }));
    await session().get();
    ok(clock.longestDelay <= MAX_TIMER_DELAY, `longest delay ${clock.longestDelay}`);
    await clock.advance(30 * 86_400_000);
    equal(seen.length, 1, 'no early refresh from an overflowed timer');
    await clock.advance(42 * 86_400_000);
    await waitFor(() => seen.length === 2, 'refresh at 72 days (80%)');
  });

  it('tokens already expired from the server: error, then backoff from the floor — no loop', async () => {
    const seen = mockIdentity(URL_, () => json({ vendor: 'vizzly', tokens: { t: makeJwt({ expires: new Date(clock.now() - 1000).toISOString() }) } }));
    const s = session();
    const error = await rejects(s.get());
    equal(error.code, 'expired-token');
    equal(s.tokens, null);
    await clock.advance(4_999);
    equal(seen.length, 1, 'nothing before the 5 s floor');
    await clock.advance(1);
    const errors = () => events.filter((e) => e.type === 'error');
    await waitFor(() => errors().length === 2, 'second try at 5 s, reported');
    await clock.advance(9_999);
    equal(seen.length, 2, 'the next try backs off to 10 s');
    await clock.advance(1);
    await waitFor(() => errors().length === 3, 'third try at 10 s');
    ok(errors().every((e) => e.type === 'error' && e.error.code === 'expired-token' && e.nextRetryAt !== null));
  });

  it('500: error event with attempt and next retry time, retried with backoff until it works', async () => {
    const seen = mockIdentity(URL_, (_body, n) => n <= 2
      ? json({ error: { code: 'boom', message: 'database down' } }, { status: 500 })
      : json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 }));
    const s = session();
    const error = await rejects(s.get());
    equal(error.code, 'http');
    equal(error.status, 500);
    equal(error.serverCode, 'boom');
    equal(error.retriable, true);
    const first = events[0];
    ok(first?.type === 'error' && first.attempt === 1 && first.nextRetryAt === clock.now() + 1_000, JSON.stringify(first));
    await clock.advance(1_000);
    await waitFor(() => events.length === 2 && seen.length === 2, 'retry 1 failed');
    await clock.advance(2_000);
    await waitFor(() => s.tokens !== null, 'recovery');
    deepEqual(await s.get(), { t: 'ok' });
  });

  it('429 with Retry-After waits at least that long', async () => {
    const seen = mockIdentity(URL_, (_b, n) => n === 1
      ? json({ error: { code: 'rate_limited', message: 'slow down' } }, { status: 429, headers: { 'retry-after': '30' } })
      : json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 }));
    const error = await rejects(session().get());
    equal(error.retryAfterMs, 30_000);
    await clock.advance(29_999);
    equal(seen.length, 1);
    await clock.advance(1);
    await waitFor(() => seen.length === 2, 'retry after 30 s');
  });

  it('a request that hangs is aborted after timeoutMs with a timeout error and retried', async () => {
    const seen = mockIdentity(URL_, async (_b, n) => {
      if (n === 1) await delay('infinite');
      return json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 });
    });
    const s = session({ timeoutMs: 5_000 });
    const pending = rejects(s.get());
    await waitFor(() => seen.length === 1, 'first request');
    await clock.advance(5_000);
    const error = await pending;
    equal(error.code, 'timeout');
    await clock.advance(1_000);
    await waitFor(() => s.tokens !== null, 'retry succeeded');
  });

  it('network down is a retriable network error', async () => {
    mockIdentity(URL_, () => HttpResponse.error());
    const error = await rejects(session().get());
    equal(error.code, 'network');
    equal(error.retriable, true);
  });

  it('malformed JSON is a malformed-response error', async () => {
    mockIdentity(URL_, () => new HttpResponse('<html>oops</html>', { headers: { 'content-type': 'text/html' } }));
    equal((await rejects(session().get())).code, 'malformed-response');
  });

  it('a body without tokens, or for another vendor, is malformed', async () => {
    mockIdentity(URL_, (_b, n) => json(n === 1 ? { vendor: 'vizzly', tokens: {} } : { vendor: 'looker', tokens: { t: 'x' } }));
    const s = session();
    const first = await rejects(s.get());
    ok(/tokens/.test(first.message));
    await clock.advance(1_000);
    await waitFor(() => events.filter((e) => e.type === 'error').length === 2, 'second error');
    const second = events[1];
    ok(second?.type === 'error' && /vendor/.test(second.error.message));
  });

  it('a non-JWT token gets the default lifetime; a JWT-shaped garbage token is malformed-token', async () => {
    mockIdentity(URL_, (_b, n) => json({ vendor: 'vizzly', tokens: { t: n === 1 ? 'opaque-uuid' : 'not.a.jwt' } }));
    const s = session({ defaultLifetimeMs: 100_000 });
    await s.get();
    equal(s.expiresAt, clock.now() + 100_000);
    const failed = rejects(s.refresh());
    equal((await failed).code, 'malformed-token');
  });

  it('401 halts refreshing until refresh() is called', async () => {
    const seen = mockIdentity(URL_, (_b, n) => n === 1
      ? json({ error: { code: 'unauthenticated', message: 'sign in' } }, { status: 401 })
      : json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 }));
    const s = session();
    const error = await rejects(s.get());
    equal(error.status, 401);
    equal(error.retriable, false);
    const last = events.at(-1);
    ok(last?.type === 'error' && last.nextRetryAt === null);
    await clock.advance(HOUR);
    equal(seen.length, 1, 'no blind retry');
    equal((await rejects(s.get())).status, 401, 'get() reports the halt');
    deepEqual(await s.refresh(), { t: 'ok' });
  });

  it('one failed refresh does not stop later ones', async () => {
    const seen = mockIdentity(URL_, (_b, n) => n === 2
      ? json({ error: { code: 'flaky' } }, { status: 503 })
      : json({ vendor: 'vizzly', tokens: { t: `v${n}` }, expiresIn: 100 }));
    const s = session();
    await s.get();
    // A 100 s lifetime refreshes at half-life (50 s), as the 60 s margin would come sooner than that.
    await clock.advance(50_000);
    await waitFor(() => events.some((e) => e.type === 'error'), 'refresh that fails');
    await clock.advance(1_000);
    await waitFor(() => s.tokens?.t === 'v3', 'retry brings new tokens');
    await clock.advance(50_000);
    await waitFor(() => seen.length === 4, 'the next scheduled refresh');
  });

  it('a 409 session-ended on refresh starts a new vendor session at once (Looker)', async () => {
    const seen = mockIdentity(URL_, (body) => body.action === 'refresh'
      ? json({ error: { code: 'session-ended', message: 'The embed session has ended' } }, { status: 409 })
      : json({ vendor: 'vizzly', tokens: { t: `acquired-${seen.length}` }, expiresIn: 600 }));
    const s = session();
    await s.get();
    deepEqual(await s.refresh(), { t: 'acquired-3' });
    deepEqual(seen.map((r) => r.body.action ?? 'none'), ['none', 'refresh', 'none']);
    equal(events.filter((e) => e.type === 'error').length, 0);
  });

  it('inside the refresh window, get() waits for the refresh under way, or keeps the valid set if it fails', async () => {
    let release: (ok: boolean) => void = () => {};
    const seen = mockIdentity(URL_, async (_b, n) => {
      if (n === 1) return json({ vendor: 'vizzly', tokens: { t: 'old' }, expiresIn: 100 });
      const ok = await new Promise<boolean>((resolve) => { release = resolve; });
      return ok ? json({ vendor: 'vizzly', tokens: { t: `new${n}` }, expiresIn: 100 }) : json({ error: { code: 'down' } }, { status: 503 });
    });
    const s = session();
    await s.get();
    await clock.advance(50_000); // the refresh starts at half-life (50 s)
    await waitFor(() => seen.length === 2, 'refresh in flight');
    const waiting = s.get();
    release(true);
    deepEqual(await waiting, { t: 'new2' });
    await clock.advance(50_000);
    await waitFor(() => seen.length === 3, 'second refresh in flight');
    const fallback = s.get();
    release(false);
    deepEqual(await fallback, { t: 'new2' }, 'the still-valid set');
  });

  it('every caller during a fetch shares one request', async () => {
    const seen = mockIdentity(URL_, async () => {
      await delay(20);
      return json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 600 });
    });
    const s = session();
    const results = await Promise.all([s.get(), s.get(), s.refresh(), s.get(), s.get()]);
    equal(seen.length, 1);
    ok(results.every((r) => r === results[0]));
  });

  it('wakes up: a tab that slept past the refresh time refreshes on visibilitychange, online, focus, pageshow', async () => {
    for (const type of ['visibilitychange', 'online', 'focus', 'pageshow']) {
      const win = new EventTarget();
      const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
      const seen = mockIdentity(URL_, () => json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 }));
      const s = session({ wakeTargets: { window: win, document: doc } });
      await s.get();
      clock.time += 95_000; // timers were throttled: nothing fired while the tab slept
      (type === 'visibilitychange' ? doc : win).dispatchEvent(new Event(type));
      await waitFor(() => seen.length === 2, `refresh on ${type}`);
      s.dispose();
      worker.resetHandlers();
    }
  });

  it('a wake-up before the refresh window does nothing', async () => {
    const win = new EventTarget();
    const seen = mockIdentity(URL_, () => json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 }));
    await session({ wakeTargets: { window: win } }).get();
    win.dispatchEvent(new Event('focus'));
    await settle();
    equal(seen.length, 1);
  });

  it('the expired event fires when tokens run out before a refresh succeeds', async () => {
    mockIdentity(URL_, (_b, n) => n === 1 ? json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 }) : HttpResponse.error());
    const s = session({ retryMaxMs: 60_000 });
    await s.get();
    await clock.advance(100_000);
    ok(events.some((e) => e.type === 'expired'), 'expired event');
    equal(s.tokens, null, 'never hands out expired tokens');
  });

  it('dispose releases every timer, the request in flight and the wake-up listeners', async () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const listeners = trackListeners(win, doc);
    const seen = mockIdentity(URL_, async (_b, n) => {
      if (n === 2) await delay('infinite');
      return json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 });
    });
    const s = session({ wakeTargets: { window: win, document: doc } });
    await s.get();
    deepEqual(listeners.active().sort(), ['focus', 'online', 'pageshow', 'visibilitychange']);
    const inflight = rejects(s.refresh());
    await waitFor(() => seen.length === 2, 'second request in flight');
    s.dispose();
    equal((await inflight).code, 'disposed');
    equal(clock.pending, 0, 'no timers left');
    deepEqual(listeners.active(), []);
    listeners.restore();
    clock.time += 200_000;
    win.dispatchEvent(new Event('online'));
    await settle();
    equal(seen.length, 2, 'a wake-up after dispose fetches nothing');
    equal((await rejects(s.get())).code, 'disposed');
  });
});
