// DataBrain adapter tests against the real @databrainhq/plugin (0.12.9, from npm) with its API mocked
// by msw. Facts used, read from node_modules/@databrainhq/plugin/dist/webcomponents.es.js:
// - the module is self-contained (no imports) and reads `process.env.NODE_ENV`, which a bundler would
//   define: the page defines `process` before the plugin loads;
// - it injects a <style id="dbn-styles"> that @imports Google Fonts;
// - it calls `https://edetnvlrqissubqlrwbtvwx2ia0tqykw.lambda-url.us-east-1.on.aws/api/v2` +
//   `/dashboard?dashboardId=…` (header X-Plugin-Token: the guest token), `/metric/layout?id=…&clientId=…`,
//   `/dashboard/embeddedMetric?metricId=…`, answering `{data}` or `{error: {message}}`;
// - 0.12.9 has no `handle-server-event` prop (newer builds do): TOKEN_EXPIRED is raised by hand here;
// - a refused token: its query (react-query, 3 retries 1 s, 2 s, 4 s apart) gives up after 4 answers and
//   <dbn-dashboard> shows "Invalid token or Dashboard id"; the refusal tests wait for that real schedule.
// The adapter never imports the plugin itself: the tests pass `loadPlugin`, as an app would.
import '../helpers/mocha-globals.js';
import { http, HttpResponse } from 'msw';
import { deepEqual, equal, match, ok, rejects, waitFor } from '../helpers/assert.js';
import { startWorker, worker } from '../helpers/msw.js';
import { isEmbedError } from '../../src/errors.js';
import type { TokenSet } from '../../src/token/types.js';
import databrain, {
  DATABRAIN_MODULE,
  buildDataBrainElement,
  dataBrainToken,
  pluginSource,
  showsText,
  toKebabCase,
  watchForRefusal,
} from '../../src/vendors/databrain.js';
import { createFakeContext } from './fake-context.js';
import { mountsPerTest, pause } from './iframe-test-utils.js';

const API = 'https://edetnvlrqissubqlrwbtvwx2ia0tqykw.lambda-url.us-east-1.on.aws/api/v2';
const VALID_TOKENS = new Set(['guest-1', 'guest-2', 'guest-3']);
// Dashboards DataBrain knows; any other id is refused like a bad token (the plugin cannot tell them apart).
const UNKNOWN_DASHBOARD = 'dash-unknown';
/** How the app loads the plugin: its own literal import, resolved by its bundler (here the dev server). */
const loadPlugin = () => import('@databrainhq/plugin/web');
const HANDLER_PREFIX = '__embedDashboardDataBrain';

interface SeenRequest {
  path: string;
  search: string;
  token: string | null;
}
const seen: SeenRequest[] = [];
const unhandled: string[] = [];

function record(request: Request): void {
  const url = new URL(request.url);
  seen.push({ path: url.pathname, search: url.search, token: request.headers.get('X-Plugin-Token') });
}

const handlers = [
  http.get(`${API}/dashboard`, ({ request }) => {
    record(request);
    const token = request.headers.get('X-Plugin-Token') ?? '';
    const dashboardId = new URL(request.url).searchParams.get('dashboardId');
    if (!VALID_TOKENS.has(token) || dashboardId === UNKNOWN_DASHBOARD)
      return HttpResponse.json({ error: { message: 'Invalid guest token' } }, { status: 401 });
    return HttpResponse.json({
      data: {
        externalDashboard: {
          id: 'pk-1',
          name: `Sales (${dashboardId})`,
          externalDashboardId: dashboardId,
          filters: [],
          layout: [],
        },
        externalMetrics: [],
        clientId: 'client-1',
        companyId: 'company-1',
      },
    });
  }),
  http.get(`${API}/metric/layout`, ({ request }) => {
    record(request);
    return HttpResponse.json({ data: { layout: [], isLocked: false } });
  }),
  http.get(`${API}/dashboard/embeddedMetric`, ({ request }) => {
    record(request);
    return HttpResponse.json({ error: { message: 'No such metric in this test' } });
  }),
  // The plugin's online check, every 12 s (it shows "No Internet Connection Detected." without an answer).
  http.get('https://jsonplaceholder.typicode.com/todos/1', () => HttpResponse.json({ id: 1, completed: false })),
  http.get('https://fonts.googleapis.com/*', () => new HttpResponse('', { headers: { 'Content-Type': 'text/css' } })),
  http.get('https://fonts.gstatic.com/*', () => new HttpResponse(null, { status: 404 })),
];
worker.events.on('request:unhandled', ({ request }) => {
  if (new URL(request.url).origin !== location.origin) unhandled.push(`${request.method} ${request.url}`);
});

const mounts = mountsPerTest();

function handlerNames(): string[] {
  return Object.keys(window).filter((key) => key.startsWith(HANDLER_PREFIX));
}

function handlerOf(element: Element): (event: unknown) => unknown {
  const name = element.getAttribute('handle-server-event');
  ok(name, 'handle-server-event is set');
  const handler = (window as unknown as Record<string, unknown>)[name];
  ok(typeof handler === 'function', 'the global handler exists');
  return handler as (event: unknown) => unknown;
}

async function mountDashboard(
  init: {
    tokens?: TokenSet;
    options?: Record<string, unknown>;
    dashboardId?: string;
    onRefreshTokens?: () => TokenSet | Promise<TokenSet>;
  } = {},
) {
  const fake = createFakeContext({
    tokens: init.tokens ?? { token: 'guest-1' },
    options: { loadPlugin, ...init.options },
    dashboardId: init.dashboardId ?? 'dash-1',
    ...(init.onRefreshTokens ? { onRefreshTokens: init.onRefreshTokens } : {}),
  });
  const container = mounts.container();
  const embed = mounts.track(await databrain.mount(container, fake.context));
  const element = container.firstElementChild as HTMLElement & Record<string, unknown>;
  ok(element, 'an element was mounted');
  return { fake, container, embed, element };
}

/** The dashboard title the real plugin renders once our mocked API answered. */
async function renderedTitle(where: Element, text: string, timeoutMs = 8000): Promise<Element> {
  let title: Element | undefined;
  await waitFor(
    () => {
      // The element itself, or whichever element is in the container now.
      const element = where.shadowRoot ? where : where.firstElementChild;
      title = [...(element?.shadowRoot?.querySelectorAll('*') ?? [])].find(
        (node) => node.children.length === 0 && node.textContent === text,
      );
      return title;
    },
    `the plugin to render "${text}"`,
    timeoutMs,
  );
  return title!;
}

before(async () => {
  // The plugin's react-query pauses retries while the page is hidden, and test pages run side by side
  // in background tabs: this page stands for the one a user looks at.
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
  // What a bundler does for the plugin's build (vendor code reads process.env.NODE_ENV at load).
  (globalThis as unknown as { process?: unknown }).process ??= { env: { NODE_ENV: 'production' } };
  await startWorker();
  worker.use(...handlers);
});

describe('buildDataBrainElement', () => {
  it('builds <dbn-dashboard> with kebab-case attributes and JSON for object options', () => {
    const spec = buildDataBrainElement(
      {
        moduleUrl: '/ignored.js',
        options: { disableMetricCreation: true, chartColors: ['#111', '#222'] },
        theme: { general: { fontFamily: 'Inter' } },
        chartRendererType: 'svg',
        height: 400,
        isHideTable: false,
        empty: null,
      },
      'dash-1',
      'guest-1',
      'handler_1',
    );
    equal(spec.tagName, 'dbn-dashboard');
    deepEqual(spec.attributes, {
      options: '{"disableMetricCreation":true,"chartColors":["#111","#222"]}',
      theme: '{"general":{"fontFamily":"Inter"}}',
      'chart-renderer-type': 'svg',
      height: '400',
      'is-hide-table': 'false',
      token: 'guest-1',
      'handle-server-event': 'handler_1',
      'dashboard-id': 'dash-1',
    });
  });

  it('builds <dbn-metric metric-id> when metricId is given', () => {
    const spec = buildDataBrainElement({ metricId: 'metric-9', chartColors: ['#123'] }, '', 'guest-1', 'h');
    equal(spec.tagName, 'dbn-metric');
    deepEqual(spec.attributes, {
      'chart-colors': '["#123"]',
      token: 'guest-1',
      'handle-server-event': 'h',
      'metric-id': 'metric-9',
    });
  });

  it('rejects options that set what the adapter owns, a missing dashboard and unsupported types', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ token: 'x' }, 'dash-1', 'vendor-options'],
      [{ dashboardId: 'x' }, 'dash-1', 'vendor-options'],
      [{ metricId: 7 }, 'dash-1', 'vendor-options'],
      [{ onMinimize: () => undefined }, 'dash-1', 'vendor-options'],
      [{}, '', 'dashboard-id'],
    ];
    for (const [options, dashboardId, attribute] of cases) {
      let error: unknown;
      try {
        buildDataBrainElement(options, dashboardId, 'guest-1', 'h');
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error), `an EmbedError for ${Object.keys(options).join()}`);
      equal(error.code, 'invalid-attribute');
      equal(error.attribute, attribute);
    }
  });

  it('maps camelCase names the way the plugin does, and reads the guest token', () => {
    equal(toKebabCase('chartRendererType'), 'chart-renderer-type');
    equal(toKebabCase('metricId'), 'metric-id');
    equal(dataBrainToken({ token: 'guest-1', expires: 1 }), 'guest-1');
    for (const tokens of [{}, { token: '' }, { token: 42 }]) {
      let error: unknown;
      try {
        dataBrainToken(tokens);
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error));
      equal(error.code, 'malformed-token');
    }
  });
});

describe('databrain plugin source and refusal text (pure)', () => {
  it('takes one of loadPlugin, moduleUrl and scriptUrl; by default the package specifier', () => {
    const load = () => undefined;
    deepEqual(pluginSource({ loadPlugin: load }), { kind: 'loader', load });
    deepEqual(pluginSource({ moduleUrl: '/dbn.js' }), { kind: 'module', url: '/dbn.js', byDefault: false });
    deepEqual(pluginSource({ scriptUrl: '/dbn.umd.js' }), { kind: 'script', url: '/dbn.umd.js' });
    deepEqual(pluginSource({}), { kind: 'module', url: DATABRAIN_MODULE, byDefault: true });
    for (const options of [
      { loadPlugin: 'import' },
      { loadPlugin: load, moduleUrl: '/dbn.js' },
      { moduleUrl: '/dbn.js', scriptUrl: '/dbn.umd.js' },
      { moduleUrl: ' ' },
    ]) {
      let error: unknown;
      try {
        pluginSource(options);
      } catch (caught) {
        error = caught;
      }
      ok(isEmbedError(error), JSON.stringify(options));
      equal(error.code, 'invalid-attribute');
      equal(error.attribute, 'vendor-options');
    }
  });

  it('reads visible text only (not the plugin stylesheet), and reports a refusal once', async () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = '/* Invalid token or Dashboard id */';
    root.append(style);
    ok(!showsText(root, 'Invalid token or Dashboard id'), 'style text is not shown text');
    ok(!showsText(style, 'Invalid token or Dashboard id'), 'nor is a <style> itself');
    ok(!showsText(style.firstChild!, 'Invalid token or Dashboard id'), 'nor the text inside it');
    let calls = 0;
    const stop = watchForRefusal(host, 'Invalid token or Dashboard id', () => (calls += 1));
    root.append(style.cloneNode(true)); // the plugin copies its stylesheet into each element
    const box = document.createElement('div');
    box.textContent = 'Loading';
    root.append(box);
    await pause();
    equal(calls, 0);
    box.firstChild!.nodeValue = 'Invalid token or Dashboard id';
    await pause();
    equal(calls, 1);
    box.append(document.createTextNode('Invalid token or Dashboard id'));
    await pause();
    equal(calls, 1, 'once');
    stop();
  });
});

describe('databrain adapter (with the real @databrainhq/plugin)', () => {
  it('aborting while the plugin loads mounts nothing and leaves no global handler', async function (this: {
    timeout(ms: number): void;
  }) {
    this.timeout(60_000); // the first load of the 6 MB plugin through the dev server can be slow on a busy machine
    const before = handlerNames().length;
    const fake = createFakeContext({ tokens: { token: 'guest-1' }, options: { loadPlugin }, dashboardId: 'dash-1' });
    const container = mounts.container();
    const mounting = databrain.mount(container, fake.context);
    fake.controller.abort();
    equal((await rejects(Promise.resolve(mounting))).name, 'AbortError');
    // Let the real plugin finish loading: still nothing appears.
    await customElements.whenDefined('dbn-dashboard');
    await new Promise((resolve) => setTimeout(resolve, 50));
    equal(container.children.length, 0);
    equal(handlerNames().length, before);
  });

  it('first render: <dbn-dashboard> with the right attributes, rendered by the plugin with our token', async () => {
    const options = { options: { disableMetricCreation: true }, theme: { general: { fontFamily: 'Inter' } } };
    const { element } = await mountDashboard({ options });
    equal(element.localName, 'dbn-dashboard');
    equal(element.getAttribute('token'), 'guest-1');
    equal(element.getAttribute('dashboard-id'), 'dash-1');
    equal(element.getAttribute('options'), JSON.stringify(options.options));
    equal(element.getAttribute('theme'), JSON.stringify(options.theme));
    handlerOf(element);
    await renderedTitle(element, 'Sales (dash-1)');
    // The plugin's own attribute parsing saw the same values.
    equal(element['token'], 'guest-1');
    equal(element['dashboardId'], 'dash-1');
    deepEqual(element['options'], options.options);
    const request = seen.find((entry) => entry.path === '/api/v2/dashboard' && entry.search === '?dashboardId=dash-1');
    ok(request, 'the plugin asked for the dashboard');
    equal(request.token, 'guest-1', 'with our guest token');
    deepEqual(unhandled, [], 'no request escaped the mocks');
  });

  it('a new token is set on the same element, which re-renders in place without reloading', async () => {
    const { element, container, embed, fake } = await mountDashboard({ dashboardId: 'dash-rotate' });
    const title = await renderedTitle(element, 'Sales (dash-rotate)');
    const loads = seen.filter((entry) => entry.search === '?dashboardId=dash-rotate').length;
    fake.setTokens({ token: 'guest-2' });
    embed.update({ tokens: { token: 'guest-2' }, expiresAt: null });
    equal(container.firstElementChild, element, 'same element instance');
    equal(container.children.length, 1);
    equal(element.getAttribute('token'), 'guest-2');
    equal(element['token'], 'guest-2', 'the plugin took the new token');
    await new Promise((resolve) => setTimeout(resolve, 100));
    ok(title.isConnected, 'the rendered dashboard was kept, not rebuilt');
    equal(seen.filter((entry) => entry.search === '?dashboardId=dash-rotate').length, loads, 'no reload');
    deepEqual(fake.reportedErrors, []);
  });

  it('TOKEN_EXPIRED refreshes at once (one refresh for a burst) and sets the new token', async () => {
    const userEvents: unknown[] = [];
    (window as unknown as Record<string, unknown>)['appServerEvents'] = (event: unknown) => userEvents.push(event);
    let release!: () => void;
    const { element, fake } = await mountDashboard({
      options: { handleServerEvent: 'appServerEvents' },
      onRefreshTokens: () => new Promise<TokenSet>((resolve) => (release = () => resolve({ token: 'guest-3' }))),
    });
    const handler = handlerOf(element);
    handler({ type: 'TOKEN_EXPIRED' });
    handler({ type: 'TOKEN_EXPIRED' });
    handler({ type: 'SOMETHING_ELSE' });
    equal(fake.calls.refreshTokens, 1, 'one refresh for two events');
    release();
    await waitFor(() => element.getAttribute('token') === 'guest-3', 'the refreshed token');
    equal(element['token'], 'guest-3');
    equal(userEvents.length, 3, "the app's own handler saw every event");
    handler({ type: 'TOKEN_EXPIRED' });
    equal(fake.calls.refreshTokens, 2, 'a later expiry refreshes again');
    delete (window as unknown as Record<string, unknown>)['appServerEvents'];
  });

  it('a failed refresh is reported and keeps the current token', async () => {
    const { element, fake } = await mountDashboard({
      onRefreshTokens: () => Promise.reject(new Error('identity endpoint down')),
    });
    await handlerOf(element)({ type: 'TOKEN_EXPIRED' });
    equal(fake.reportedErrors.length, 1);
    match(fake.reportedErrors[0]!.message, /identity endpoint down/);
    equal(element.getAttribute('token'), 'guest-1');
  });

  it('tokens without a guest token are reported, and the current token stays', async () => {
    const { element, embed, fake } = await mountDashboard();
    embed.update({ tokens: { guest_token: 'guest-2' }, expiresAt: null });
    equal(fake.reportedErrors.length, 1);
    equal((fake.reportedErrors[0] as { code?: string }).code, 'malformed-token');
    equal(element.getAttribute('token'), 'guest-1');
  });

  it('destroy() removes the element and deletes the global handler', async () => {
    const { element, embed, container, fake } = await mountDashboard();
    const name = element.getAttribute('handle-server-event')!;
    const handler = handlerOf(element);
    embed.destroy();
    equal(container.children.length, 0);
    ok(!(name in window), 'the global handler is gone');
    handler({ type: 'TOKEN_EXPIRED' }); // a stale reference does nothing
    equal(fake.calls.refreshTokens, 0);
    embed.destroy(); // idempotent
  });

  it('aborting the signal after mounting removes everything too', async () => {
    const { element, container, fake } = await mountDashboard();
    const name = element.getAttribute('handle-server-event')!;
    fake.controller.abort();
    equal(container.children.length, 0);
    ok(!(name in window));
  });

  it('renders <dbn-metric> for metricId, which the plugin loads with our token', async () => {
    const { element } = await mountDashboard({ options: { metricId: 'metric-9' }, dashboardId: '' });
    equal(element.localName, 'dbn-metric');
    equal(element.getAttribute('metric-id'), 'metric-9');
    equal(element.getAttribute('token'), 'guest-1');
    await waitFor(
      () => seen.some((entry) => entry.path === '/api/v2/dashboard/embeddedMetric'),
      'the metric request',
      8000,
    );
    const request = seen.find((entry) => entry.path === '/api/v2/dashboard/embeddedMetric')!;
    equal(request.search, '?metricId=metric-9');
    equal(request.token, 'guest-1');
  });

  it('imports moduleUrl or loads scriptUrl instead of the default when given', async () => {
    const flags = window as unknown as Record<string, unknown>;
    const moduleUrl = URL.createObjectURL(new Blob(['window.__dbnModuleLoaded = true;'], { type: 'text/javascript' }));
    await mountDashboard({ options: { moduleUrl, loadPlugin: undefined } });
    equal(flags['__dbnModuleLoaded'], true);
    const scriptUrl = URL.createObjectURL(new Blob(['window.__dbnScriptLoaded = true;'], { type: 'text/javascript' }));
    await mountDashboard({ options: { scriptUrl, loadPlugin: undefined } });
    equal(flags['__dbnScriptLoaded'], true);
  });

  it('without loadPlugin/moduleUrl/scriptUrl it fails with an error that says how to load the plugin', async () => {
    const fake = createFakeContext({ tokens: { token: 'guest-1' }, dashboardId: 'dash-1' });
    const container = mounts.container();
    const error = await rejects(Promise.resolve(databrain.mount(container, fake.context)));
    ok(isEmbedError(error));
    equal(error.code, 'vendor');
    match(error.message, /@databrainhq\/plugin\/web/);
    match(error.message, /loadPlugin/);
    match(error.message, /moduleUrl/);
    equal(container.children.length, 0);
  });

  it('a token DataBrain refuses: fresh tokens and a new element, which the plugin renders', async function (this: {
    timeout(ms: number): void;
  }) {
    this.timeout(30_000); // the plugin's own retries: 1 + 2 + 4 s before it gives up
    const {
      element: first,
      container,
      fake,
    } = await mountDashboard({
      tokens: { token: 'guest-refused' },
      dashboardId: 'dash-refused',
      onRefreshTokens: () => ({ token: 'guest-1' }),
    });
    const title = await renderedTitle(container, 'Sales (dash-refused)', 20_000);
    const now = container.firstElementChild as HTMLElement & Record<string, unknown>;
    ok(now !== first && !first.isConnected, 'a new element took the old one’s place');
    equal(container.children.length, 1);
    ok(now.shadowRoot?.contains(title), 'rendered by the new element');
    equal(now.getAttribute('token'), 'guest-1');
    equal(now.getAttribute('handle-server-event'), first.getAttribute('handle-server-event'));
    equal(fake.calls.refreshTokens, 1);
    const asked = seen.filter((entry) => entry.search === '?dashboardId=dash-refused').map((entry) => entry.token);
    deepEqual(asked.slice(0, 4), ['guest-refused', 'guest-refused', 'guest-refused', 'guest-refused']);
    ok(asked.slice(4).length > 0 && asked.slice(4).every((token) => token === 'guest-1'), 'then the fresh token');
    deepEqual(fake.reportedErrors, []);
  });

  it('a fresh token refused too: one refresh, then an error (no loop); a later token gets a new element', async function (this: {
    timeout(ms: number): void;
  }) {
    this.timeout(45_000); // two rounds of the plugin's own retries
    const { container, embed, fake } = await mountDashboard({
      tokens: { token: 'guest-1' },
      dashboardId: UNKNOWN_DASHBOARD,
      onRefreshTokens: () => ({ token: 'guest-2' }),
    });
    await waitFor(() => fake.reportedErrors.length === 1, 'the error after the second refusal', 30_000);
    const error = fake.reportedErrors[0]!;
    ok(isEmbedError(error));
    equal(error.code, 'vendor');
    match(error.message, /dashboard-id/);
    equal(fake.calls.refreshTokens, 1, 'one refresh, no loop');
    const refused = container.firstElementChild!;
    equal(refused.getAttribute('token'), 'guest-2');
    embed.update({ tokens: { token: 'guest-3' }, expiresAt: null });
    const next = container.firstElementChild!;
    ok(next !== refused && !refused.isConnected, 'a new token on a refused element gets a new element');
    equal(next.getAttribute('token'), 'guest-3');
    equal(container.children.length, 1);
  });

  it('fails with EmbedError "vendor" when the plugin cannot be loaded, and leaves nothing behind', async () => {
    const before = handlerNames().length;
    for (const options of [
      { moduleUrl: '/no-such-databrain-plugin.js' },
      { scriptUrl: '/no-such-databrain-plugin.umd.js' },
    ]) {
      const fake = createFakeContext({ tokens: { token: 'guest-1' }, options, dashboardId: 'dash-1' });
      const container = mounts.container();
      const error = await rejects(Promise.resolve(databrain.mount(container, fake.context)));
      ok(isEmbedError(error));
      equal(error.code, 'vendor');
      match(error.message, /no-such-databrain-plugin/);
      ok(!error.message.includes('guest-1'), 'no token in the message');
      equal(container.children.length, 0);
    }
    equal(handlerNames().length, before);
  });
});
