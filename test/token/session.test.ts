import '../helpers/mocha-globals.js';
import { delay, HttpResponse } from 'msw';
import { MAX_TIMER_DELAY } from '../../src/timers.js';
import { deepEqual, equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { settle } from '../helpers/fake-clock.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { makeJwt } from '../helpers/jwt.js';
import { trackListeners } from '../helpers/listeners.js';
import { worker } from '../helpers/msw.js';
import { useSessionHarness } from './session-harness.js';

const URL_ = '/api/session-test/identity';
const HOUR = 3_600_000;

describe('TokenSession: expiry, schedule, sharing, wake-ups, teardown (msw)', () => {
  const h = useSessionHarness(URL_);

  it('first load: one POST following the wire contract, tokens resolved and announced', async () => {
    const seen = mockIdentity(h.url, () =>
      json({ vendor: 'vizzly', tokens: { dashboardAccessToken: 'a' }, expiresIn: 600 }),
    );
    const { tokens } = await h.session().get();
    deepEqual(tokens, { dashboardAccessToken: 'a' });
    equal(seen.length, 1);
    deepEqual(seen[0]!.body, { vendor: 'vizzly', dashboardId: 'dsh_1', context: { locale: 'en' } });
    equal(seen[0]!.headers.get('content-type'), 'application/json');
    equal(seen[0]!.credentials, 'same-origin');
    deepEqual(
      h.events.map((event) => event.type),
      ['request', 'tokens'],
      'the request announced, then its tokens',
    );
    const [request] = h.events;
    equal(request?.type === 'request' && request.reason, 'initial');
  });

  it('a subscriber added while an event is announced hears the next event, not that one', async () => {
    mockIdentity(h.url, () => json({ vendor: 'vizzly', tokens: { dashboardAccessToken: 'a' }, expiresIn: 600 }));
    const s = h.session();
    const late: string[] = [];
    let added = 0;
    s.subscribe(() => {
      // Subscribing from inside a listener once per event would loop forever over a live set.
      added += 1;
      s.subscribe((event) => late.push(event.type));
    });
    await s.get();
    equal(added, 2, 'the request and its tokens');
    deepEqual(late, ['tokens'], 'the listener added during the request event hears the tokens, the next one');
  });

  const sources: [string, () => Record<string, unknown>][] = [
    ['expiresIn', () => ({ tokens: { t: 'opaque' }, expiresIn: 300 })],
    ['expiresAt', () => ({ tokens: { t: 'opaque' }, expiresAt: new Date(h.clock.now() + 300_000).toISOString() })],
    [
      'JWT exp + iat',
      () => ({ tokens: { t: makeJwt({ iat: h.clock.now() / 1000, exp: h.clock.now() / 1000 + 300 }) } }),
    ],
    [
      'Vizzly expires',
      () => ({ tokens: { t: makeJwt({ expires: new Date(h.clock.now() + 300_000).toISOString() }) } }),
    ],
    ['*_ttl field', () => ({ tokens: { api_token: 'x', api_token_ttl: 300 } })],
    ['default lifetime', () => ({ tokens: { t: 'opaque' } })],
  ];
  for (const [source, body] of sources) {
    it(`refreshes before expiry, expiry from ${source}`, async () => {
      const seen = mockIdentity(h.url, () => json({ vendor: 'vizzly', ...body() }, { date: h.clock.now() }));
      const s = h.session({ defaultLifetimeMs: 300_000 });
      await s.get();
      // 80% of a 300 s lifetime = 240 s (up to 1 s earlier: the Date header has whole seconds).
      await h.clock.advance(238_000);
      equal(seen.length, 1, 'no refresh before 80%');
      await h.clock.advance(2_000);
      await waitFor(() => seen.length === 2, 'the refresh request');
      equal(seen[1]!.body.action, 'refresh');
      await waitFor(() => h.events.filter((e) => e.type === 'tokens').length === 2, 'new tokens');
      equal(
        h.events.some((e) => e.type === 'expired'),
        false,
      );
    });
  }

  for (const skew of [HOUR, -HOUR]) {
    it(`refreshes on time with the browser h.clock ${skew > 0 ? 'an hour fast' : 'an hour slow'}`, async () => {
      const serverNow = (): number => h.clock.now() - skew;
      const seen = mockIdentity(h.url, () =>
        json(
          { vendor: 'vizzly', tokens: { t: makeJwt({ iat: serverNow() / 1000, exp: serverNow() / 1000 + 600 }) } },
          { date: serverNow() },
        ),
      );
      const s = h.session();
      await s.get();
      const left = (s.current!.expiresAt as number) - h.clock.now();
      ok(
        left <= 600_000 && left >= 599_000,
        `expires in ${left} ms on the client clock (up to 1 s early: whole-second Date)`,
      );
      await h.clock.advance(470_000);
      equal(seen.length, 1);
      await h.clock.advance(10_000); // 480 s = 80% of 600 s
      await waitFor(() => seen.length === 2, 'the refresh');
    });
  }

  it('a far-future expiry never overflows setTimeout and still refreshes', async () => {
    const seen = mockIdentity(h.url, () => json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 90 * 86_400 }));
    await h.session().get();
    ok(h.clock.longestDelay <= MAX_TIMER_DELAY, `longest delay ${h.clock.longestDelay}`);
    await h.clock.advance(30 * 86_400_000);
    equal(seen.length, 1, 'no early refresh from an overflowed timer');
    await h.clock.advance(42 * 86_400_000);
    await waitFor(() => seen.length === 2, 'refresh at 72 days (80%)');
  });

  it('tokens already expired from the server: error, then backoff from the floor — no loop', async () => {
    const seen = mockIdentity(h.url, () =>
      json({ vendor: 'vizzly', tokens: { t: makeJwt({ expires: new Date(h.clock.now() - 1000).toISOString() }) } }),
    );
    const s = h.session();
    const error = await rejects(s.get());
    equal(error.code, 'expired-token');
    equal(s.current, null);
    await h.clock.advance(4_999);
    equal(seen.length, 1, 'nothing before the 5 s floor');
    await h.clock.advance(1);
    const errors = () => h.events.filter((e) => e.type === 'error');
    await waitFor(() => errors().length === 2, 'second try at 5 s, reported');
    await h.clock.advance(9_999);
    equal(seen.length, 2, 'the next try backs off to 10 s');
    await h.clock.advance(1);
    await waitFor(() => errors().length === 3, 'third try at 10 s');
    ok(errors().every((e) => e.type === 'error' && e.error.code === 'expired-token' && e.nextRetryAt !== null));
  });

  it('inside the refresh window, get() waits for the refresh under way, or keeps the valid set if it fails', async () => {
    let release: (ok: boolean) => void = () => {};
    const seen = mockIdentity(h.url, async (_b, n) => {
      if (n === 1) return json({ vendor: 'vizzly', tokens: { t: 'old' }, expiresIn: 100 });
      const ok = await new Promise<boolean>((resolve) => {
        release = resolve;
      });
      return ok
        ? json({ vendor: 'vizzly', tokens: { t: `new${n}` }, expiresIn: 100 })
        : json({ error: { code: 'down' } }, { status: 503 });
    });
    const s = h.session();
    await s.get();
    await h.clock.advance(50_000); // the refresh starts at half-life (50 s)
    await waitFor(() => seen.length === 2, 'refresh in flight');
    const waiting = s.get();
    release(true);
    deepEqual((await waiting).tokens, { t: 'new2' });
    await h.clock.advance(50_000);
    await waitFor(() => seen.length === 3, 'second refresh in flight');
    const fallback = s.get();
    release(false);
    deepEqual((await fallback).tokens, { t: 'new2' }, 'the still-valid set');
  });

  it('get({minValidityMs}) refreshes tokens that would not last that long, and the schedule keeps them that long', async () => {
    const seen = mockIdentity(h.url, (_b, n) =>
      json({ vendor: 'vizzly', tokens: { t: `v${n}` }, expiresIn: n === 1 ? 600 : 900 }),
    );
    const s = h.session();
    await s.get();
    await h.clock.advance(250_000); // 350 s left
    const grant = await s.get({ minValidityMs: 360_000 });
    equal(seen.length, 2, 'refreshed first: 350 s left is less than 360 s');
    equal(grant.tokens.t, 'v2');
    equal(grant.expiresAt, h.clock.now() + 900_000);
    // With a 360 s margin, 900 s tokens are refreshed at 540 s, not at 80% (720 s).
    await h.clock.advance(539_000);
    equal(seen.length, 2);
    await h.clock.advance(1_000);
    await waitFor(() => seen.length === 3, 'refresh 360 s before expiry');
    deepEqual((await s.get({ minValidityMs: 360_000 })).tokens, { t: 'v3' });
    equal(seen.length, 3, 'fresh tokens that last long enough are handed over as they are');
  });

  it('request(action) makes a one-off request through the session without replacing the shared set', async () => {
    const seen = mockIdentity(h.url, (body) =>
      json({ vendor: 'vizzly', tokens: { t: String(body.action ?? 'shared') }, expiresIn: 600 }),
    );
    const s = h.session({ timeoutMs: 5_000 });
    await s.get();
    const grant = await s.request('acquire');
    deepEqual(grant, { tokens: { t: 'acquire' }, expiresAt: h.clock.now() + 600_000 });
    equal(seen[1]!.body.action, 'acquire');
    deepEqual(s.current?.tokens, { t: 'shared' }, 'the shared set is unchanged');
    equal(h.events.filter((e) => e.type === 'tokens').length, 1, 'no tokens event for a one-off answer');
  });

  it('request(action) times out with the session timeout and aborts with its signal', async () => {
    mockIdentity(h.url, async (body) => {
      if (body.action) await delay('infinite');
      return json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 600 });
    });
    const s = h.session({ timeoutMs: 5_000 });
    await s.get();
    const timers = h.clock.pending;
    const hung = rejects(s.request('acquire'));
    await settle();
    await h.clock.advance(5_000);
    equal((await hung).code, 'timeout');
    const unmount = new AbortController();
    const aborted = rejects(s.request('acquire', { signal: unmount.signal }));
    await settle();
    unmount.abort(new Error('unmounted'));
    equal((await aborted).message, 'unmounted');
    equal(h.clock.pending, timers, 'the one-off requests left no timer behind');
  });

  it('every caller during a fetch shares one request', async () => {
    const seen = mockIdentity(h.url, async () => {
      await delay(20);
      return json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 600 });
    });
    const s = h.session();
    const results = await Promise.all([s.get(), s.get(), s.refresh(), s.get(), s.get()]);
    equal(seen.length, 1);
    ok(results.every((r) => r.tokens === results[0]!.tokens));
  });

  it('wakes up: a tab that slept past the refresh time refreshes on visibilitychange, online, focus, pageshow', async () => {
    for (const type of ['visibilitychange', 'online', 'focus', 'pageshow']) {
      const win = new EventTarget();
      const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
      const seen = mockIdentity(h.url, () => json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 }));
      const s = h.session({ wakeTargets: { window: win, document: doc } });
      await s.get();
      h.clock.time += 95_000; // timers were throttled: nothing fired while the tab slept
      (type === 'visibilitychange' ? doc : win).dispatchEvent(new Event(type));
      await waitFor(() => seen.length === 2, `refresh on ${type}`);
      s.dispose();
      worker.resetHandlers();
    }
  });

  it('a wake-up before the refresh window does nothing', async () => {
    const win = new EventTarget();
    const seen = mockIdentity(h.url, () => json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 }));
    await h.session({ wakeTargets: { window: win } }).get();
    win.dispatchEvent(new Event('focus'));
    await settle();
    equal(seen.length, 1);
  });

  it('the expired event fires when tokens run out before a refresh succeeds', async () => {
    mockIdentity(h.url, (_b, n) =>
      n === 1 ? json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 }) : HttpResponse.error(),
    );
    const s = h.session({ retryMaxMs: 60_000 });
    await s.get();
    await h.clock.advance(100_000);
    ok(
      h.events.some((e) => e.type === 'expired'),
      'expired event',
    );
    equal(s.current, null, 'never hands out expired tokens');
  });

  it('dispose releases every timer, the request in flight and the wake-up listeners', async () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const listeners = trackListeners(win, doc);
    const seen = mockIdentity(h.url, async (_b, n) => {
      if (n === 2) await delay('infinite');
      return json({ vendor: 'vizzly', tokens: { t: 'x' }, expiresIn: 100 });
    });
    const s = h.session({ wakeTargets: { window: win, document: doc } });
    await s.get();
    deepEqual(listeners.active().sort(), ['focus', 'online', 'pageshow', 'visibilitychange']);
    const inflight = rejects(s.refresh());
    await waitFor(() => seen.length === 2, 'second request in flight');
    s.dispose();
    equal((await inflight).code, 'disposed');
    equal(h.clock.pending, 0, 'no timers left');
    deepEqual(listeners.active(), []);
    listeners.restore();
    h.clock.time += 200_000;
    win.dispatchEvent(new Event('online'));
    await settle();
    equal(seen.length, 2, 'a wake-up after dispose fetches nothing');
    equal((await rejects(s.get())).code, 'disposed');
  });
});
