// The debug switch: the token life cycle on the console, never the tokens.
import '../helpers/mocha-globals.js';
import { HttpResponse } from 'msw';
import '../../src/define.js';
import './test-vendor.js';
import { equal, ok, waitFor } from '../helpers/assert.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { create, elementTestHooks, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';
import { captureConsoleInfo } from '../helpers/console-lines.js';

const uniqueUrl = uniqueUrls('debug');
const SECRET = 'tok-9f8e7d-secret';

describe('<embed-dashboard debug>', () => {
  let clock: FakeClock;
  const { lines, has } = captureConsoleInfo();

  elementTestHooks({
    beforeEach: () => {
      clock = new FakeClock(Date.UTC(2026, 11, 1, 12));
    },
  });

  function answer(down: () => boolean) {
    return () =>
      down()
        ? json({ error: { code: 'busy', message: 'try later' } }, { status: 503 })
        : json({ vendor: 'test-vendor', tokens: { t: SECRET, other: SECRET }, expiresIn: 600 });
  }

  it('logs requests, tokens with expiry and the refresh scheduled, errors, expiry and unmount; never a token', async () => {
    const url = uniqueUrl();
    let down = false;
    mockIdentity(
      url,
      answer(() => down),
    );
    const element = create(
      { vendor: 'test-vendor', 'identity-url': url, 'dashboard-id': 'd1', debug: '' },
      { sessionOptions: { clock, random: () => 1, retryBaseMs: 1_000_000, retryMaxMs: 1_000_000 } },
    );
    await waitFor(() => element.state === 'ready', 'ready');
    // The lines' words are a lazy chunk: what happened before it arrived comes out, in order, once it has.
    await waitFor(() => has('embed mounted: ready'), 'mounted');
    ok(
      lines.every((line) => line.startsWith('[embed-dashboard test-vendor/d1] ')),
      'labelled lines',
    );
    const order = ['mounting test-vendor', 'identity request started (initial)', 'tokens received', 'embed mounted'];
    const at = order.map((text) => lines.findIndex((line) => line.includes(text)));
    ok(
      at.every((index, i) => index >= 0 && (i === 0 || index > at[i - 1]!)),
      `every line, in order: ${lines.join(' | ')}`,
    );
    ok(has('tokens received (t, other); expire 2026-12-01T12:10:00.000Z (in 600 s, from expiresIn)'), 'expiry');
    ok(has('refresh scheduled by 2026-12-01T12:08:00.000Z (in 480 s at the latest)'), 'the refresh scheduled');
    down = true;
    await clock.advance(480_000);
    await waitFor(() => has('error http'), 'the failed refresh');
    ok(has('identity request started (refresh)'), 'refresh started');
    await clock.advance(120_000);
    await waitFor(() => has('tokens expired at 2026-12-01T12:10:00.000Z'), 'expiry');
    element.remove();
    await waitFor(() => has('unmounted'), 'unmount');
    ok(!lines.some((line) => line.includes(SECRET)), 'no token in any line');
  });

  it('logs nothing without debug; switching it on logs from then on without a re-mount', async () => {
    const url = uniqueUrl();
    mockIdentity(
      url,
      answer(() => false),
    );
    const element = create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
    await waitFor(() => element.state === 'ready', 'ready');
    await settle();
    equal(lines.length, 0);
    element.debug = true;
    await element.updateComplete;
    await clock.advance(480_000);
    await waitFor(() => has('tokens received'), 'logged after the switch');
    equal(record.mounts, 1, 'no re-mount');
    element.removeAttribute('debug');
    await element.updateComplete;
    equal(element.debug, false);
    const count = lines.length;
    await clock.advance(480_000);
    await settle();
    equal(lines.length, count, 'silent again');
  });

  it('sessionOptions.debug works too, and a debugging element hears the requests of a session another element made', async () => {
    const url = uniqueUrl();
    mockIdentity(
      url,
      answer(() => false),
    );
    const same = { vendor: 'test-vendor', 'identity-url': url, 'dashboard-id': 's' };
    const quiet = create(same, { sessionOptions: { clock } });
    const loud = create(same, { sessionOptions: { clock, debug: true } });
    await waitFor(() => quiet.state === 'ready' && loud.state === 'ready', 'ready');
    await waitFor(() => has('tokens received'), 'the tokens of the session the quiet element made');
    await clock.advance(480_000);
    await waitFor(() => has('identity request started (refresh)'), 'the refresh');
  });

  it('logs invalid inputs and mount failures', async () => {
    create({ 'identity-url': '/x', debug: '' });
    await waitFor(() => has('invalid input (vendor)'), 'invalid input');
    const url = uniqueUrl();
    mockIdentity(url, () => HttpResponse.json({ vendor: 'broken-vendor', tokens: { t: SECRET }, expiresIn: 600 }));
    create({ vendor: 'broken-vendor', 'identity-url': url, debug: '' }, { sessionOptions: { clock } });
    await waitFor(() => has('mount failed (attempt 1; retry in'), 'mount failure with its retry');
    ok(!lines.some((line) => line.includes(SECRET)), 'no token in any line');
  });
});
