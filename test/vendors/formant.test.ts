import '../helpers/mocha-globals.js';
import { deepEqual, equal, match, ok, rejects, waitFor, thrownEmbedError } from '../helpers/assert.js';
import { makeJwt } from '../helpers/jwt.js';
import { EmbedError } from '../../src/errors.js';
import formantAdapter, {
  authTokenMessage,
  buildViewMessage,
  formantEmbedSrc,
  formantModuleSrc,
  isConnectionCheck,
  isTokenRefreshRequest,
  onlineMessage,
  readFormantOptions,
  readFormantToken,
} from '../../src/vendors/formant.js';
import { createFakeContext, type FakeContext } from './fake-context.js';
import { countLoads, mountsPerTest, pageOrigin, pause, trackMessageListeners } from './iframe-test-utils.js';

const STANDIN = `${pageOrigin}/demo/standins/formant-embed.html`;
const MODULE_STANDIN = `${pageOrigin}/demo/standins/formant-module.html`;

interface FormantStandin {
  loads: Record<string, unknown>[];
  updates: Record<string, unknown>[];
  rejected: { reason: string }[];
  ignoredObjects: number;
  token: string | null;
  exp: number | null;
}
interface ModuleStandin {
  module: string;
  initialToken: string;
  tokens: string[];
  refused: string[];
  requestRefresh(): void;
}

const token = (exp: number): string => makeJwt({ sub: 'svc', exp, iat: exp - 3600 });
/** A JWT whose base64url payload has `_` in it: strict base64 (Formant's SDK, atob) cannot decode it. */
const base64urlOnly = makeJwt({ sub: 'svc', exp: 2_000_000_000, note: '?' });
/** The next message the page inside `iframe` receives that passes `match`. */
function nextMessageIn(iframe: HTMLIFrameElement, match: (data: Record<string, unknown>) => boolean): Promise<unknown> {
  const view = iframe.contentWindow!;
  return new Promise((resolve) => {
    view.addEventListener('message', function listener(event: MessageEvent) {
      const data = event.data as Record<string, unknown> | null;
      if (!data || typeof data !== 'object' || !match(data)) return;
      view.removeEventListener('message', listener);
      resolve(data);
    });
  });
}
const standinOf = (iframe: HTMLIFrameElement): FormantStandin | undefined =>
  (iframe.contentWindow as (Window & { formantStandin?: FormantStandin }) | null)?.formantStandin;

describe('formant: options and messages (pure)', () => {
  it('defaults: Formant embed and API, view from dashboard-id, no devices', () => {
    const options = readFormantOptions({}, 'view-1');
    equal(options.embedUrl, 'https://embed.formant.io/');
    equal(options.apiBaseUrl, 'https://api.formant.io');
    equal(options.viewId, 'view-1');
    deepEqual(options.deviceIds, []);
    equal(options.module, undefined);
  });

  it('rejects bad options with invalid-attribute', () => {
    equal(thrownEmbedError(() => readFormantOptions({}, '')).attribute, 'dashboard-id', 'no view');
    for (const raw of [
      { embedUrl: 'http://embed.example.com' },
      { apiBaseUrl: 'http://api.example.com' },
      { deviceIds: 'd1' },
      { deviceIds: [1] },
      { module: 'm' }, // module mode needs the module's URL
      { viewId: 3 },
      { sandbox: 3 },
      { embedUrl: 'https://m.example.com', module: 'm', moduleParams: { auth: 'x' } },
      { embedUrl: 'https://m.example.com', module: 'm', moduleParams: { formant_url: 'https://x.example.com' } },
    ]) {
      const error = thrownEmbedError(() => readFormantOptions(raw, 'v'));
      equal(error.code, 'invalid-attribute', JSON.stringify(raw));
      equal(error.attribute, 'vendor-options', JSON.stringify(raw));
    }
  });

  it('builds viewEmbedLoad with only the fields that are set', () => {
    const plain = readFormantOptions({ deviceIds: ['d1'] }, 'v1');
    deepEqual(buildViewMessage('viewEmbedLoad', plain, 'T'), {
      messageType: 'viewEmbedLoad',
      authToken: 'T',
      viewId: 'v1',
      deviceIds: ['d1'],
      apiBaseUrl: 'https://api.formant.io',
    });
    const full = readFormantOptions(
      {
        viewId: 'v2',
        moduleId: 'm1',
        apiBaseUrl: 'https://api.eu.formant.io/',
        themeOverride: { dark: true },
        timeRange: { start: 1, end: 2 },
        message: { locale: 'fr', messageType: 'evil', authToken: 'evil' },
      },
      'ignored',
    );
    deepEqual(buildViewMessage('viewEmbedUpdate', full, 'T2'), {
      locale: 'fr',
      messageType: 'viewEmbedUpdate',
      authToken: 'T2',
      viewId: 'v2',
      deviceIds: [],
      apiBaseUrl: 'https://api.eu.formant.io',
      moduleId: 'm1',
      themeOverride: { dark: true },
      timeRange: { start: 1, end: 2 },
    });
  });

  it('keeps the token out of the embed URL; module URLs carry auth and module', () => {
    const src = new URL(formantEmbedSrc('https://embed.formant.io/?x=1', 'frame-9'));
    equal(src.searchParams.get('iframeId'), 'frame-9');
    equal(src.searchParams.get('x'), '1');
    const moduleSrc = new URL(
      formantModuleSrc('https://m.example.com/mod', 'TOK', 'map', { device: 'd1' }, 'https://api.eu.formant.io'),
    );
    deepEqual(
      [...moduleSrc.searchParams],
      [
        ['device', 'd1'],
        ['auth', 'TOK'],
        ['module', 'map'],
        ['formant_url', 'https://api.eu.formant.io'],
      ],
    );
    equal(
      new URL(formantModuleSrc('https://m.example.com/', 'T', 'm')).searchParams.get('formant_url'),
      'https://api.formant.io',
    );
  });

  it('reads accessToken, and answers only refresh requests for its own module', () => {
    equal(readFormantToken({ accessToken: 'abc' }), 'abc');
    equal(thrownEmbedError(() => readFormantToken({ token: 'abc' })).code, 'malformed-token');
    ok(isTokenRefreshRequest({ type: 'refresh_auth_token', module: 'map' }, 'map'));
    ok(!isTokenRefreshRequest({ type: 'refresh_auth_token', module: 'other' }, 'map'));
    ok(!isTokenRefreshRequest({ type: 'auth_token', module: 'map' }, 'map'));
    deepEqual(authTokenMessage('t'), { type: 'auth_token', token: 't' });
    ok(isConnectionCheck({ type: 'formant_online' }));
    ok(!isConnectionCheck({ type: 'formant_online', online: true }), 'an answer is not a question');
    deepEqual(onlineMessage(true), { type: 'formant_online', online: true });
  });
});

describe('formant adapter (real iframe, stand-in embed)', () => {
  const mounts = mountsPerTest();
  let container: HTMLDivElement;
  let fake: FakeContext;
  const exp1 = 2_000_000_000;
  const exp2 = 2_000_003_600;

  beforeEach(() => {
    container = mounts.container();
  });

  it('first render: loads the embed without the token, then posts viewEmbedLoad as a JSON string', async () => {
    fake = createFakeContext({
      tokens: { accessToken: token(exp1) },
      dashboardId: 'view-42',
      options: { embedUrl: STANDIN, deviceIds: ['dev-1', 'dev-2'], apiBaseUrl: 'http://localhost:1/api' },
    });
    mounts.track(await formantAdapter.mount(container, fake.context));
    const iframe = container.querySelector('iframe');
    ok(iframe, 'an iframe');
    const src = new URL(iframe.src);
    match(src.searchParams.get('iframeId') ?? '', /^formant-embed-/);
    ok(!iframe.src.includes(String(fake.context.grant.tokens['accessToken'])), 'no token in the URL');
    await waitFor(() => standinOf(iframe)?.loads.length === 1, 'viewEmbedLoad');
    const standin = standinOf(iframe)!;
    deepEqual(standin.loads[0], {
      messageType: 'viewEmbedLoad',
      authToken: token(exp1),
      viewId: 'view-42',
      deviceIds: ['dev-1', 'dev-2'],
      apiBaseUrl: 'http://localhost:1/api',
    });
    equal(standin.exp, exp1);
    deepEqual(standin.rejected, []);
    equal(iframe.contentDocument?.getElementById('view')?.textContent, 'view-42');
  });

  it('token rotation posts viewEmbedUpdate to the same iframe, without a reload', async () => {
    fake = createFakeContext({
      tokens: { accessToken: token(exp1) },
      dashboardId: 'view-42',
      options: { embedUrl: STANDIN },
    });
    const loads = countLoads(container);
    const embed = mounts.track(await formantAdapter.mount(container, fake.context));
    const iframe = container.querySelector('iframe')!;
    await waitFor(() => standinOf(iframe)?.loads.length === 1, 'viewEmbedLoad');
    embed.update({ tokens: { accessToken: token(exp2) }, expiresAt: null });
    embed.update({ tokens: { accessToken: token(exp2) }, expiresAt: null }); // the same token again: nothing to post
    await waitFor(() => standinOf(iframe)?.updates.length === 1, 'viewEmbedUpdate');
    await pause();
    const standin = standinOf(iframe)!;
    equal(standin.updates.length, 1, 'one update for one new token');
    equal(standin.updates[0]?.['messageType'], 'viewEmbedUpdate');
    equal(standin.updates[0]?.['authToken'], token(exp2));
    equal(standin.exp, exp2, 'the embed shows the new exp');
    equal(standin.loads.length, 1, 'not started again');
    equal(container.querySelector('iframe'), iframe, 'same iframe element');
    equal(container.querySelectorAll('iframe').length, 1);
    equal(loads.count(iframe), 1, 'one load event');
    equal(iframe.contentDocument?.getElementById('updates')?.textContent, '1');
    loads.stop();
  });

  it('a token that arrives before the load goes in viewEmbedLoad, with no extra update', async () => {
    fake = createFakeContext({
      tokens: { accessToken: token(exp1) },
      dashboardId: 'v',
      options: { embedUrl: STANDIN },
    });
    const embed = mounts.track(await formantAdapter.mount(container, fake.context));
    embed.update({ tokens: { accessToken: token(exp2) }, expiresAt: null });
    const iframe = container.querySelector('iframe')!;
    await waitFor(() => standinOf(iframe)?.loads.length === 1, 'viewEmbedLoad');
    await pause();
    equal(standinOf(iframe)!.loads[0]?.['authToken'], token(exp2));
    equal(standinOf(iframe)!.updates.length, 0);
  });

  it('the stand-in is as strict as the embed: objects are ignored, bad messages rejected', async () => {
    fake = createFakeContext({
      tokens: { accessToken: token(exp1) },
      dashboardId: 'v',
      options: { embedUrl: STANDIN },
    });
    mounts.track(await formantAdapter.mount(container, fake.context));
    const iframe = container.querySelector('iframe')!;
    await waitFor(() => standinOf(iframe)?.loads.length === 1, 'viewEmbedLoad');
    iframe.contentWindow!.postMessage({ messageType: 'viewEmbedUpdate', authToken: 'x' }, pageOrigin);
    iframe.contentWindow!.postMessage(JSON.stringify({ messageType: 'viewEmbedLoad', authToken: 'x' }), pageOrigin);
    await waitFor(
      () => standinOf(iframe)!.rejected.length === 1 && standinOf(iframe)!.ignoredObjects === 1,
      'refusals',
    );
    equal(standinOf(iframe)!.updates.length, 0);
  });

  it('the stand-in decodes tokens as strictly as Formant: a base64url-only payload is refused', async () => {
    ok(/[-_]/.test(base64urlOnly.split('.')[1]!), 'the payload needs base64url characters');
    fake = createFakeContext({
      tokens: { accessToken: base64urlOnly },
      dashboardId: 'v',
      options: { embedUrl: STANDIN },
    });
    mounts.track(await formantAdapter.mount(container, fake.context));
    const iframe = container.querySelector('iframe')!;
    await waitFor(() => (standinOf(iframe)?.rejected.length ?? 0) === 1, 'the refusal');
    match(standinOf(iframe)!.rejected[0]!.reason, /strict base64/);
    equal(standinOf(iframe)!.loads.length, 0);
    equal(standinOf(iframe)!.token, null);
  });

  it('reports unreadable tokens on update instead of posting them', async () => {
    fake = createFakeContext({
      tokens: { accessToken: token(exp1) },
      dashboardId: 'v',
      options: { embedUrl: STANDIN },
    });
    const embed = mounts.track(await formantAdapter.mount(container, fake.context));
    embed.update({ tokens: { access_token: 'wrong-key' }, expiresAt: null });
    equal(fake.reportedErrors.length, 1);
    equal((fake.reportedErrors[0] as EmbedError).code, 'malformed-token');
  });

  it('refuses a non-local http embed URL and tokens without accessToken', async () => {
    fake = createFakeContext({
      tokens: { accessToken: 't' },
      dashboardId: 'v',
      options: { embedUrl: 'http://embed.example.com' },
    });
    const error = await rejects(Promise.resolve().then(() => formantAdapter.mount(container, fake.context)));
    equal(error.code, 'invalid-attribute');
    equal(error.attribute, 'vendor-options');
    fake = createFakeContext({ tokens: { jwt: 't' }, dashboardId: 'v', options: { embedUrl: STANDIN } });
    equal(
      (await rejects(Promise.resolve().then(() => formantAdapter.mount(container, fake.context)))).code,
      'malformed-token',
    );
    equal(container.querySelector('iframe'), null, 'no iframe left behind');
  });

  it('teardown (destroy or abort) removes the iframe and its message listener', async () => {
    const tracker = trackMessageListeners();
    try {
      fake = createFakeContext({
        tokens: { accessToken: token(exp1) },
        dashboardId: 'v',
        options: { embedUrl: STANDIN },
      });
      const first = await formantAdapter.mount(container, fake.context);
      const other = createFakeContext({
        tokens: { accessToken: token(exp1) },
        dashboardId: 'v',
        options: { embedUrl: STANDIN },
      });
      await formantAdapter.mount(container, other.context);
      equal(tracker.live, 2);
      const ids = [...container.querySelectorAll('iframe')].map((frame) =>
        new URL(frame.src).searchParams.get('iframeId'),
      );
      ok(ids[0] && ids[1] && ids[0] !== ids[1], 'each iframe has its own iframeId');
      equal(container.querySelectorAll('iframe').length, 2);
      first.destroy();
      other.controller.abort();
      equal(tracker.live, 0, 'listeners released');
      equal(container.querySelectorAll('iframe').length, 0, 'iframes removed');
    } finally {
      tracker.restore();
    }
  });
});

describe('formant adapter: custom-module host protocol', () => {
  const mounts = mountsPerTest();
  let container: HTMLDivElement;
  const moduleOf = (iframe: HTMLIFrameElement): ModuleStandin | undefined =>
    (iframe.contentWindow as (Window & { formantModule?: ModuleStandin }) | null)?.formantModule;

  beforeEach(() => {
    container = mounts.container();
  });

  const [first, second, third] = [token(2_000_000_000), token(2_000_003_600), token(2_000_007_200)];

  it('loads ?auth=&module=&formant_url=, answers refresh_auth_token from the session, and pushes new tokens', async () => {
    const fake = createFakeContext({
      tokens: { accessToken: first },
      options: {
        embedUrl: MODULE_STANDIN,
        module: 'map',
        moduleParams: { device: 'd7' },
        apiBaseUrl: 'https://api.eu.formant.io',
      },
    });
    const embed = mounts.track(await formantAdapter.mount(container, fake.context));
    const iframe = container.querySelector('iframe')!;
    const src = new URL(iframe.src);
    equal(src.searchParams.get('auth'), first);
    equal(src.searchParams.get('module'), 'map');
    equal(src.searchParams.get('device'), 'd7');
    equal(src.searchParams.get('formant_url'), 'https://api.eu.formant.io');
    await waitFor(() => moduleOf(iframe)?.initialToken === first, 'module page');
    await waitFor(() => moduleOf(iframe)!.tokens.length === 1, 'the token posted after load');
    deepEqual(moduleOf(iframe)!.tokens, [first]);

    fake.setTokens({ accessToken: second });
    moduleOf(iframe)!.requestRefresh();
    await waitFor(() => moduleOf(iframe)!.tokens.length === 2, 'auth_token answer');
    deepEqual(moduleOf(iframe)!.tokens, [first, second]);
    equal(fake.calls.getTokens, 1, 'answered from the shared session');

    // A refresh request naming another module is not ours to answer.
    (iframe.contentWindow as Window & { eval(code: string): unknown }).eval(
      "parent.postMessage({type: 'refresh_auth_token', module: 'other'}, '*')",
    );
    await pause();
    equal(fake.calls.getTokens, 1, 'other module ignored');

    embed.update({ tokens: { accessToken: third }, expiresAt: null });
    await waitFor(() => moduleOf(iframe)!.tokens.length === 3, 'pushed token');
    deepEqual(moduleOf(iframe)!.tokens, [first, second, third]);
    deepEqual(moduleOf(iframe)!.refused, []);

    // A reload starts again from the URL's (old) token: the current one follows at once.
    iframe.contentWindow!.location.reload();
    await waitFor(() => moduleOf(iframe)?.tokens.length === 1, 'the token posted after the reload');
    equal(moduleOf(iframe)!.initialToken, first, 'the URL still has the first token');
    deepEqual(moduleOf(iframe)!.tokens, [third]);
  });

  it('answers formant_online, and the module stand-in refuses a base64url-only token', async () => {
    const fake = createFakeContext({
      tokens: { accessToken: first },
      options: { embedUrl: MODULE_STANDIN, module: 'map' },
    });
    const embed = mounts.track(await formantAdapter.mount(container, fake.context));
    const iframe = container.querySelector('iframe')!;
    await waitFor(() => moduleOf(iframe)?.tokens.length === 1, 'module page');
    const answer = nextMessageIn(iframe, (data) => data['type'] === 'formant_online');
    (iframe.contentWindow as Window & { eval(code: string): unknown }).eval(
      "parent.postMessage({type: 'formant_online'}, '*')",
    );
    deepEqual(await answer, { type: 'formant_online', online: navigator.onLine });
    embed.update({ tokens: { accessToken: base64urlOnly }, expiresAt: null });
    await waitFor(() => moduleOf(iframe)!.refused.length === 1, 'the refusal');
    deepEqual(moduleOf(iframe)!.tokens, [first]);
  });
});
