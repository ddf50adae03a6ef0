// How soon a session notices a clock change that no event announces: a wall clock stepped forward or
// a sleep without a wake-up event shows only at the session's next timer. With long-lived tokens
// (Vizzly's 30 minutes) that timer must still come within 30 s, not at an eighth of the time left.
import { equal, ok } from '../helpers/assert.js';
import { makeJwt } from '../helpers/jwt.js';
import { useTimeWorld, type World } from './time-world.js';

const HOUR = 3_600_000;
/** What the Vizzly adapter asks for: one 300 s pull plus a 60 s margin. */
const VIZZLY_MIN_VALIDITY_MS = 360_000;

/** A 30-minute JWT issued now on the server's (true) clock. */
function jwt(world: World): string {
  const iat = Math.floor(world.trueNow() / 1000);
  return makeJwt({ iat, exp: iat + 1800 });
}

describe('TokenSession: clock changes without a wake-up event, 30-minute tokens', () => {
  const world = useTimeWorld();

  it('a wall clock stepped an hour ahead is acted on within 30 s: tokens expire once and are refreshed at once', async () => {
    world.respond = () => world.answer({ vendor: 'vizzly', tokens: { t: jwt(world) } });
    const s = world.session({ wakeTargets: null });
    await s.get({ minValidityMs: VIZZLY_MIN_VALIDITY_MS });
    await world.advance(60_000);
    await world.step(HOUR);
    await world.advance(30_000);
    equal(world.seen.length, 2, 'the jump was noticed by the next timer and new tokens were asked for');
    ok(s.current !== null, 'the new tokens are held');
    const expiries = world.events.filter((event) => event.type === 'expired').length;
    ok(expiries <= 1, `expired at most once, got ${expiries}`);
  });

  it('a sleep past expiry with no wake-up event: expired and refreshed within 30 s of waking', async () => {
    world.respond = () => world.answer({ vendor: 'vizzly', tokens: { t: jwt(world) } });
    const s = world.session({ wakeTargets: null });
    await s.get({ minValidityMs: VIZZLY_MIN_VALIDITY_MS });
    await world.advance(60_000);
    await world.sleep(30 * 60_000); // asleep from 60 s to 1,860 s: the tokens expired at 1,800 s
    await world.advance(30_000);
    equal(world.seen.length, 2, 'refreshed within 30 s of waking, not minutes later');
    ok(s.current !== null, 'the new tokens are held');
  });
});
