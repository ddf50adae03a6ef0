import '../helpers/mocha-globals.js';
import { delay, HttpResponse } from 'msw';
import { deepEqual, equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { useSessionHarness } from './session-harness.js';

const URL_ = '/api/session-failures/identity';
const HOUR = 3_600_000;

describe('TokenSession: failures, retries and halts (msw)', () => {
  const h = useSessionHarness(URL_);

  it('500: error event with attempt and next retry time, retried with backoff until it works', async () => {
    const seen = mockIdentity(h.url, (_body, n) =>
      n <= 2
        ? json({ error: { code: 'boom', message: 'database down' } }, { status: 500 })
        : json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 }),
    );
    const s = h.session();
    const error = await rejects(s.get());
    equal(error.code, 'http');
    equal(error.status, 500);
    equal(error.serverCode, 'boom');
    equal(error.retriable, true);
    equal(h.events[0]?.type, 'request');
    const first = h.events[1];
    ok(
      first?.type === 'error' && first.attempt === 1 && first.nextRetryAt === h.clock.now() + 1_000,
      JSON.stringify(first),
    );
    await h.clock.advance(1_000);
    const errors = () => h.events.filter((event) => event.type === 'error');
    await waitFor(() => errors().length === 2 && seen.length === 2, 'retry 1 failed');
    await h.clock.advance(2_000);
    await waitFor(() => s.current !== null, 'recovery');
    deepEqual((await s.get()).tokens, { t: 'ok' });
  });

  it('429 with Retry-After waits at least that long', async () => {
    const seen = mockIdentity(h.url, (_b, n) =>
      n === 1
        ? json(
            { error: { code: 'rate_limited', message: 'slow down' } },
            { status: 429, headers: { 'retry-after': '30' } },
          )
        : json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 }),
    );
    const error = await rejects(h.session().get());
    equal(error.retryAfterMs, 30_000);
    await h.clock.advance(29_999);
    equal(seen.length, 1);
    await h.clock.advance(1);
    await waitFor(() => seen.length === 2, 'retry after 30 s');
  });

  it('a request that hangs is aborted after timeoutMs with a timeout error and retried', async () => {
    const seen = mockIdentity(h.url, async (_b, n) => {
      if (n === 1) await delay('infinite');
      return json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 });
    });
    const s = h.session({ timeoutMs: 5_000 });
    const pending = rejects(s.get());
    await waitFor(() => seen.length === 1, 'first request');
    await h.clock.advance(5_000);
    const error = await pending;
    equal(error.code, 'timeout');
    await h.clock.advance(1_000);
    await waitFor(() => s.current !== null, 'retry succeeded');
  });

  it('network down is a retriable network error', async () => {
    mockIdentity(h.url, () => HttpResponse.error());
    const error = await rejects(h.session().get());
    equal(error.code, 'network');
    equal(error.retriable, true);
  });

  it('malformed JSON is a malformed-response error', async () => {
    mockIdentity(h.url, () => new HttpResponse('<html>oops</html>', { headers: { 'content-type': 'text/html' } }));
    equal((await rejects(h.session().get())).code, 'malformed-response');
  });

  it('a body without tokens, or for another vendor, is malformed', async () => {
    mockIdentity(h.url, (_b, n) =>
      json(n === 1 ? { vendor: 'vizzly', tokens: {} } : { vendor: 'looker', tokens: { t: 'x' } }),
    );
    const s = h.session();
    const first = await rejects(s.get());
    ok(/tokens/.test(first.message));
    await h.clock.advance(1_000);
    const errors = () => h.events.filter((event) => event.type === 'error');
    await waitFor(() => errors().length === 2, 'second error');
    const second = errors()[1];
    ok(second?.type === 'error' && /vendor/.test(second.error.message));
  });

  it('a non-JWT token gets the default lifetime; a JWT-shaped garbage token is malformed-token', async () => {
    mockIdentity(h.url, (_b, n) => json({ vendor: 'vizzly', tokens: { t: n === 1 ? 'opaque-uuid' : 'not.a.jwt' } }));
    const s = h.session({ defaultLifetimeMs: 100_000 });
    await s.get();
    equal(s.current!.expiresAt, h.clock.now() + 100_000);
    const failed = rejects(s.refresh());
    equal((await failed).code, 'malformed-token');
  });

  it('401 halts refreshing until refresh() is called', async () => {
    const seen = mockIdentity(h.url, (_b, n) =>
      n === 1
        ? json({ error: { code: 'unauthenticated', message: 'sign in' } }, { status: 401 })
        : json({ vendor: 'vizzly', tokens: { t: 'ok' }, expiresIn: 600 }),
    );
    const s = h.session();
    const error = await rejects(s.get());
    equal(error.status, 401);
    equal(error.retriable, false);
    const last = h.events.at(-1);
    ok(last?.type === 'error' && last.nextRetryAt === null);
    await h.clock.advance(HOUR);
    equal(seen.length, 1, 'no blind retry');
    equal((await rejects(s.get())).status, 401, 'get() reports the halt');
    deepEqual((await s.refresh()).tokens, { t: 'ok' });
  });

  it('one failed refresh does not stop later ones', async () => {
    const seen = mockIdentity(h.url, (_b, n) =>
      n === 2
        ? json({ error: { code: 'flaky' } }, { status: 503 })
        : json({ vendor: 'vizzly', tokens: { t: `v${n}` }, expiresIn: 100 }),
    );
    const s = h.session();
    await s.get();
    // A 100 s lifetime refreshes at half-life (50 s), as the 60 s margin would come sooner than that.
    await h.clock.advance(50_000);
    await waitFor(() => h.events.some((e) => e.type === 'error'), 'refresh that fails');
    await h.clock.advance(1_000);
    await waitFor(() => s.current?.tokens.t === 'v3', 'retry brings new tokens');
    await h.clock.advance(50_000);
    await waitFor(() => seen.length === 4, 'the next scheduled refresh');
  });

  it('a 409 session-ended on refresh starts a new vendor session at once (Looker)', async () => {
    const seen = mockIdentity(h.url, (body) =>
      body.action === 'refresh'
        ? json({ error: { code: 'session-ended', message: 'The embed session has ended' } }, { status: 409 })
        : json({ vendor: 'vizzly', tokens: { t: `acquired-${seen.length}` }, expiresIn: 600 }),
    );
    const s = h.session();
    await s.get();
    deepEqual((await s.refresh()).tokens, { t: 'acquired-3' });
    deepEqual(
      seen.map((r) => r.body.action ?? 'none'),
      ['none', 'refresh', 'none'],
    );
    equal(h.events.filter((e) => e.type === 'error').length, 0);
  });
});
