// TokenSession's `debug` option: the token life cycle on the console, never the tokens.
import '../helpers/mocha-globals.js';
import { consoleDebugLog } from '../../src/debug/console.js';
import type { DebugEntry } from '../../src/debug/lines.js';
import { equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { useSessionHarness } from './session-harness.js';
import { captureConsoleInfo } from '../helpers/console-lines.js';

const SECRET = 'tok-3c2b1a-secret';

describe('TokenSession: the debug option', () => {
  const h = useSessionHarness('/api/session-debug/identity');
  const { lines, has } = captureConsoleInfo();

  it('consoleDebugLog writes requests, tokens with the refresh planned, errors, expiry and dispose; never a token', async () => {
    let down = false;
    mockIdentity(h.url, () =>
      down
        ? json({ error: { code: 'busy', message: 'try later' } }, { status: 503 })
        : json({ vendor: 'vizzly', tokens: { t: SECRET }, expiresIn: 600 }),
    );
    const session = h.session({ debug: consoleDebugLog('orders'), retryBaseMs: 1_000_000, retryMaxMs: 1_000_000 });
    const start = h.clock.now();
    await session.get();
    ok(lines.length > 0 && lines.every((line) => line.startsWith('[embed-dashboard orders] ')), 'labelled lines');
    ok(has('identity request started (initial)'), 'the request');
    const expires = new Date(start + 600_000).toISOString();
    const refresh = new Date(start + 480_000).toISOString();
    ok(
      has(`tokens received (t); expire ${expires} (in 600 s, from expiresIn); refresh scheduled by ${refresh}`),
      lines.join(' | '),
    );
    down = true;
    await h.clock.advance(480_000);
    await waitFor(() => has('error http (attempt 1; retry in 1000 s)'), 'the failed refresh');
    ok(has('identity request started (refresh)'), 'the refresh');
    await h.clock.advance(120_000);
    ok(has(`tokens expired at ${expires}`), 'expiry');
    session.dispose();
    ok(has('session disposed'), 'dispose');
    ok(!lines.some((line) => line.includes(SECRET)), 'no token in any line');
  });

  it("follows the session's own schedule, and labels lines 'session' by default", async () => {
    mockIdentity(h.url, () => json({ vendor: 'vizzly', tokens: { t: SECRET }, expiresIn: 600 }));
    const start = h.clock.now();
    await h.session({ debug: consoleDebugLog(), refreshRatio: 0.5 }).get();
    ok(has(`[embed-dashboard session] tokens received`), lines.join(' | '));
    ok(has(`refresh scheduled by ${new Date(start + 300_000).toISOString()}`), lines.join(' | '));
  });

  it('any function can be the log: it is told each step with the time and the schedule', async () => {
    mockIdentity(h.url, () => json({ error: { code: 'nope', message: 'signed out' } }, { status: 401 }));
    const told: Array<[DebugEntry['type'], number, number | undefined]> = [];
    const session = h.session({
      debug: (entry, now, schedule) => told.push([entry.type, now, schedule.marginMs]),
      marginMs: 90_000,
    });
    await rejects(session.get());
    const now = h.clock.now();
    equal(
      JSON.stringify(told),
      JSON.stringify([
        ['request', now, 90_000],
        ['error', now, 90_000],
      ]),
    );
    equal(lines.length, 0, 'nothing on the console but what the log writes');
  });
});
