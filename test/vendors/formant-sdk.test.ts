// The Formant adapter in custom-module mode, judged by Formant's own client: a module page running the
// published @formant/data-sdk 1.8.0 (fixtures/formant-sdk-module.html) in the adapter's iframe, served
// from the other loopback origin (cross-origin, as a real module host is), with the one Formant API
// call it makes answered by a strict loopback stand-in (formant-sdk-server.mjs) on a clock the test sets.
import '../helpers/mocha-globals.js';
import { deepEqual, equal, ok, waitFor } from '../helpers/assert.js';
import { makeJwt } from '../helpers/jwt.js';
import formantAdapter from '../../src/vendors/formant.js';
import { createFakeContext } from './fake-context.js';
import { mountsPerTest, otherOrigin, pageOrigin } from './iframe-test-utils.js';

const MODULE_PAGE = `${otherOrigin}/test/vendors/fixtures/formant-sdk-module.html`;
const T0 = 1_900_000_000;

interface SdkState {
  type: 'sdk-module:state';
  loadId: string;
  token: string | null;
  userId: string | null;
}
interface LookUp {
  id: string;
  token: string | null;
}

/** A Formant embed token as login-embed issues it (the SDK reads `sub` as the user). */
const formantToken = (exp: number): string =>
  makeJwt({ sub: 'user-1', exp, iat: exp - 3600, 'formant:claims': { type: 'embed', organizationId: 'org-1' } });

async function api(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${pageOrigin}/__formant-api/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

describe('formant adapter with the real @formant/data-sdk in a module page', () => {
  const mounts = mountsPerTest();
  let states: SdkState[] = [];
  let checked: Record<string, unknown>[] = [];
  let frame: HTMLIFrameElement | undefined;
  const onMessage = (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== otherOrigin) return;
    const data = event.data as { type?: string } | null;
    if (data?.type === 'sdk-module:state') states.push(data as SdkState);
    if (data?.type === 'sdk-module:checked') checked.push(data as Record<string, unknown>);
  };
  const latest = () => states[states.length - 1];
  const ask = (action: string) => frame!.contentWindow!.postMessage({ type: 'sdk-module:do', action }, otherOrigin);

  beforeEach(async () => {
    states = [];
    checked = [];
    window.addEventListener('message', onMessage);
    await api('clock', { now: T0 });
    await api('reset', {});
  });
  afterEach(() => window.removeEventListener('message', onMessage));

  it('first token, a fresh one on refreshAuthToken(), the current one after a reload; checkConnection() resolves', async () => {
    const first = formantToken(T0 + 3600);
    const second = formantToken(T0 + 7200);
    for (const token of [first, second]) ok(!/[-_]/.test(token.split('.')[1]!), 'tokens the SDK can decode');
    const fake = createFakeContext({
      tokens: { accessToken: first },
      options: { embedUrl: MODULE_PAGE, module: 'fleet-map', apiBaseUrl: otherOrigin },
    });
    mounts.track(await formantAdapter.mount(mounts.container(), fake.context));
    frame = document.querySelector<HTMLIFrameElement>('iframe[title="Formant module fleet-map"]')!;
    equal(new URL(frame.src).searchParams.get('formant_url'), otherOrigin);

    // The SDK logged in with the URL's token and looked its user up on our API.
    await waitFor(() => latest()?.token === first && latest()?.userId === 'user-1', 'the SDK logged in', 8000);
    // (Twice: from the URL, and from the auth_token the host posts after every load.)
    const firstLookUps = (await api('requests')) as LookUp[];
    ok(firstLookUps.length >= 1, 'the user was looked up');
    deepEqual([...new Set(firstLookUps.map((lookUp) => `${lookUp.id} ${lookUp.token}`))], [`user-1 ${first}`]);

    // App.refreshAuthToken() → refresh_auth_token → auth_token from the session.
    fake.setTokens({ accessToken: second });
    ask('refresh');
    await waitFor(() => latest()?.token === second, 'the refreshed token in the SDK');
    equal(fake.calls.getTokens, 1, 'answered from the shared session');

    // An hour later the URL's token has expired; the module reloads and starts again from it.
    await api('clock', { now: T0 + 3601 });
    const before = latest()!.loadId;
    ask('reload');
    await waitFor(
      () => latest()?.loadId !== before && latest()?.token === second && latest()?.userId === 'user-1',
      'the current token in the reloaded SDK',
      8000,
    );
    const lookUps = (await api('requests')) as LookUp[];
    deepEqual(lookUps.slice(firstLookUps.length), [
      { id: 'user-1', token: first }, // the URL's token, refused: expired
      { id: 'user-1', token: second }, // posted by the host after the load
    ]);
    equal(new URL(frame.src).searchParams.get('auth'), first, 'the URL still carries the first token');

    // App.checkConnection() rejects after 1 s unless the host answers formant_online.
    ask('check');
    await waitFor(() => checked.length === 1, 'checkConnection() to settle', 3000);
    deepEqual(checked[0], { type: 'sdk-module:checked', online: navigator.onLine });
  });
});
