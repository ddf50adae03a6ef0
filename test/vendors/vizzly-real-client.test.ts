// The Vizzly adapter against Vizzly's REAL published client: <vizzly-dashboard> from
// @vizzly/dashboard-webcomponent 0.0.2-canary.2 (with @vizzly/dashboard 0.4.16 and React 17 inside),
// built from the npm packages at test time. Tokens come from this package's own identity endpoint
// and ES256 signer; Vizzly's API and query engine are the stand-in (demo/standin-apis/vizzly.ts,
// which checks every signature) behind msw. Vizzly itself judges: its Joi validation, its atob
// decode, its own 300 000 ms timer (held by the harness and fired by hand), its rendering.
import './vizzly-real-harness.js';
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import { deepEqual, equal, match, ok, waitFor } from '../helpers/assert.js';
import type { EmbedDashboard } from '../../src/index.js';
import { SALES_ROWS } from '../../demo/standin-apis/vizzly-data.js';
import vizzly from '../../src/vendors/vizzly.js';
import { createFakeContext } from './fake-context.js';
import { mountsPerTest } from './iframe-test-utils.js';
import {
  decodes,
  IDENTITY_URL,
  PROJECT_ID,
  firePulls,
  identityRequests,
  pullTimers,
  realClientOptions,
  startVizzlyApi,
  textOf,
  vizzlyDecoded,
} from './vizzly-real-harness.js';

const WAIT_MS = 15_000;
/** Per test: a real React dashboard, rendered several times. */
const SLOW_MS = 40_000;
type Slow = { timeout(ms: number): void };

// Secure filters with the characters that break a plain base64url payload under atob ('>=', '~', '?')
// and non-ASCII values; the user reference too.
const CLAIMS = {
  dashboard: { userReference: 'user-Zoë?~', scope: 'read_write' },
  data: {
    dataSetIds: ['dts_sales'],
    secureFilters: {
      dts_sales: [
        [
          { field: 'revenue', op: '>=', value: 400 },
          { field: 'city', op: 'is_one_of', value: ['Zürich', 'São Paulo', 'Kraków', 'Malmö', 'Plzeň', 'Tromsø?~'] },
        ],
      ],
    },
    parameters: { note: 'a~b?c>=d' },
  },
};
const VISIBLE = SALES_ROWS.filter(
  (row) =>
    (row['revenue'] as number) >= 400 &&
    ['Zürich', 'São Paulo', 'Kraków', 'Malmö', 'Plzeň'].includes(row['city'] as string),
);
const VISIBLE_TOTAL = VISIBLE.reduce((sum, row) => sum + (row['revenue'] as number), 0);

const mounts = mountsPerTest();
const elements: EmbedDashboard[] = [];

async function mountElement(): Promise<EmbedDashboard> {
  const element = document.createElement('embed-dashboard') as EmbedDashboard;
  element.setAttribute('vendor', 'vizzly');
  element.setAttribute('identity-url', IDENTITY_URL);
  element.setAttribute('dashboard-id', 'dsh_demo_sales');
  element.options = realClientOptions();
  element.context = { claims: CLAIMS };
  element.style.setProperty('--embed-dashboard-height', '700px');
  document.body.append(element);
  elements.push(element);
  return element;
}

/** The <vizzly-dashboard> inside an <embed-dashboard> (light DOM once the element renders there). */
function vizzlyIn(element: EmbedDashboard): HTMLElement | null {
  return (element.querySelector('vizzly-dashboard') ??
    element.shadowRoot?.querySelector('vizzly-dashboard') ??
    null) as HTMLElement | null;
}

/** Waits for the dashboard's charts; Vizzly renders a component only once it is in the viewport. */
async function untilRendered(root: () => Element | null, what: string): Promise<void> {
  const rendered = () => {
    root()?.scrollIntoView();
    return textOf(root()).includes('Total revenue') && /\d{3}/.test(textOf(root()));
  };
  await waitFor(rendered, what, WAIT_MS).catch(() => {
    throw new Error(`timed out waiting for ${what}; it shows: ${textOf(root()).slice(0, 300) || '(nothing)'}`);
  });
}

const api = await startVizzlyApi();

afterEach(() => {
  for (const element of elements.splice(0)) element.remove();
});

describe("Vizzly's real client inside <embed-dashboard>", () => {
  it('accepts identity(), decodes exactly the signed claims, and shows the secure-filtered data', async function (this: Slow) {
    this.timeout(SLOW_MS);
    const before = api.calls.length;
    const element = await mountElement();
    await untilRendered(() => vizzlyIn(element), "Vizzly's dashboard to render");
    equal(element.getAttribute('state'), 'ready');
    const text = textOf(vizzlyIn(element));
    ok(!/error|went wrong|failed/i.test(text), `no Vizzly error screen: ${text.slice(0, 200)}`);

    // What Vizzly sent to its API and query engine: our tokens, whose verified claims are exactly ours.
    const calls = api.calls.slice(before);
    const access = calls.find((call) => call.route === 'auth/dashboards/access');
    const data = calls.find((call) => call.route === 'resolve-data-sets');
    ok(access && data, `Vizzly called its API and query engine: ${calls.map((call) => call.route).join(', ')}`);
    ok(
      calls.some((call) => call.route === 'create-results' && call.token === data.token),
      'queries ran with our data token',
    );
    const expires = access.claims['expires'];
    match(String(expires), /^\d{4}-\d\d-\d\dT/);
    deepEqual(access.claims, { accessType: 'standard', projectId: PROJECT_ID, ...CLAIMS.dashboard, expires });
    deepEqual(data.claims, { ...CLAIMS.data, projectId: PROJECT_ID, expires });

    // Vizzly's own atob decode of those tokens gave the same claims, every character intact.
    deepEqual(vizzlyDecoded(access.token), access.claims);
    deepEqual(vizzlyDecoded(data.token), data.claims);

    // The query engine applied the secure filters: the total is that of the rows they let through.
    ok(text.includes(String(VISIBLE_TOTAL)), `the total ${VISIBLE_TOTAL} is shown: ${text.slice(0, 300)}`);
  });

  it("Vizzly's own 300 s timer picks up refreshed tokens; after removal it gets none", async function (this: Slow) {
    this.timeout(SLOW_MS);
    const timersBefore = pullTimers();
    const element = await mountElement();
    await untilRendered(() => vizzlyIn(element), "Vizzly's dashboard to render");
    equal(pullTimers(), timersBefore + 1, 'Vizzly set its own 300 000 ms interval');
    const first = [...api.calls].reverse().find((call) => call.route === 'auth/dashboards/access')!;

    await element.refresh();
    const requests = identityRequests();
    const seen = new Set(decodes.map((entry) => entry.input));
    firePulls();
    // Vizzly's identity() call got the refreshed set: its own decode ran on a dashboard token it had
    // not seen, carrying our claims with a later expiry.
    await waitFor(() => freshDashboardClaims(seen).length > 0, 'Vizzly to decode the refreshed tokens', WAIT_MS);
    const [fresh] = freshDashboardClaims(seen);
    deepEqual(
      { ...fresh, expires: undefined },
      {
        accessType: 'standard',
        projectId: PROJECT_ID,
        ...CLAIMS.dashboard,
        expires: undefined,
      },
    );
    ok(Date.parse(String(fresh!['expires'])) >= Date.parse(String(first.claims['expires'])), 'a later expiry');
    equal(identityRequests(), requests, 'the pull was answered from the session, without a request of its own');

    element.remove();
    // The element tears down a task later (a move within one task keeps its session): wait for it.
    await waitFor(() => vizzlyIn(element) === null, 'the adapter to detach Vizzly', WAIT_MS);
    const decodesAfterRemoval = decodes.length;
    const requestsAfterRemoval = identityRequests();
    const apiCalls = api.calls.length;
    firePulls();
    await new Promise((resolve) => setTimeout(resolve, 200));
    equal(pullTimers(), timersBefore + 1, "Vizzly's timer still runs: its element cannot be unmounted");
    equal(decodes.length, decodesAfterRemoval, 'Vizzly decoded no new token after removal');
    equal(identityRequests(), requestsAfterRemoval, 'no identity request after removal');
    equal(api.calls.length, apiCalls, 'Vizzly made no authenticated call after removal');
  });
});

describe("Vizzly's real client through the adapter, in a light-DOM container", () => {
  it('a failed first identity() call (Vizzly: error screen for good) is reported, and new tokens render a new dashboard', async function (this: Slow) {
    this.timeout(SLOW_MS);
    const tokens = await signedTokens();
    let reads = 0;
    const fake = createFakeContext({
      tokens,
      options: realClientOptions(),
      onGetTokens: () => {
        reads += 1;
        if (reads === 1) throw new Error('the identity endpoint is down');
        return tokens;
      },
    });
    const container = mounts.container();
    const embed = mounts.track(await vizzly.mount(container, fake.context));
    await waitFor(() => fake.reportedErrors.length === 1, 'the failure to be reported', WAIT_MS);
    const broken = container.querySelector('vizzly-dashboard');
    firePulls(); // a later pull succeeds, yet Vizzly keeps its error screen
    await new Promise((resolve) => setTimeout(resolve, 500));
    ok(!textOf(broken).includes('Total revenue'), `Vizzly stays on its error screen: ${textOf(broken).slice(0, 120)}`);

    embed.update({ tokens, expiresAt: null });
    ok(container.querySelector('vizzly-dashboard') !== broken, 'a new <vizzly-dashboard>');
    await untilRendered(() => container, 'the new dashboard');
  });

  it('looks as in a plain page: its buttons compute the same styles in our container and in <embed-dashboard>', async function (this: Slow) {
    this.timeout(SLOW_MS);
    // The reference: Vizzly's element straight in the page, with tokens from our endpoint.
    const tokens = await signedTokens();
    const plain = document.createElement('vizzly-dashboard') as HTMLElement & { render(props: object): void };
    mounts.container().append(plain);
    plain.render({ ...realClientOptions(), identity: async () => tokens, dashboardId: 'dsh_demo_sales' });

    await untilRendered(() => plain, 'the plain-page mount');
    const fake = createFakeContext({ tokens, options: realClientOptions(), dashboardId: 'dsh_demo_sales' });
    const container = mounts.container();
    mounts.track(await vizzly.mount(container, fake.context));
    await untilRendered(() => container, 'the adapter mount');

    const styles = (root: Element) =>
      [...root.querySelectorAll('button')].map((button) => {
        const style = getComputedStyle(button);
        return [
          button.textContent,
          style.fontSize,
          style.fontFamily,
          style.color,
          style.backgroundColor,
          style.padding,
          style.borderRadius,
          style.height,
        ].join(' | ');
      });
    const reference = styles(plain);
    ok(reference.length >= 2, `Vizzly rendered buttons: ${reference.length}`);
    deepEqual(styles(container), reference);
    // And inside <embed-dashboard>, whose embeds live in its light DOM.
    const element = await mountElement();
    await untilRendered(() => vizzlyIn(element), 'the <embed-dashboard> mount');
    deepEqual(styles(vizzlyIn(element)!), reference);
    // The comparison can tell: the same client in a shadow root is unstyled.
    const host = mounts.container();
    const shadowed = document.createElement('vizzly-dashboard') as typeof plain;
    host.attachShadow({ mode: 'open' }).append(shadowed);
    shadowed.render({ ...realClientOptions(), identity: async () => tokens, dashboardId: 'dsh_demo_sales' });
    await untilRendered(() => shadowed, 'the shadow-root mount');
    ok(JSON.stringify(styles(shadowed)) !== JSON.stringify(reference), 'a shadow-root mount looks different');
  });

  it('0.4.16 rejects projectAccessToken: dropped by default, its error screen when acceptsProjectAccessToken is set', async function (this: Slow) {
    this.timeout(SLOW_MS);
    const tokens = await signedTokens();
    const withProject = { ...tokens, projectAccessToken: tokens['dashboardAccessToken']! };

    const dropped = mounts.container();
    const fake = createFakeContext({ tokens: withProject, options: realClientOptions() });
    mounts.track(await vizzly.mount(dropped, fake.context));
    await untilRendered(() => dropped, 'the dashboard without projectAccessToken');

    const passed = mounts.container();
    const strict = createFakeContext({
      tokens: withProject,
      options: realClientOptions({ acceptsProjectAccessToken: true }),
    });
    mounts.track(await vizzly.mount(passed, strict.context));
    await waitFor(() => textOf(passed).length > 0, "Vizzly's answer", WAIT_MS);
    await new Promise((resolve) => setTimeout(resolve, 500));
    ok(
      !textOf(passed).includes('Total revenue'),
      `no dashboard with projectAccessToken: ${textOf(passed).slice(0, 200)}`,
    );
  });
});

/** A token set from the test identity endpoint, for mounts without the element. */
async function signedTokens(): Promise<Record<string, string>> {
  const response = await fetch(IDENTITY_URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ vendor: 'vizzly', dashboardId: 'dsh_demo_sales', context: { claims: CLAIMS } }),
  });
  return ((await response.json()) as { tokens: Record<string, string> }).tokens;
}

/** Dashboard-token claims Vizzly decoded from payloads not in `seen`. */
function freshDashboardClaims(seen: ReadonlySet<string>): Record<string, unknown>[] {
  return decodes
    .filter((entry) => !seen.has(entry.input))
    .map((entry) => JSON.parse(entry.output) as Record<string, unknown>)
    .filter((claims) => 'userReference' in claims);
}
