// The demo's DataBrain plugin stand-in (demo/standin-apis/databrain-plugin.js) behaves like the real
// 0.12.9 where the adapter relies on it (see databrain.test.ts for the real plugin): one dashboard
// load, a refused token tried 4 times and then "Invalid token or Dashboard id" for good, no new load
// on a new token, no server event; and the adapter recovers it the same way. Its API is mocked by msw.
// The waits are the stand-in's own 1 + 2 + 4 s retry schedule, like the plugin's.
import '../helpers/mocha-globals.js';
import { http, HttpResponse } from 'msw';
import { startWorker, worker } from '../helpers/msw.js';
import { deepEqual, equal, ok, waitFor } from '../helpers/assert.js';
import databrain, { DEFAULT_REFUSAL_TEXT, showsText } from '../../src/vendors/databrain.js';
import { createFakeContext } from './fake-context.js';
import { mountsPerTest, pause } from './iframe-test-utils.js';

const ACCEPTED = new Set(['guest-ok']);
const verified: string[] = [];
const verifyHandler = http.post('/standin-api/databrain/standin/verify', async ({ request }) => {
  const { token } = (await request.json()) as { token: string };
  verified.push(token);
  if (!ACCEPTED.has(token))
    return HttpResponse.json({ error: { code: 'TOKEN_EXPIRED', message: 'Unknown guest token.' } }, { status: 401 });
  return HttpResponse.json({ valid: true, dashboardId: 'dash-1', clientId: 'c', expiresAt: null });
});
const moduleUrl = new URL('/demo/standin-apis/databrain-plugin.js', location.origin).href;
const mounts = mountsPerTest();

interface Standin {
  standin: { queries: number; refused: boolean; tokens: string[] };
}

before(async () => {
  await startWorker();
  worker.use(verifyHandler);
});

describe('the demo DataBrain plugin stand-in (like 0.12.9)', () => {
  it('gives up on a refused token after 4 tries, ignores a later token and raises no event; the adapter recovers', async function (this: {
    timeout(ms: number): void;
  }) {
    this.timeout(30_000);
    const events: unknown[] = [];
    (window as unknown as Record<string, unknown>)['standinEvents'] = (event: unknown) => events.push(event);
    const fake = createFakeContext({
      tokens: { token: 'guest-old' },
      options: { moduleUrl, handleServerEvent: 'standinEvents' },
      dashboardId: 'dash-1',
      onRefreshTokens: () => ({ token: 'guest-ok' }),
    });
    // The stand-in alone, and the adapter with it, side by side (one wait for both).
    await import(moduleUrl);
    const alone = document.createElement('dbn-dashboard') as HTMLElement & Standin;
    alone.setAttribute('token', 'guest-alone');
    alone.setAttribute('dashboard-id', 'dash-1');
    alone.setAttribute('handle-server-event', 'standinEvents');
    mounts.container().append(alone);
    const container = mounts.container();
    mounts.track(await databrain.mount(container, fake.context));
    const first = container.firstElementChild as HTMLElement & Standin;

    // Like the plugin: 4 tries with the same token, then the refusal text; a new token changes nothing.
    await waitFor(() => alone.standin.refused, 'the stand-in to give up', 15_000);
    deepEqual(
      verified.filter((token) => token === 'guest-alone'),
      ['guest-alone', 'guest-alone', 'guest-alone', 'guest-alone'],
    );
    ok(showsText(alone.shadowRoot!, DEFAULT_REFUSAL_TEXT));
    const queries = alone.standin.queries;
    ACCEPTED.add('guest-later');
    alone.setAttribute('token', 'guest-later');
    await pause();
    equal(alone.standin.queries, queries, 'no new load on a new token');
    ok(!verified.includes('guest-later'));
    deepEqual(events, [], 'no server event');

    // The adapter saw the same text on its element: fresh tokens and a new element, which loads with them.
    await waitFor(() => container.firstElementChild !== first, 'a new element');
    ok(!first.isConnected);
    deepEqual(
      verified.filter((token) => token === 'guest-old'),
      ['guest-old', 'guest-old', 'guest-old', 'guest-old'],
    );
    const next = container.firstElementChild as HTMLElement & Standin;
    equal(next.getAttribute('token'), 'guest-ok');
    await waitFor(() => verified.includes('guest-ok'), 'the fresh token to be used');
    await waitFor(() => next.standin.queries === 1 && !next.standin.refused, 'the new element loaded');
    equal(fake.calls.refreshTokens, 1);
    deepEqual(events, [], 'still no server event');
    delete (window as unknown as Record<string, unknown>)['standinEvents'];
  });
});
