import '../helpers/mocha-globals.js';
import { deepEqual, equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { EmbedError } from '../../src/errors.js';
import type { TokenSet } from '../../src/token/types.js';
import lookerAdapter, { ENDED_SESSION_TOKENS, LOOKER_SANDBOX, type LookerEmbed } from '../../src/vendors/looker.js';
import { createLookerAdapter } from '../../src/vendors/looker/mount.js';
import { createFakeContext, type FakeContext, type FakeContextInit } from './fake-context.js';
import {
  makeContainer,
  nextMessage,
  otherOrigin,
  pageOrigin,
  pause,
  posterUrl,
  trackMessageListeners,
} from './iframe-test-utils.js';

interface Standin {
  valid: boolean;
  signed: boolean;
  errors: string[];
  target: string;
  embedDomain: string;
  authenticationToken: string;
  tokenRequests: number;
  tokens: Record<string, unknown>[];
  rejected: { reason: string }[];
  posted: Record<string, unknown>[];
  runs: number;
  filters: Record<string, string>;
  interrupted: boolean;
  expired: boolean;
}

/** Serves Looker's /login/embed/… URL from the stand-in page on the same origin (path kept in the hash). */
const toStandin = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.origin}/test/vendors/fixtures/looker-embed.html${parsed.search}#${parsed.pathname}`;
};
const standinOf = (iframe: HTMLIFrameElement | null): Standin | undefined =>
  (iframe?.contentWindow as (Window & { lookerStandin?: Standin }) | null | undefined)?.lookerStandin;
const command = (iframe: HTMLIFrameElement, message: Record<string, unknown>): void =>
  iframe.contentWindow!.postMessage(JSON.stringify(message), new URL(iframe.src).origin);

let counter = 0;
const uid = (): string => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${++counter}`;
/** What the identity endpoint answers to `acquire`. */
function acquired(extra: Record<string, unknown> = {}): TokenSet {
  const id = uid();
  return {
    authentication_token: `auth-${id}`,
    navigation_token: `nav-${id}`,
    api_token: `api-${id}`,
    authentication_token_ttl: 30,
    navigation_token_ttl: 600,
    api_token_ttl: 600,
    session_reference_token_ttl: 86_400,
    ...extra,
  };
}
/** Gives the fake context's grants an expiry, as the token session does (the fake's own grants never expire). */
function withExpiry(fake: FakeContext, expiresAt: () => number | null): void {
  const { getTokens, refreshTokens } = fake.context;
  fake.context.grant = { ...fake.context.grant, expiresAt: expiresAt() };
  fake.context.getTokens = async (options) => ({ ...(await getTokens(options)), expiresAt: expiresAt() });
  fake.context.refreshTokens = async () => ({ ...(await refreshTokens()), expiresAt: expiresAt() });
}
/** The `minValidityMs` of every getTokens call, in order (recorded by `mount`). */
let asked: (number | undefined)[] = [];

const EVENTS = ['looker-dashboard-run-start', 'looker-dashboard-run-complete', 'looker-dashboard-filters-changed'];

describe('looker adapter (real iframes, stand-in Looker)', () => {
  let container: HTMLDivElement;
  let outer: HTMLDivElement;
  let host: HTMLElement;
  let events: CustomEvent[];
  let embeds: LookerEmbed[];
  const adapter = createLookerAdapter({ frameSrc: toStandin });
  const record = (event: Event): void => {
    events.push(event as CustomEvent);
  };
  const of = (name: string): CustomEvent[] => events.filter((event) => event.type === name);

  async function mount(
    init: Partial<FakeContextInit> & { tokens?: TokenSet },
    using = adapter,
  ): Promise<{ fake: FakeContext; embed: LookerEmbed }> {
    const fake = createFakeContext({
      tokens: acquired(),
      dashboardId: '42',
      host,
      ...init,
      options: { host: pageOrigin, ...init.options },
    });
    const { getTokens } = fake.context;
    fake.context.getTokens = (options) => {
      asked.push(options?.minValidityMs);
      return getTokens(options);
    };
    const embed = await using.mount(container, fake.context);
    embeds.push(embed);
    return { fake, embed };
  }

  beforeEach(() => {
    // The element's host sits inside someone else's shadow root: events must be composed to get out.
    outer = document.createElement('div');
    document.body.append(outer);
    const root = outer.attachShadow({ mode: 'open' });
    host = document.createElement('div');
    root.append(host);
    container = makeContainer();
    events = [];
    embeds = [];
    asked = [];
    for (const name of EVENTS) document.addEventListener(name, record);
  });
  afterEach(() => {
    embeds.forEach((embed) => embed.destroy());
    for (const name of EVENTS) document.removeEventListener(name, record);
    container.remove();
    outer.remove();
  });

  it('first render: the session tokens start the iframe, which gets its tokens from the session', async () => {
    const tokens = acquired();
    const { fake, embed } = await mount({ tokens, options: { params: { theme: 'Dark' } } });
    const iframe = embed.iframe!;
    equal(iframe.parentElement, container);
    await waitFor(() => standinOf(iframe)?.tokens.length === 1, 'session:tokens');
    const standin = standinOf(iframe)!;
    deepEqual(standin.errors, []);
    ok(standin.valid && !standin.signed);
    equal(standin.authenticationToken, tokens['authentication_token']);
    const target = new URL(standin.target, pageOrigin);
    equal(target.pathname, '/embed/dashboards/42');
    equal(target.searchParams.get('embed_domain'), pageOrigin);
    equal(target.searchParams.get('theme'), 'Dark');
    equal(target.searchParams.get('embed_navigation_token'), tokens['navigation_token']);
    deepEqual(standin.tokens[0], {
      api_token: tokens['api_token'],
      api_token_ttl: 600,
      navigation_token: tokens['navigation_token'],
      navigation_token_ttl: 600,
      session_reference_token_ttl: 86_400,
    });
    equal(fake.calls.requestIdentity, 0, 'no extra acquire');
    await waitFor(() => of('looker-dashboard-run-complete').length === 1, 'run complete event');
    const heights = standin.posted.filter((m) => m['type'] === 'page:properties:changed').map((m) => m['height']);
    equal(heights[0], 48, 'a tiny height while laying out');
    const content = heights[1] as number;
    ok(content > 100 && content < 200, `a small dashboard: ${content}px`);
    deepEqual(fake.reportedHeights, [content], 'the element follows the content height; ≤ 100 px is ignored');
    ok(
      standin.posted.some((m) => m['type'] === 'session:status' && m['expired'] === false),
      'healthy status',
    );
    deepEqual(standin.rejected, []);
  });

  it('an authentication token is used once: a second iframe on the same session acquires its own', async () => {
    const tokens = acquired();
    const first = await mount({ tokens });
    const fresh = acquired();
    const second = await mount({ tokens, onRequestIdentity: () => fresh });
    deepEqual(first.fake.actions, []);
    deepEqual(second.fake.actions, ['acquire']);
    await waitFor(
      () => standinOf(second.embed.iframe)?.tokens.length === 1 && standinOf(first.embed.iframe)?.tokens.length === 1,
      'both sessions',
    );
    equal(standinOf(second.embed.iframe)!.authenticationToken, fresh['authentication_token']);
    deepEqual(standinOf(second.embed.iframe)!.errors, []);
  });

  it('answers later session:tokens:request from the shared session, never forwarding the session reference', async () => {
    const { fake, embed } = await mount({});
    const iframe = embed.iframe!;
    await waitFor(() => standinOf(iframe)?.tokens.length === 1, 'first tokens');
    fake.setTokens({
      api_token: 'api-new',
      navigation_token: 'nav-new',
      api_token_ttl: 500,
      navigation_token_ttl: 480,
      session_reference_token_ttl: 80_000,
      session_reference_token: 'SECRET-REF',
    });
    command(iframe, { type: 'standin:request-tokens' });
    await waitFor(() => standinOf(iframe)!.tokens.length === 2, 'second tokens');
    deepEqual(standinOf(iframe)!.tokens[1], {
      api_token: 'api-new',
      api_token_ttl: 500,
      navigation_token: 'nav-new',
      navigation_token_ttl: 480,
      session_reference_token_ttl: 80_000,
    });
    equal(fake.calls.getTokens, 2);
    equal(fake.calls.requestIdentity + fake.calls.refreshTokens, 0, 'no identity call of its own');
    deepEqual(standinOf(iframe)!.rejected, []);
  });

  it('the stand-in is as strict as Looker: wrong token shapes and unsolicited tokens are refused', async () => {
    const { embed } = await mount({});
    const iframe = embed.iframe!;
    await waitFor(() => standinOf(iframe)?.tokens.length === 1, 'first tokens');
    const good = {
      api_token: 'a',
      api_token_ttl: 1,
      navigation_token: 'n',
      navigation_token_ttl: 1,
      session_reference_token_ttl: 1,
    };
    command(iframe, { type: 'session:tokens', ...good }); // no request pending
    iframe.contentWindow!.postMessage({ type: 'session:tokens', ...good }, pageOrigin); // an object, not a JSON string
    await waitFor(() => standinOf(iframe)!.rejected.length === 2, 'two refusals');
    for (const bad of [
      { ...good, session_reference_token: 'ref' },
      { ...good, api_token_ttl: '1' },
      { ...good, navigation_token: '' },
    ]) {
      // Ask for tokens and answer wrongly at once, before the adapter's (right) answer arrives.
      const refused = standinOf(iframe)!.rejected.length;
      const accepted = standinOf(iframe)!.tokens.length;
      command(iframe, { type: 'standin:request-tokens' });
      command(iframe, { type: 'session:tokens', ...bad });
      await waitFor(() => standinOf(iframe)!.rejected.length === refused + 1, `refused ${JSON.stringify(bad)}`);
      await waitFor(() => standinOf(iframe)!.tokens.length === accepted + 1, 'the adapter then answers properly');
      ok(!('session_reference_token' in standinOf(iframe)!.tokens[accepted]!));
    }
  });

  it("ages *_ttl values by the grant's expiresAt, the session's word on how long the tokens live", async () => {
    const clock = new FakeClock(Date.now());
    const fake = createFakeContext({
      tokens: acquired(),
      dashboardId: '42',
      host,
      options: { host: pageOrigin },
      clock,
    });
    withExpiry(fake, () => clock.now() + 500_000); // 100 s of the 600 s are gone
    const embed = await adapter.mount(container, fake.context);
    embeds.push(embed);
    await waitFor(() => standinOf(embed.iframe)?.tokens.length === 1, 'first tokens');
    const aged = standinOf(embed.iframe)!.tokens[0]!;
    deepEqual(
      [aged['api_token_ttl'], aged['navigation_token_ttl'], aged['session_reference_token_ttl']],
      [500, 500, 86_300],
    );
  });

  it('asks the session for tokens valid two minutes more (half the life of short ones): one refresh serves all', async () => {
    const { fake, embed } = await mount({ options: { tokenMarginSeconds: 120 } });
    await waitFor(() => standinOf(embed.iframe)?.tokens.length === 1, 'first tokens');
    deepEqual(asked, [120_000]);
    const short = await mount({
      tokens: acquired({ api_token_ttl: 90, navigation_token_ttl: 90 }),
      onRequestIdentity: () => acquired({ api_token_ttl: 90, navigation_token_ttl: 90 }),
    });
    await waitFor(() => standinOf(short.embed.iframe)?.tokens.length === 1, 'short-lived tokens');
    deepEqual(asked, [120_000, 45_000]);
    equal(fake.calls.refreshTokens + short.fake.calls.refreshTokens, 0, 'the session decides when to refresh');
  });

  it('an ended session reaches the iframe as session_reference_token_ttl 0; Looker expires it and a new one starts', async () => {
    const fresh = acquired();
    let ended = true;
    let startNew: () => void = () => {};
    const { fake, embed } = await mount({
      // The new session waits until the old iframe was looked at.
      onRequestIdentity: () => new Promise<TokenSet>((resolve) => (startNew = () => resolve(fresh))),
      onGetTokens: () => {
        if (!ended) return fresh;
        ended = false;
        throw new EmbedError('http', 'The Looker embed session has ended.', {
          status: 409,
          serverCode: 'session-ended',
        });
      },
    });
    const first = embed.iframe!;
    await waitFor(() => standinOf(first)?.expired === true, 'the stand-in expired');
    deepEqual(standinOf(first)!.tokens, [{ ...ENDED_SESSION_TOKENS }]);
    await waitFor(() => fake.calls.requestIdentity === 1, 'a new session asked for');
    startNew();
    await waitFor(() => embed.iframe !== first && standinOf(embed.iframe)?.runs === 1, 'a new session ran');
    deepEqual(fake.actions, ['acquire'], 'one new session although Looker said it twice (status and expired)');
    deepEqual(fake.reportedErrors, []);
  });

  it('when the shared session started a new Looker session (after a 409), the iframe is told once and a new one starts', async () => {
    const first = acquired();
    const renewed = acquired(); // what the session re-acquired: an authentication token no iframe used
    let shared = first;
    const fresh = acquired();
    const { fake, embed } = await mount({ tokens: first, onGetTokens: () => shared, onRequestIdentity: () => fresh });
    const old = embed.iframe!;
    await waitFor(() => standinOf(old)?.runs === 1, 'first session ran');
    shared = renewed;
    const oldStandin = standinOf(old)!;
    command(old, { type: 'standin:request-tokens' });
    await waitFor(() => embed.iframe !== old && standinOf(embed.iframe)?.runs === 1, 'a new session ran');
    deepEqual(oldStandin.tokens.at(-1), { ...ENDED_SESSION_TOKENS });
    const current = standinOf(embed.iframe)!;
    equal(current.authenticationToken, fresh['authentication_token']);
    command(embed.iframe!, { type: 'standin:request-tokens' });
    await waitFor(() => current.tokens.length === 2, 'a second answer');
    ok(
      current.tokens.every((t) => t['session_reference_token_ttl'] !== 0),
      'the new session is not ended again',
    );
    deepEqual(fake.actions, ['acquire']);
  });

  it('when no tokens can be had, Looker gets the empty answer (interrupted) and the error is shown', async () => {
    const { fake, embed } = await mount({
      onGetTokens: () => {
        throw new EmbedError('network', 'offline', { retriable: true });
      },
    });
    await waitFor(() => standinOf(embed.iframe)?.interrupted === true, 'interrupted');
    equal(fake.reportedErrors.length, 1);
    equal((fake.reportedErrors[0] as EmbedError).code, 'network');
    equal(fake.calls.requestIdentity, 0, 'an interrupted session is left to Looker, which asks again');
  });

  it('session:status: {recoverable: false} alone is healthy; interrupted and unrecoverable ends the session', async () => {
    const { fake, embed } = await mount({ onRequestIdentity: () => acquired() });
    const first = embed.iframe!;
    await waitFor(() => standinOf(first)?.runs === 1, 'ran');
    for (const status of [
      { recoverable: false },
      { expired: false, interrupted: false, recoverable: false },
      { interrupted: true, recoverable: true },
    ])
      command(first, { type: 'standin:status', status });
    await pause(400);
    equal(fake.calls.requestIdentity, 0, 'no recovery');
    equal(embed.iframe, first);
    command(first, { type: 'standin:status', status: { expired: false, interrupted: true, recoverable: false } });
    await waitFor(() => embed.iframe !== first && standinOf(embed.iframe)?.runs === 1, 'a new session');
    deepEqual(fake.actions, ['acquire']);
  });

  it('ignores messages from a 127.0.0.1 frame (wrong origin) and a same-origin frame (wrong source)', async () => {
    const { fake, embed } = await mount({});
    const iframe = embed.iframe!;
    await waitFor(() => of('looker-dashboard-run-complete').length === 1, 'run complete');
    const heights = fake.reportedHeights.length;
    const forged = [
      JSON.stringify({ type: 'session:expired' }),
      JSON.stringify({ type: 'session:status', expired: true }),
      JSON.stringify({ type: 'page:properties:changed', height: 999 }),
      JSON.stringify({ type: 'dashboard:run:complete' }),
      JSON.stringify({ type: 'session:tokens:request' }),
    ];
    for (const origin of [otherOrigin, pageOrigin]) {
      const frame = document.createElement('iframe');
      frame.src = posterUrl(origin, { msgs: JSON.stringify([...forged, JSON.stringify({ type: 'done', origin })]) });
      const arrived = nextMessage((data) => data['type'] === 'done' && data['origin'] === origin);
      container.append(frame);
      await arrived;
    }
    await pause();
    equal(fake.calls.requestIdentity, 0, 'no recovery');
    equal(fake.calls.getTokens, 1, 'no token answer');
    equal(fake.reportedHeights.length, heights, 'height unchanged');
    equal(of('looker-dashboard-run-complete').length, 1, 'no forged event');
    equal(embed.iframe, iframe);
  });

  it('works cross-origin: a Looker host on 127.0.0.1 with the page on localhost', async () => {
    const { fake, embed } = await mount({ options: { host: otherOrigin } });
    ok(embed.iframe!.src.startsWith(`${otherOrigin}/`));
    await waitFor(() => of('looker-dashboard-run-complete').length === 1, 'run complete from a cross-origin frame');
    await waitFor(() => fake.reportedHeights.length === 1, 'content height from a cross-origin frame');
    equal(embed.iframe!.getAttribute('sandbox'), LOOKER_SANDBOX, "sandbox with allow-modals: Looker's dialogs work");
  });

  it('recovers from session:expired and from session:status expired with a new session and iframe', async () => {
    const fresh = [acquired(), acquired()];
    const { fake, embed } = await mount({ onRequestIdentity: () => fresh.shift()! });
    const first = embed.iframe!;
    await waitFor(() => standinOf(first)?.tokens.length === 1, 'first session');
    command(first, { type: 'standin:expire' });
    await waitFor(() => embed.iframe !== first && standinOf(embed.iframe)?.tokens.length === 1, 'second session');
    deepEqual(fake.actions, ['acquire']);
    ok(!first.isConnected, 'old iframe removed');
    equal(container.querySelectorAll('iframe').length, 1);
    const second = embed.iframe!;
    ok(standinOf(second)!.valid);
    // The new session's own tokens answer its first request (the shared ones belong to the old session).
    equal(
      standinOf(second)!.tokens[0]!['api_token'],
      String(standinOf(second)!.authenticationToken).replace('auth-', 'api-'),
    );
    await waitFor(() => of('looker-dashboard-run-complete').length === 2, 'runs again');

    command(second, { type: 'standin:expire', via: 'status' });
    await waitFor(() => embed.iframe !== second && standinOf(embed.iframe)?.tokens.length === 1, 'third session');
    deepEqual(fake.actions, ['acquire', 'acquire']);
    deepEqual(fake.reportedErrors, []);
  });

  it('stops after 3 failed recoveries in a row and reports a vendor error', async () => {
    // Every new session is already over (session_reference_token_ttl 0): the stand-in expires at once.
    const { fake, embed } = await mount({ onRequestIdentity: () => acquired({ session_reference_token_ttl: 0 }) });
    await waitFor(() => standinOf(embed.iframe)?.tokens.length === 1, 'first session');
    command(embed.iframe!, { type: 'standin:expire' });
    await waitFor(() => fake.reportedErrors.length === 1, 'error reported', 5000);
    await pause();
    equal(fake.calls.requestIdentity, 3);
    equal(fake.reportedErrors.length, 1);
    equal((fake.reportedErrors[0] as EmbedError).code, 'vendor');
  });

  it('reports page:properties:changed heights above 100 px to the element', async () => {
    const { fake, embed } = await mount({});
    const iframe = embed.iframe!;
    await waitFor(() => fake.reportedHeights.length === 1, 'content height');
    for (const height of [777, 100, -3, 'tall', 150.2]) command(iframe, { type: 'standin:resize', height });
    await waitFor(() => fake.reportedHeights.length === 3, 'two more heights');
    deepEqual(fake.reportedHeights.slice(1), [777, 151]);
    equal(iframe.style.height, '100%', 'the iframe fills the box the element sizes');
  });

  it('run() and updateFilters() drive the dashboard; its events are re-emitted on the element', async () => {
    const { embed } = await mount({});
    await waitFor(() => of('looker-dashboard-run-complete').length === 1, 'first run');
    const start = of('looker-dashboard-run-start')[0]!;
    equal(start.target, outer, 'reached the document through the shadow root around the element');
    ok(start.bubbles && start.composed, 'bubbling and composed');
    const onHost: (EventTarget | null)[] = [];
    host.addEventListener('looker-dashboard-run-complete', (event) => onHost.push(event.target));
    equal(start.detail['type'], 'dashboard:run:start');

    ok(embed.updateFilters({ Brand: 'Acme' }));
    await waitFor(() => of('looker-dashboard-filters-changed').length === 1, 'filters changed');
    const changed = of('looker-dashboard-filters-changed')[0]!;
    equal(changed.detail['type'], 'dashboard:filters:changed');
    deepEqual((changed.detail['dashboard'] as Record<string, unknown>)['dashboard_filters'], { Brand: 'Acme' });
    ok(embed.run());
    await waitFor(() => of('looker-dashboard-run-complete').length === 2, 'second run');
    equal(standinOf(embed.iframe)!.runs, 2);
    equal(onHost.length, 1, 'dispatched on the element itself');
    equal(onHost[0], host);
    deepEqual(
      (of('looker-dashboard-run-complete')[1]!.detail['dashboard'] as Record<string, unknown>)['dashboard_filters'],
      { Brand: 'Acme' },
    );
    equal(of('looker-dashboard-run-start').length, 2);
  });

  it('signed mode: loads the signed URL and replaces the iframe with a fresh one before session_length ends', async () => {
    const clock = new FakeClock(Date.now());
    const signedUrl = (): string =>
      `${pageOrigin}/login/embed/${encodeURIComponent(`/embed/dashboards/7?embed_domain=${encodeURIComponent(pageOrigin)}`)}` +
      `?nonce=${uid()}&time=1&session_length=600&external_user_id=u1&signature=sig`;
    const { fake, embed } = await mount({
      tokens: { url: signedUrl(), session_length: 600 },
      options: { mode: 'signed' },
      onRefreshTokens: () => ({ url: signedUrl(), session_length: 600 }),
      clock,
    });
    const first = embed.iframe!;
    await waitFor(() => standinOf(first)?.runs === 1, 'signed dashboard');
    ok(standinOf(first)!.signed);
    equal(standinOf(first)!.tokenRequests, 0, 'no token exchange in signed mode');
    await clock.advance(539_000);
    equal(fake.calls.refreshTokens, 0, 'not yet');
    equal(embed.iframe, first);
    await clock.advance(1_000);
    equal(fake.calls.refreshTokens, 1, 'renewed 60 s before the end');
    await waitFor(() => embed.iframe !== first && standinOf(embed.iframe)?.runs === 1, 'new signed iframe');
    ok(!first.isConnected);
    deepEqual(standinOf(embed.iframe)!.errors, []);
    equal(clock.pending, 1, 'next renewal scheduled');
    embed.destroy();
    equal(clock.pending, 0, 'timer cleared on destroy');
    equal(container.querySelector('iframe'), null);
  });

  it("signed mode without session_length or expires renews before the grant's expiresAt", async () => {
    const clock = new FakeClock(Date.now());
    const signedUrl = (): string =>
      `${pageOrigin}/login/embed/${encodeURIComponent(`/embed/dashboards/7?embed_domain=${encodeURIComponent(pageOrigin)}`)}` +
      `?nonce=${uid()}&time=1&session_length=300&external_user_id=u1&signature=sig`;
    const fake = createFakeContext({
      tokens: { url: signedUrl() },
      dashboardId: '7',
      host,
      options: { host: pageOrigin, mode: 'signed' },
      onRefreshTokens: () => ({ url: signedUrl() }),
      clock,
    });
    withExpiry(fake, () => clock.now() + 300_000);
    const embed = await adapter.mount(container, fake.context);
    embeds.push(embed);
    await clock.advance(239_000);
    equal(fake.calls.refreshTokens, 0, 'not yet');
    await clock.advance(1_000);
    equal(fake.calls.refreshTokens, 1, '60 s before the expiry the session gave');
  });

  it('signed mode refuses a signed URL for another host', async () => {
    const fake = createFakeContext({
      tokens: { url: 'https://evil.example.com/login/embed/x?signature=s', session_length: 600 },
      options: { host: pageOrigin, mode: 'signed' },
      dashboardId: '1',
    });
    const error = await rejects(adapter.mount(container, fake.context));
    equal(error.code, 'vendor');
    equal(container.querySelector('iframe'), null);
  });

  it('refuses an http host other than localhost', async () => {
    const fake = createFakeContext({
      tokens: acquired(),
      options: { host: 'http://looker.example.com' },
      dashboardId: '1',
    });
    const error = await rejects(lookerAdapter.mount(container, fake.context));
    equal(error.code, 'invalid-attribute');
    equal(error.attribute, 'vendor-options');
    equal(container.querySelector('iframe'), null);
  });

  it('teardown (destroy, abort, or abort while acquiring) leaves no iframe and no listener', async () => {
    const tracker = trackMessageListeners();
    try {
      const a = await mount({});
      const b = await mount({ tokens: acquired() });
      equal(tracker.live, 2);
      a.embed.destroy();
      b.fake.controller.abort();
      equal(tracker.live, 0, 'listeners released');
      equal(container.querySelectorAll('iframe').length, 0);
      equal(a.embed.iframe, null);
      equal(a.embed.run(), false);

      let answer: (tokens: TokenSet) => void = () => {};
      const used = acquired();
      await mount({ tokens: used }).then(({ embed }) => embed.destroy());
      const fake = createFakeContext({
        tokens: used,
        dashboardId: '1',
        options: { host: pageOrigin },
        onRequestIdentity: () => new Promise<TokenSet>((resolve) => (answer = resolve)),
      });
      const pending = adapter.mount(container, fake.context);
      await waitFor(() => fake.calls.requestIdentity === 1, 'acquire started');
      fake.controller.abort();
      answer(acquired());
      equal((await rejects(pending)).code, 'disposed');
      equal(container.querySelectorAll('iframe').length, 0);
      equal(tracker.live, 0);
    } finally {
      tracker.restore();
    }
  });
});
