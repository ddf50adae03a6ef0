// The element's life cycle: what re-mounts, what a session is keyed by, moves, retries, read-only outputs.
import '../helpers/mocha-globals.js';
import { http, HttpResponse } from 'msw';
import '../../src/define.js';
import './test-vendor.js';
import { EmbedDashboard } from '../../src/element/embed-dashboard.js';
import { EmbedError } from '../../src/errors.js';
import { liveSessionCount } from '../../src/token/registry.js';
import { registerVendor } from '../../src/vendors/registry.js';
import { loadScript } from '../../src/vendors/script-loader.js';
import type { EmbedErrorDetail } from '../../src/element/events.js';
import { deepEqual, equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { mockIdentity } from '../helpers/identity-mock.js';
import { worker } from '../helpers/msw.js';
import { create, elementTestHooks, embedText, ok600, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('lifecycle');
let scripts = 0;

// An adapter whose vendor script is served by msw (a fresh URL per test: loaded scripts are cached).
let scriptUrl = '';
registerVendor('script-vendor', async () => ({
  async mount(container, context) {
    await loadScript(scriptUrl, { signal: context.signal });
    const view = document.createElement('div');
    view.className = 'test-embed';
    view.textContent = String(context.grant.tokens.t);
    container.append(view);
    return { update: () => {}, destroy: () => view.remove() };
  },
}));

registerVendor('plain-vendor', async () => ({
  mount: (container) => {
    container.textContent = 'plain';
    return { update: () => {}, destroy: () => container.replaceChildren() };
  },
}));

describe('<embed-dashboard> life cycle', () => {
  let clock: FakeClock;

  elementTestHooks({
    beforeEach: () => {
      clock = new FakeClock(Date.now());
    },
  });

  it('every declared input re-mounts when set to a different value; debug re-mounts nothing', async () => {
    const url = uniqueUrl();
    const other = uniqueUrl();
    const answer = (body: Record<string, unknown>) =>
      new HttpResponse(JSON.stringify({ vendor: body.vendor, tokens: { t: 'a' }, expiresIn: 600 }), {
        headers: { 'content-type': 'application/json' },
      });
    mockIdentity(url, answer);
    mockIdentity(other, answer);
    const changes: Record<string, unknown> = {
      vendor: 'plain-vendor',
      identityUrl: other,
      dashboardId: 'other',
      vendorOptions: '{"a":1}',
      credentials: 'include',
      context: { a: 1 },
      options: { b: 2 },
      headers: { 'x-a': '1' },
      sessionOptions: { timeoutMs: 9_000 },
      share: 'tabs',
      fetchTokens: async () => ({ tokens: { t: 'f' }, expiresIn: 600 }),
    };
    deepEqual(Object.keys(changes).sort(), [...EmbedDashboard.inputs].sort(), 'one change per declared input');
    let readies = 0;
    const element = document.createElement('embed-dashboard');
    element.addEventListener('embed-ready', () => readies++);
    Object.assign(element, { vendor: 'test-vendor', identityUrl: url });
    document.body.append(element);
    await waitFor(() => readies === 1, 'ready');
    for (const [name, value] of Object.entries(changes)) {
      Object.assign(element, { [name]: value });
      await waitFor(() => readies === 2 + Object.keys(changes).indexOf(name), `a re-mount for ${name}`);
    }
    element.debug = true;
    await element.updateComplete;
    await settle();
    equal(readies, 1 + Object.keys(changes).length, 'no re-mount for debug');
  });

  it('changing headers re-mounts and sends the new headers, in refreshes too', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, (_b, i) => ok600(`v${i}`));
    const element = create(
      { vendor: 'test-vendor', 'identity-url': url },
      { headers: { 'x-csrf-token': 'one' }, sessionOptions: { clock } },
    );
    await waitFor(() => element.state === 'ready', 'ready');
    element.headers = { 'x-csrf-token': 'two' };
    await waitFor(() => seen.length === 2 && element.state === 'ready', 'a request with the new headers');
    equal(seen[1]!.headers.get('x-csrf-token'), 'two');
    await clock.advance(480_000);
    await waitFor(() => seen.length === 3, 'the refresh');
    equal(seen[2]!.headers.get('x-csrf-token'), 'two');
    equal(seen[2]!.body.action, 'refresh');
  });

  it('elements with the same endpoint but other headers each send their own; equal headers share', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const same = { vendor: 'test-vendor', 'identity-url': url, 'dashboard-id': 'd' };
    const a = create(same, { headers: { 'x-user': 'a' } });
    const b = create(same, { headers: { 'x-user': 'b' } });
    const c = create(same, { headers: { 'x-user': 'a' } });
    await waitFor(() => [a, b, c].every((e) => e.state === 'ready'), 'all ready');
    await settle();
    deepEqual(seen.map((s) => s.headers.get('x-user')).sort(), ['a', 'b']);
  });

  it('moving a mounted element keeps its session and embed: no new identity request, no re-mount', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const element = create({ vendor: 'test-vendor', 'identity-url': url });
    await waitFor(() => element.state === 'ready', 'ready');
    const sessions = liveSessionCount();
    const parent = document.createElement('section');
    document.body.append(parent);
    parent.append(element);
    await settle();
    await element.updateComplete;
    equal(seen.length, 1, 'identity requests');
    equal(record.mounts, 1);
    equal(record.destroys, 0);
    equal(liveSessionCount(), sessions);
    equal(element.state, 'ready');
    equal(embedText(element), 'a');
  });

  it("moveBefore() keeps everything without a disconnect, the embed's iframes included", async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const element = create({ vendor: 'test-vendor', 'identity-url': url });
    await waitFor(() => element.state === 'ready', 'ready');
    const iframe = document.createElement('iframe');
    element.querySelector('[slot="embed"]')!.append(iframe);
    await waitFor(() => iframe.contentDocument?.readyState === 'complete', 'iframe loaded');
    (iframe.contentWindow as unknown as { mark: string }).mark = 'alive';
    const first = document.createElement('p');
    document.body.prepend(first);
    (document.body as HTMLElement & { moveBefore(node: Node, child: Node | null): void }).moveBefore(element, first);
    await settle();
    equal(document.body.firstElementChild, element);
    equal((iframe.contentWindow as unknown as { mark?: string }).mark, 'alive', 'the iframe was not reloaded');
    equal(seen.length, 1);
    equal(record.destroys, 0);
    equal(element.state, 'ready');
  });

  it('context is a snapshot: mutating it in place changes no later request; a new object re-mounts', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600());
    const context = { region: 'eu' };
    const element = create({ vendor: 'test-vendor', 'identity-url': url }, { context, sessionOptions: { clock } });
    await waitFor(() => element.state === 'ready', 'ready');
    context.region = 'us';
    await clock.advance(480_000);
    await waitFor(() => seen.length === 2, 'the refresh');
    deepEqual(seen[1]!.body.context, { region: 'eu' }, 'the refresh of the eu session');
    // A new object equal to the mutated one differs from the snapshot: it re-mounts.
    element.context = { region: 'us' };
    await waitFor(() => seen.length === 3 && element.state === 'ready', 'a request for us');
    deepEqual(seen[2]!.body.context, { region: 'us' });
    equal(record.mounts, 2);
  });

  it('a vendor script that fails once (503) is retried with backoff, without waiting for a token refresh', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => json600());
    scriptUrl = `/vendor-script-${++scripts}.js`;
    let served = 0;
    worker.use(
      http.get(scriptUrl, () =>
        ++served === 1
          ? new HttpResponse('busy', { status: 503 })
          : new HttpResponse('window.__scriptVendor = true;', { headers: { 'content-type': 'text/javascript' } }),
      ),
    );
    const errors: EmbedErrorDetail[] = [];
    const element = document.createElement('embed-dashboard');
    element.addEventListener('embed-error', (e) => errors.push(e.detail));
    Object.assign(element, { vendor: 'script-vendor', identityUrl: url, sessionOptions: { clock, random: () => 1 } });
    document.body.append(element);
    await waitFor(() => element.state === 'error', 'error after the 503');
    equal(errors.length, 1);
    equal(errors[0]!.code, 'vendor');
    equal(errors[0]!.retriable, true);
    equal(errors[0]!.nextRetryAt, clock.now() + 1_000, 'first backoff step');
    await clock.advance(1_000);
    await waitFor(() => element.state === 'ready', 'ready after the retry');
    equal(served, 2);
    equal(seen.length, 1, 'the tokens held were reused');
    element.remove();
    await settle();
    equal(clock.pending, 0, 'no retry timer left');
  });

  it('a mount that keeps failing backs off and stops retrying on removal', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => json600());
    scriptUrl = `/vendor-script-${++scripts}.js`;
    let served = 0;
    worker.use(http.get(scriptUrl, () => (served++, new HttpResponse('down', { status: 503 }))));
    const attempts: Array<number | null> = [];
    const element = document.createElement('embed-dashboard');
    element.addEventListener('embed-error', (e) => attempts.push(e.detail.attempt));
    Object.assign(element, { vendor: 'script-vendor', identityUrl: url, sessionOptions: { clock, random: () => 1 } });
    document.body.append(element);
    await waitFor(() => attempts.length === 1, 'first failure');
    await clock.advance(1_000);
    await waitFor(() => attempts.length === 2, 'second failure');
    equal(element.error?.code, 'vendor');
    await clock.advance(1_999);
    equal(served, 2, 'the second backoff step is 2 s');
    element.remove();
    await settle();
    await clock.advance(60_000);
    equal(served, 2, 'no retry after removal');
    deepEqual(attempts, [1, 2]);
  });

  it('refresh() rejects with an EmbedError when there is nothing to refresh', async () => {
    const detached = document.createElement('embed-dashboard');
    const notConnected = await rejects(detached.refresh());
    ok(notConnected instanceof EmbedError, 'an EmbedError');
    equal(notConnected.code, 'disposed');
    const invalid = create({ 'identity-url': '/x' });
    await waitFor(() => invalid.state === 'error', 'error');
    const error = await rejects(invalid.refresh());
    ok(error instanceof EmbedError, 'an EmbedError');
    equal(error.code, 'invalid-attribute');
    equal(error.attribute, 'vendor');
  });

  it('state and error are read-only: setting them, or the state attribute, changes nothing', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => new HttpResponse('{}', { status: 403 }));
    const element = create({ vendor: 'test-vendor', 'identity-url': url });
    await waitFor(() => element.state === 'error', 'error');
    const error = element.error;
    let threw = 0;
    for (const name of ['state', 'error'] as const) {
      try {
        (element as unknown as Record<string, unknown>)[name] = name === 'state' ? 'ready' : undefined;
      } catch (failure) {
        if (failure instanceof TypeError) threw += 1;
      }
    }
    equal(threw, 2, 'assignments throw TypeError');
    equal(element.state, 'error');
    equal(element.error, error);
    element.setAttribute('state', 'ready');
    await element.updateComplete;
    equal(element.state, 'error');
    const frame = element.shadowRoot!.querySelector<HTMLElement>('[part="embed"]')!;
    equal(getComputedStyle(frame).visibility, 'hidden', 'the embed stays hidden');
  });
});

function json600(): Response {
  return new HttpResponse(JSON.stringify({ vendor: 'script-vendor', tokens: { t: 's' }, expiresIn: 600 }), {
    headers: { 'content-type': 'application/json' },
  });
}
