// <embed-dashboard share="tabs"> in Chromium: the element's session shares with "another tab" (a
// shareAcrossTabs peer in the same page, on its own BroadcastChannel, with the key the element uses).
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import '../element/test-vendor.js';
import { parseConfig, tabShareKey } from '../../src/element/config.js';
import { resolveExpiry } from '../../src/token/expiry.js';
import { shareAcrossTabs, type SharedFetcher } from '../../src/token/tab-share.js';
import { lockNames } from '../../src/token/tab-share-protocol.js';
import type { FetchRequest, IdentityResponse } from '../../src/token/types.js';
import { equal, ok, waitFor } from '../helpers/assert.js';
import { mockIdentity } from '../helpers/identity-mock.js';
import { create, elementTestHooks, embedText, ok600, uniqueUrls } from '../element/element-test-setup.js';
import { record } from '../element/test-vendor.js';

const uniqueUrl = uniqueUrls('tab-share-element');

interface Peer {
  shared: SharedFetcher;
  calls: number;
  ask(reason: FetchRequest['reason']): Promise<IdentityResponse>;
}

/** Another tab with the element's inputs: its own fetcher, counting calls. */
function peerTab(url: string): Peer {
  const key = tabShareKey(parseConfig({ vendor: 'test-vendor', identityUrl: url, share: 'tabs' }));
  let calls = 0;
  const shared = shareAcrossTabs(
    async () => ({ vendor: 'test-vendor', tokens: { t: `peer-${++calls}` }, expiresIn: 600, receivedAt: Date.now() }),
    { key, lifetimeOf: (response) => resolveExpiry(response, 300_000).lifetimeMs },
  );
  return {
    shared,
    get calls() {
      return calls;
    },
    ask: (reason) => shared({ signal: new AbortController().signal, reason }),
  };
}

describe('<embed-dashboard share="tabs">', () => {
  elementTestHooks();
  const peers: SharedFetcher[] = [];
  afterEach(() => {
    for (const shared of peers.splice(0)) shared.dispose();
  });

  it('takes the tokens another tab holds (no identity request), then follows its refreshes', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600('own'));
    const peer = peerTab(url);
    peers.push(peer.shared);
    await peer.ask('initial');
    const element = create({ vendor: 'test-vendor', 'identity-url': url, share: 'tabs' });
    await waitFor(() => element.state === 'ready', 'ready');
    equal(embedText(element), 'peer-1');
    await peer.ask('refresh');
    await waitFor(() => embedText(element) === 'peer-2', 'the refreshed tokens handed to the embed');
    equal(seen.length, 0, 'the element never asked the endpoint');
    equal(record.mounts, 1, 'new tokens without a re-mount');
  });

  it('fetches when no tab holds tokens, and the other tab takes its answer', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600('own'));
    const element = create({ vendor: 'test-vendor', 'identity-url': url, share: 'tabs' });
    await waitFor(() => element.state === 'ready', 'ready');
    equal(embedText(element), 'own');
    const peer = peerTab(url);
    peers.push(peer.shared);
    equal((await peer.ask('initial')).tokens.t, 'own');
    equal(peer.calls, 0);
    equal(seen.length, 1);
  });

  it('share="page" (the default) shares nothing with other tabs', async () => {
    const url = uniqueUrl();
    const seen = mockIdentity(url, () => ok600('own'));
    const peer = peerTab(url);
    peers.push(peer.shared);
    await peer.ask('initial');
    const element = create({ vendor: 'test-vendor', 'identity-url': url });
    await waitFor(() => element.state === 'ready', 'ready');
    equal(embedText(element), 'own');
    equal(seen.length, 1);
  });

  it('removing the element releases its tab-sharing locks', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => ok600('own'));
    const element = create({ vendor: 'test-vendor', 'identity-url': url, share: 'tabs' });
    await waitFor(() => element.state === 'ready', 'ready');
    const key = tabShareKey(parseConfig({ vendor: 'test-vendor', identityUrl: url, share: 'tabs' }));
    const held = async (): Promise<boolean> =>
      ((await navigator.locks.query()).held ?? []).some((lock) => lock.name === lockNames(key).holders);
    ok(await held(), 'the element holds the key while mounted');
    element.remove();
    // The session goes a microtask after the last element (a same-task move keeps it).
    for (let i = 0; i < 20 && (await held()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    ok(!(await held()), 'locks released');
  });
});
