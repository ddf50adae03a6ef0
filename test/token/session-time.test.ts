// Issue 9's time findings, each on a page with faked Date, timers and performance.now: the client's
// wall clock jumps, the laptop sleeps, answers arrive late. The stand-in endpoint's clock is the truth.
import { equal, ok, rejects } from '../helpers/assert.js';
import { makeJwt } from '../helpers/jwt.js';
import { flush, useTimeWorld, type World } from './time-world.js';

const HOUR = 3_600_000;

/** A 5-minute JWT issued now on the server's (true) clock. */
function jwt(world: World, lifetimeS = 300, issuedAgoS = 0): string {
  const iat = Math.floor(world.trueNow() / 1000) - issuedAgoS;
  return makeJwt({ iat, exp: iat + lifetimeS });
}

/** The true time (ms) at which a token from {@link jwt} expires. */
function trueExpiry(token: unknown): number {
  const payload = JSON.parse(atob(String(token).split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
  return payload.exp * 1000;
}

function count(world: World, type: string): number {
  return world.events.filter((event) => event.type === type).length;
}

describe('TokenSession: time you can trust (fake Date, timers and performance.now)', () => {
  const world = useTimeWorld();
  const answerJwt = (): Response => world.answer({ vendor: 'vizzly', tokens: { t: jwt(world) } });

  it('a wall clock set back an hour does not delay the refresh, and get() never hands out expired tokens', async () => {
    world.respond = answerJwt;
    const s = world.session();
    await s.get();
    await world.advance(60_000);
    await world.step(-HOUR);
    // 80% of 300 s = 240 s, up to 2 s early (whole-second Date and iat).
    await world.advance(177_000);
    equal(world.seen.length, 1, 'nothing before 238 s');
    await world.advance(3_000);
    equal(world.seen.length, 2, 'the refresh at 240 s true time, not an hour later');
    for (let i = 0; i < 10; i++) {
      await world.advance(60_000);
      const { tokens } = await s.get();
      ok(trueExpiry(tokens.t) > world.trueNow(), 'get() handed out a valid token');
    }
  });

  for (const wake of ['a wake-up event', 'no wake-up event']) {
    it(`a sleep that ends before the refresh time (monotonic clock stopped, ${wake}): refreshed on time`, async () => {
      const win = new EventTarget();
      world.respond = answerJwt;
      const s = world.session({ wakeTargets: { window: win } });
      await s.get();
      await world.advance(60_000);
      await world.sleep(170_000); // asleep from 60 s to 230 s
      if (wake === 'a wake-up event') {
        win.dispatchEvent(new Event('focus'));
        await world.advance(10_000);
        equal(world.seen.length, 2, 'refreshed at 240 s true time, not 170 s late');
      } else {
        // Noticed at the session's next timer (it never waits more than 30 s when something is near).
        await world.advance(30_000);
        equal(world.seen.length, 2, 'refreshed by 260 s, before the tokens expire at 300 s');
      }
      equal(count(world, 'expired'), 0);
      ok(trueExpiry(s.current!.tokens.t) > world.trueNow() + 200_000, 'the new tokens are held');
    });
  }

  it('a sleep past expiry: expired at once on waking, then new tokens', async () => {
    const win = new EventTarget();
    let down = true;
    world.respond = (_body, n) =>
      n === 1 || !down ? answerJwt() : world.answer({ error: { code: 'down' } }, { status: 503 });
    const s = world.session({ wakeTargets: { window: win } });
    await s.get();
    await world.sleep(2 * HOUR);
    win.dispatchEvent(new Event('online'));
    equal(count(world, 'expired'), 1, 'the expired event, synchronously on waking');
    equal(s.current, null);
    await flush();
    equal(world.seen.length, 2, 'a refresh at once');
    down = false;
    await world.advance(1_000);
    ok(s.current && trueExpiry(s.current.tokens.t) > world.trueNow(), 'fresh tokens after the retry');
  });

  it('Retry-After as an HTTP date is measured against the server Date, not the client clock', async () => {
    await world.step(-HOUR); // the client clock is an hour slow
    world.respond = (_body, n) =>
      n === 1
        ? world.answer(
            { error: { code: 'busy' } },
            { status: 503, headers: { 'retry-after': new Date(world.trueNow() + 10_000).toUTCString() } },
          )
        : answerJwt();
    const s = world.session();
    const error = await rejects(s.get());
    ok(error.retryAfterMs >= 9_000 && error.retryAfterMs <= 10_000, `retryAfterMs ${error.retryAfterMs}`);
    await world.advance(10_000);
    equal(world.seen.length, 2, 'retried after 10 s, not after an hour');
  });

  it('an answer delayed in transit (asleep mid-download) is not taken for clock skew: its expired tokens are never handed over', async () => {
    let arrive = (): void => {};
    world.respond = async (_body, n) => {
      const made = answerJwt(); // Date and token of now
      if (n === 1) await new Promise<void>((resolve) => (arrive = resolve));
      return made;
    };
    const s = world.session();
    const pending = s.get();
    await flush();
    await world.sleep(1_200_000); // 20 minutes asleep before the answer arrives
    arrive();
    const { tokens } = await pending;
    equal(world.seen.length, 2, 'asked again at once: the late answer was fine when made');
    ok(trueExpiry(tokens.t) > world.trueNow() + 290_000, 'the fresh tokens, not the expired ones');
    equal(count(world, 'error'), 0, 'no fault of the server');
  });

  it('no Date header (identity endpoint or fetchTokens): an already-expired JWT with iat is refused', async () => {
    world.respond = () => world.answer({ vendor: 'vizzly', tokens: { t: jwt(world, 300, 600) } }, { date: false });
    equal((await rejects(world.session().get())).code, 'expired-token');
    const own = world.session({
      fetchTokens: async () => ({ vendor: 'vizzly', tokens: { t: jwt(world, 300, 600) }, receivedAt: Date.now() }),
    });
    equal((await rejects(own.get())).code, 'expired-token');
  });

  it('an undecodable JWT is reported and retried with backoff, not fatal', async () => {
    world.respond = (_body, n) =>
      n === 1 ? world.answer({ vendor: 'vizzly', tokens: { t: 'abc.def.ghi' } }) : answerJwt();
    const s = world.session();
    equal((await rejects(s.get())).code, 'malformed-token');
    equal(world.events[0]?.type, 'request');
    const reported = world.events[1];
    ok(
      reported?.type === 'error' && reported.nextRetryAt !== null && reported.error.retriable,
      'reported with a retry',
    );
    await world.advance(1_000);
    equal(world.seen.length, 2);
    ok(s.current !== null, 'recovered');
  });

  it('after a forward jump, a failed refresh leaves still-valid tokens current (the error answer tells the time)', async () => {
    const win = new EventTarget();
    world.respond = (_body, n) => (n === 1 ? answerJwt() : world.answer({ error: { code: 'down' } }, { status: 503 }));
    const s = world.session({ wakeTargets: { window: win } });
    const first = await s.get();
    await world.advance(60_000);
    await world.step(HOUR);
    win.dispatchEvent(new Event('focus'));
    await flush();
    equal(world.seen.length, 2, 'the jump made the session check with the server at once');
    const last = world.events.at(-1);
    ok(last?.type === 'error', 'the failure is reported');
    const current = s.current;
    ok(current !== null && current.tokens === first.tokens, 'the still-valid tokens stay current');
    const left = current.expiresAt! - Date.now();
    ok(left > 235_000 && left <= 240_000, `expires in ${left} ms on the (jumped) page clock`);
    equal(world.events.filter((e) => e.type === 'tokens').length, count(world, 'expired') + 1, 'shown again if hidden');
    equal((await s.get()).tokens, first.tokens, 'get() hands them out');
  });
});
