// The soak's short form in Chromium: two seeded days of every fault (see bench/soak-sim.ts; the
// 30-day run is `node --import tsx bench/soak.ts`). Its "must be 0" figures are asserted.
import '../helpers/mocha-globals.js';
import { runSoak } from '../../bench/soak-sim.js';
import { equal, ok } from '../helpers/assert.js';

describe('TokenSession soak (2 simulated days, seeded)', () => {
  it('never hands over or holds expired tokens while the endpoint could answer, and leaves nothing behind', async function (this: {
    timeout(ms: number): void;
  }) {
    this.timeout(120_000);
    const figures = await runSoak({ days: 2, seed: 9 });
    console.log(`soak: ${JSON.stringify(figures)}`);
    ok(
      figures.sleeps >= 10 && figures.jumps >= 5 && figures.outages >= 1,
      `every fault happened: ${JSON.stringify(figures)}`,
    );
    equal(figures.handedExpiredWhileUp, 0, 'tokens handed over after expiry while the endpoint could answer');
    equal(figures.expiredHeldMs, 0, 'expired-held time not excused by an endpoint failure');
    equal(figures.timersLeft, 0, 'timers left');
    equal(figures.listenersLeft, 0, 'listeners left');
    equal(figures.sessionsLeft, 0, 'sessions left');
  });
});
