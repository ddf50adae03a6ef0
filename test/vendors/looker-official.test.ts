// Looker's OFFICIAL host SDK (@looker/embed-sdk 2.0.8 with @looker/chatty 2.3.10, bundled unchanged)
// as the judge of the Looker stand-in: it embeds the stand-in on a cross-origin https host, speaks its
// chatty handshake (sdk=3), and gets its tokens from this package's server half (looker.sdkHandlers in
// front of the Looker API stand-in). Next to it, our adapter against the same stand-in and server.
import '../helpers/mocha-globals.js';
import type { ILookerConnection, LookerEmbedExSDK as SdkClass } from '@looker/embed-sdk';
import { deepEqual, equal, ok, waitFor } from '../helpers/assert.js';
import type { TokenSet } from '../../src/token/types.js';
import { createLookerAdapter, type LookerEmbed } from '../../src/vendors/looker.js';
import { createFakeContext } from './fake-context.js';
import { makeContainer, pageOrigin } from './iframe-test-utils.js';

type EmbedSdkModule = { LookerEmbedExSDK: new () => SdkClass };
const SDK_URL = '/__bundles/looker-embed-sdk.js';
/** A first https frame on a busy machine (TLS, a cold page) may take a few seconds. */
const COLD_MS = 8_000; // under the 10 s test timeout

let host: string;
let Sdk: EmbedSdkModule['LookerEmbedExSDK'];
const app = (path: string) => `${host}/app${path}`;
const stats = async (): Promise<Record<string, number>> => (await fetch(app('/stats'))).json();

before(async () => {
  host = ((await (await fetch('/__looker/host.json')).json()) as { origin: string }).origin;
  Sdk = ((await import(/* @vite-ignore */ SDK_URL)) as EmbedSdkModule).LookerEmbedExSDK;
});

describe("Looker's official embed SDK against the stand-in and our sdkHandlers", () => {
  let container: HTMLDivElement;
  let events: Array<[string, Record<string, unknown>]>;
  const of = (name: string) => events.filter(([type]) => type === name).map(([, data]) => data);

  beforeEach(() => {
    container = makeContainer();
    events = [];
  });
  afterEach(() => container.remove());

  async function embedWithOfficialSdk(): Promise<{ connection: ILookerConnection; iframe: HTMLIFrameElement }> {
    const sdk = new Sdk();
    sdk.initCookieless(host, { url: app('/looker/acquire') }, { url: app('/looker/generate') });
    let builder = sdk.createDashboardWithId('42').appendTo(container).withDynamicIFrameHeight();
    for (const name of [
      'session:status',
      'session:expired',
      'page:changed',
      'page:properties:changed',
      'dashboard:run:start',
      'dashboard:run:complete',
      'dashboard:filters:changed',
      'standin:state',
    ]) {
      builder = builder.on(name, (data: Record<string, unknown> | undefined) => events.push([name, data ?? {}]));
    }
    const connection = await builder.build().connect();
    return { connection, iframe: container.querySelector('iframe')! };
  }

  it('handshakes (chatty, sdk=3), takes tokens from sdkHandlers, runs the dashboard and sizes the iframe', async () => {
    const before = await stats();
    const { connection, iframe } = await embedWithOfficialSdk();
    ok(iframe.src.startsWith(`${host}/login/embed/`), iframe.src);
    const target = new URL(decodeURIComponent(new URL(iframe.src).pathname.slice('/login/embed/'.length)), host);
    equal(target.searchParams.get('sdk'), '3');
    equal(target.searchParams.get('embed_domain'), pageOrigin);
    await waitFor(() => of('dashboard:run:complete').length === 1, 'the dashboard ran', COLD_MS);
    deepEqual(of('session:status')[0], {
      session_ttl: of('session:status')[0]!['session_ttl'],
      expired: false,
      interrupted: false,
    });
    const heights = of('page:properties:changed').map((data) => data['height'] as number);
    equal(heights[0], 48);
    ok(heights[1]! > 100 && heights[1]! < 200, `a small dashboard: ${heights[1]}px`);
    equal(iframe.style.height, `${heights[1]}px`, 'withDynamicIFrameHeight applied the height above 100 px');
    const after = await stats();
    equal((after['acquire'] ?? 0) - (before['acquire'] ?? 0), 1, 'one acquire through sdkHandlers');

    // Host → Looker messages go over the chatty port too.
    connection.asDashboardConnection().updateFilters({ Brand: 'Acme' });
    await waitFor(() => of('dashboard:filters:changed').length === 1, 'filters changed');
    connection.asDashboardConnection().run();
    await waitFor(() => of('dashboard:run:complete').length === 2, 'ran again');
    deepEqual((of('dashboard:run:complete')[1]!['dashboard'] as Record<string, unknown>)['dashboard_filters'], {
      Brand: 'Acme',
    });
    // The stand-in refused nothing the official host sent.
    connection.send('standin:report');
    await waitFor(() => of('standin:state').length === 1, 'the stand-in report');
    deepEqual(of('standin:state')[0], { errors: [], rejected: [], tokens: 1 });
  });

  it('a token request generates through sdkHandlers; an ended session reaches Looker, which reports it expired', async () => {
    const { connection } = await embedWithOfficialSdk();
    await waitFor(() => of('dashboard:run:complete').length === 1, 'the dashboard ran', COLD_MS);
    const before = await stats();
    connection.send('standin:request-tokens');
    await waitFor(() => of('session:status').length === 2, 'a second healthy status');
    equal((await stats())['generate_tokens']! - (before['generate_tokens'] ?? 0), 1, 'one generate_tokens');
    await fetch(app('/end-sessions'), { method: 'POST' });
    connection.send('standin:request-tokens');
    await waitFor(() => of('session:expired').length === 1, 'session:expired');
    equal(of('session:status').at(-1)!['expired'], true);
  });
});

describe('our adapter against the same stand-in and server', () => {
  it('loads the https host, answers token requests from the session, and follows the content height', async () => {
    const acquired = (await (await fetch(app('/looker/acquire'))).json()) as TokenSet;
    const container = makeContainer();
    const fake = createFakeContext({ tokens: acquired, dashboardId: '42', options: { host } });
    let embed: LookerEmbed | undefined;
    try {
      embed = await createLookerAdapter().mount(container, fake.context);
      ok(embed.iframe!.src.startsWith(`${host}/login/embed/`));
      const seen = () => JSON.stringify({ calls: fake.calls, errors: fake.reportedErrors.map(String) });
      await waitFor(() => fake.reportedHeights.length === 1, 'the content height', COLD_MS).catch((error: Error) => {
        throw new Error(`${error.message}; the adapter saw ${seen()}`);
      });
      const height = fake.reportedHeights[0]!;
      ok(height > 100 && height < 200, `${height}px`);
      equal(fake.calls.getTokens, 1, "the stand-in's token request was answered from the session");
      equal(fake.calls.requestIdentity, 0);
      deepEqual(fake.reportedErrors, []);
    } finally {
      embed?.destroy();
      container.remove();
    }
  });
});
