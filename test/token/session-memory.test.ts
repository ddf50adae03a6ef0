// A session lives as long as its page; the requests it makes must not. Chromium keeps an
// AbortSignal.any() signal alive while it has listeners and its sources live, so this checks, with
// the garbage collector (Chromium runs with --expose-gc here), that each request's signal is freed.
import '../helpers/mocha-globals.js';
import { TokenSession } from '../../src/token/session.js';
import { ok } from '../helpers/assert.js';
import { FakeClock } from '../helpers/fake-clock.js';

declare const gc: () => void;

const REQUESTS = 300;

describe('TokenSession memory', () => {
  it("keeps nothing of its finished identity requests while it lives (each request's abort signal is freed)", async () => {
    let freed = 0;
    const registry = new FinalizationRegistry(() => freed++);
    const session = new TokenSession({
      fetchTokens: async ({ signal }) => {
        registry.register(signal, null);
        return { vendor: 'vizzly', tokens: { t: 'opaque' }, expiresIn: 600, receivedAt: Date.now() };
      },
      clock: new FakeClock(Date.now()),
      wakeTargets: null,
    });
    try {
      for (let i = 0; i < REQUESTS; i++) await session.refresh();
      for (let round = 0; round < 10 && freed < REQUESTS - 1; round++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // The last request's signal may still be referenced from the engine's last answer.
      ok(freed >= REQUESTS - 1, `${freed} of ${REQUESTS} request signals freed while the session lives`);
    } finally {
      session.dispose();
    }
  });
});
