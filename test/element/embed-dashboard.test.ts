import '../helpers/mocha-globals.js';
import { HttpResponse } from 'msw';
import '../../src/define.js';
import './test-vendor.js';
import { liveSessionCount } from '../../src/token/registry.js';
import { deepEqual, equal, match, ok, waitFor } from '../helpers/assert.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { trackListeners } from '../helpers/listeners.js';
import { create, elementTestHooks, embedText, ok600, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('element');

describe('<embed-dashboard>', () => {
  let clock: FakeClock;

  elementTestHooks({
    beforeEach: () => {
      clock = new FakeClock(Date.now());
    },
  });

  it('first load: loading state with role=status, then ready with the vendor embed', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600('first'));
    const events: string[] = [];
    const element = document.createElement('embed-dashboard');
    for (const type of ['embed-token', 'embed-ready', 'embed-error'])
      element.addEventListener(type, () => events.push(type));
    Object.assign(element, { vendor: 'test-vendor', identityUrl: url, dashboardId: 'd1' });
    document.body.append(element);
    await element.updateComplete;
    equal(element.getAttribute('state'), 'loading');
    equal(element.getAttribute('aria-busy'), 'true');
    ok(element.shadowRoot!.querySelector('[role="status"]'), 'a status message while loading');
    await waitFor(() => element.state === 'ready', 'ready');
    equal(embedText(element), 'first');
    deepEqual(events, ['embed-token', 'embed-ready']);
    equal(element.hasAttribute('aria-busy'), false);
    deepEqual(seen[0]!.body, { vendor: 'test-vendor', dashboardId: 'd1', context: {} });
  });

  it('embed-token carries the expiry, never the tokens; events bubble and are composed', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => ok600('secret-token-value'));
    let detail: unknown;
    let composed = false;
    document.body.addEventListener(
      'embed-token',
      (event) => {
        detail = event.detail;
        composed = event.composed;
      },
      { once: true },
    );
    create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
    await waitFor(() => detail !== undefined, 'embed-token at the body');
    ok(composed);
    ok(!JSON.stringify(detail).includes('secret-token-value'), 'no token in the event');
    deepEqual(detail, { expiresAt: clock.now() + 600_000, lifetimeMs: 600_000, source: 'expiresIn' });
  });

  it('new tokens reach the embed through update(), without a remount', async () => {
    const url = uniqueUrl();
    mockIdentity(url, (_b, i) => ok600(`v${i}`));
    const element = create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
    await waitFor(() => element.state === 'ready', 'ready');
    await clock.advance(480_000);
    await waitFor(() => embedText(element) === 'v2', 'rotated token');
    equal(record.mounts, 1);
    equal(record.destroys, 0);
    deepEqual(record.updates, [{ t: 'v2' }]);
  });

  it('50 elements with one key share one session: one request per refresh, and all of it is released', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, (_b, i) => ok600(`v${i}`));
    const before = liveSessionCount();
    const elements = Array.from({ length: 50 }, () =>
      create({ vendor: 'test-vendor', 'identity-url': url, 'dashboard-id': 'same' }, { sessionOptions: { clock } }),
    );
    await waitFor(() => elements.every((e) => e.state === 'ready'), 'all ready');
    equal(seen.length, 1);
    equal(liveSessionCount(), before + 1);
    await clock.advance(480_000);
    await waitFor(() => elements.every((e) => embedText(e) === 'v2'), 'all rotated');
    equal(seen.length, 2);
    for (const element of elements) element.remove();
    await settle();
    equal(liveSessionCount(), before);
    equal(clock.pending, 0, 'no timers left');
    equal(record.destroys, 50);
  });

  it('removal releases every timer and wake-up listener it added', async () => {
    const listeners = trackListeners(window, document);
    try {
      const url = uniqueUrl();
      mockIdentity(url, () => ok600());
      const element = create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
      await waitFor(() => element.state === 'ready', 'ready');
      ok(listeners.active('online').length > 0, 'the session listens for wake-ups');
      element.remove();
      await settle();
      for (const type of ['online', 'focus', 'pageshow', 'visibilitychange'])
        deepEqual(listeners.active(type), [], `${type} listeners left`);
      equal(clock.pending, 0, 'timers left');
      equal(record.destroys, 1);
    } finally {
      listeners.restore();
    }
  });

  it('moving the element (removed and re-inserted in the same task) makes one request and one live embed', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const element = create({ vendor: 'test-vendor', 'identity-url': url });
    element.remove();
    document.body.append(element);
    await waitFor(() => element.state === 'ready', 'ready');
    await settle();
    equal(seen.length, 1);
    equal(record.mounts - record.destroys, 1);
    equal(element.querySelectorAll('.test-embed').length, 1);
  });

  it('re-insertion after removal works', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => ok600());
    const element = create({ vendor: 'test-vendor', 'identity-url': url });
    await waitFor(() => element.state === 'ready', 'ready');
    element.remove();
    await settle();
    document.body.append(element);
    await waitFor(() => element.state === 'ready' && embedText(element) === 'a', 'ready again');
    equal(record.mounts - record.destroys, 1);
  });

  it('changing dashboard-id, vendor-options or context re-mounts cleanly with the new inputs', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, (body) => ok600(String(body.dashboardId)));
    const element = create({ vendor: 'test-vendor', 'identity-url': url, 'dashboard-id': 'one' });
    await waitFor(() => embedText(element) === 'one', 'first dashboard');
    element.setAttribute('dashboard-id', 'two');
    await waitFor(() => embedText(element) === 'two', 'second dashboard');
    equal(record.destroys, 1);
    equal(element.querySelectorAll('.test-embed').length, 1);
    element.setAttribute('vendor-options', '{"theme":"dark"}');
    await waitFor(() => record.mounts === 3 && element.state === 'ready', 'remount on options');
    deepEqual(record.contexts.at(-1)!.options, { theme: 'dark' });
    element.context = { region: 'eu' };
    await waitFor(
      () => seen.some((s) => (s.body.context as { region?: string }).region === 'eu'),
      'request with new context',
    );
  });

  it('a new but equal context or options object does not re-mount; a different one does', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const element = create(
      { vendor: 'test-vendor', 'identity-url': url },
      { context: { region: 'eu', tier: 1 }, options: { theme: 'dark' } },
    );
    await waitFor(() => element.state === 'ready', 'ready');
    element.context = { tier: 1, region: 'eu' };
    element.options = { theme: 'dark' };
    await element.updateComplete;
    await settle();
    equal(record.mounts, 1, 'no remount for equal values');
    element.context = { region: 'us', tier: 1 };
    await waitFor(() => record.mounts === 2 && element.state === 'ready', 'remount for a new region');
    equal(seen.length, 2);
  });

  it('401: error state with the server message, no retries; refresh() recovers', async () => {
    const url = uniqueUrl();
    let allowed = false;
    const seen = mockIdentity(url, () =>
      allowed ? ok600('in') : json({ error: { code: 'unauthenticated', message: 'Please sign in' } }, { status: 401 }),
    );
    const element = create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
    await waitFor(() => element.state === 'error', 'error');
    equal(element.error?.status, 401);
    await element.updateComplete;
    match(element.shadowRoot!.querySelector('[role="alert"]')!.textContent!, /Please sign in/);
    await clock.advance(600_000);
    equal(seen.length, 1);
    allowed = true;
    await element.refresh();
    await waitFor(() => element.state === 'ready' && embedText(element) === 'in', 'ready after refresh()');
  });

  it('a failing first load keeps retrying and mounts once the endpoint recovers', async () => {
    const url = uniqueUrl();
    mockIdentity(url, (_b, i) => (i === 1 ? HttpResponse.error() : ok600('late')));
    const element = create(
      { vendor: 'test-vendor', 'identity-url': url },
      { sessionOptions: { clock, random: () => 1 } },
    );
    await waitFor(() => element.state === 'error', 'error');
    equal(element.error?.code, 'network');
    await clock.advance(1_000);
    await waitFor(() => element.state === 'ready' && embedText(element) === 'late', 'ready');
  });

  it('expired tokens hide the embed until new ones arrive', async () => {
    const url = uniqueUrl();
    let down = false;
    mockIdentity(url, () => (down ? HttpResponse.error() : ok600('fresh')));
    const element = create(
      { vendor: 'test-vendor', 'identity-url': url },
      { sessionOptions: { clock, retryMaxMs: 1_000_000, retryBaseMs: 1_000_000, random: () => 1 } },
    );
    await waitFor(() => element.state === 'ready', 'ready');
    let expired = 0;
    let failed = 0;
    element.addEventListener('embed-expired', () => expired++);
    element.addEventListener('embed-error', () => failed++);
    down = true;
    await clock.advance(480_000);
    await waitFor(() => failed === 1, 'refresh failed');
    equal(element.state, 'ready', 'still valid tokens keep the dashboard up');
    await clock.advance(120_000);
    await waitFor(() => element.state === 'expired', 'expired');
    equal(expired, 1);
    await element.updateComplete;
    const embed = element.shadowRoot!.querySelector<HTMLElement>('[part="embed"]')!;
    equal(getComputedStyle(embed).visibility, 'hidden');
    down = false;
    await element.refresh();
    await waitFor(() => element.state === 'ready', 'ready again');
    equal(getComputedStyle(embed).visibility, 'visible');
  });

  it('fetchTokens property replaces the identity URL', async () => {
    const calls: unknown[] = [];
    const element = create(
      { vendor: 'test-vendor', 'dashboard-id': 'd' },
      {
        fetchTokens: async ({ vendor, dashboardId, context }) => {
          calls.push({ vendor, dashboardId, context });
          return { tokens: { t: 'from-app' }, expiresIn: 600 };
        },
      },
    );
    await waitFor(() => embedText(element) === 'from-app', 'mounted');
    deepEqual(calls, [{ vendor: 'test-vendor', dashboardId: 'd', context: {} }]);
  });

  it('sends extra headers and the credentials mode', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const element = create(
      { vendor: 'test-vendor', 'identity-url': url, credentials: 'include' },
      { headers: () => ({ 'x-csrf-token': 'abc' }) },
    );
    await waitFor(() => element.state === 'ready', 'ready');
    equal(seen[0]!.headers.get('x-csrf-token'), 'abc');
    equal(seen[0]!.credentials, 'include');
  });

  it('slotted loading and error content replaces the defaults', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => json({ error: { code: 'nope', message: 'denied' } }, { status: 403 }));
    const element = document.createElement('embed-dashboard');
    element.innerHTML = '<p slot="loading">Wait…</p><p slot="error">Custom error</p>';
    Object.assign(element, { vendor: 'test-vendor', identityUrl: url });
    document.body.append(element);
    await element.updateComplete;
    const slot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="loading"]')!;
    equal(slot.assignedElements()[0]?.textContent, 'Wait…');
    await waitFor(() => element.state === 'error', 'error');
    await element.updateComplete;
    const errorSlot = element.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="error"]')!;
    equal(errorSlot.assignedElements()[0]?.textContent, 'Custom error');
  });
});
