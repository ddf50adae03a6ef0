import '../helpers/mocha-globals.js';
import { deepEqual, equal, ok, waitFor, thrownEmbedError } from '../helpers/assert.js';
import {
  DEFAULT_ALLOW,
  DEFAULT_SANDBOX,
  checkEmbedUrl,
  createIframeChannel,
  parseMessage,
  type ChannelMessage,
  type IframeChannel,
} from '../../src/vendors/iframe-channel.js';
import {
  makeContainer,
  nextMessage,
  otherOrigin,
  pageOrigin,
  pause,
  posterUrl,
  trackMessageListeners,
} from './iframe-test-utils.js';

describe('checkEmbedUrl', () => {
  it('accepts https anywhere and http only on localhost / 127.0.0.1', () => {
    equal(checkEmbedUrl('https://embed.formant.io', 'x').origin, 'https://embed.formant.io');
    equal(checkEmbedUrl('http://localhost:8123/a', 'x').origin, 'http://localhost:8123');
    equal(checkEmbedUrl('http://127.0.0.1:9/a', 'x').origin, 'http://127.0.0.1:9');
  });

  it('rejects http elsewhere, other schemes, relative URLs and credentials, naming the attribute', () => {
    for (const url of [
      'http://example.com',
      'http://10.0.0.1',
      'http://localhost.evil.com',
      'javascript:alert(1)',
      'ftp://x.io',
      '/relative',
      'https://user:pw@x.io',
    ]) {
      const error = thrownEmbedError(() => checkEmbedUrl(url, 'The embed URL'));
      equal(error.code, 'invalid-attribute', url);
      equal(error.attribute, 'vendor-options', url);
    }
  });

  it('never echoes more than the origin of a rejected URL (it may carry a token)', () => {
    for (const url of [
      'http://embed.example.com/m?auth=SECRET-TOKEN',
      'not a url SECRET-TOKEN',
      'https://u:SECRET-TOKEN@x.io/',
    ]) {
      const error = thrownEmbedError(() => checkEmbedUrl(url, 'The embed URL'));
      ok(!error.message.includes('SECRET-TOKEN'), error.message);
    }
  });
});

describe('parseMessage', () => {
  it('reads JSON-object strings and plain objects, and nothing else', () => {
    deepEqual(parseMessage('{"type":"a","n":1}'), { type: 'a', n: 1 });
    deepEqual(parseMessage({ type: 'b' }), { type: 'b' });
    for (const value of ['[1]', '42', 'null', 'not json', '', 7, null, undefined, [1], true])
      equal(parseMessage(value), null, String(value));
  });
});

describe('createIframeChannel', () => {
  let container: HTMLDivElement;
  const channels: IframeChannel[] = [];
  const open = (options: Parameters<typeof createIframeChannel>[1]): IframeChannel => {
    const channel = createIframeChannel(container, options);
    channels.push(channel);
    return channel;
  };
  beforeEach(() => {
    container = makeContainer();
  });
  afterEach(() => {
    channels.splice(0).forEach((channel) => channel.destroy());
    container.remove();
  });

  it('creates the iframe with safe defaults, or the given sandbox / allow', () => {
    const a = open({ src: posterUrl(pageOrigin) });
    equal(a.iframe.getAttribute('sandbox'), DEFAULT_SANDBOX);
    equal(a.iframe.getAttribute('allow'), DEFAULT_ALLOW);
    ok(!DEFAULT_SANDBOX.includes('allow-top-navigation'), 'no top navigation by default');
    equal(a.iframe.parentElement, container);
    equal(a.origin, pageOrigin);
    const b = open({ src: posterUrl(pageOrigin), sandbox: 'allow-scripts allow-same-origin', allow: 'fullscreen' });
    equal(b.iframe.getAttribute('sandbox'), 'allow-scripts allow-same-origin');
    equal(b.iframe.getAttribute('allow'), 'fullscreen');
    const c = open({ src: posterUrl(pageOrigin), sandbox: null });
    equal(c.iframe.hasAttribute('sandbox'), false);
  });

  it('the iframe fills its container (no 150 px default height)', () => {
    container.style.height = '420px';
    const channel = open({ src: posterUrl(pageOrigin) });
    equal(channel.iframe.getBoundingClientRect().height, 420);
    equal(channel.iframe.getBoundingClientRect().width, container.getBoundingClientRect().width);
  });

  it('refuses an http URL that is not local', () => {
    const error = thrownEmbedError(() => open({ src: 'http://example.com/embed' }));
    equal(error.code, 'invalid-attribute');
    equal(container.querySelector('iframe'), null);
  });

  it('delivers JSON-string and object messages from its own cross-origin iframe', async () => {
    const got: ChannelMessage[] = [];
    const loaded: number[] = [];
    open({
      src: posterUrl(otherOrigin, {
        msg: JSON.stringify({ type: 'hello', n: 1 }),
        obj: JSON.stringify({ type: 'object', n: 2 }),
      }),
      onMessage: (message) => got.push(message),
      onLoad: () => loaded.push(1),
    });
    await waitFor(() => got.length === 2, 'two messages');
    deepEqual(got, [
      { type: 'hello', n: 1 },
      { type: 'object', n: 2 },
    ]);
    await waitFor(() => loaded.length === 1, 'load');
  });

  it('ignores messages from another iframe, cross-origin or same-origin, and from the page itself', async () => {
    const got: ChannelMessage[] = [];
    const own = open({ src: posterUrl(pageOrigin), onMessage: (message) => got.push(message) });
    await new Promise((resolve) => own.iframe.addEventListener('load', resolve, { once: true }));
    // Another frame on 127.0.0.1 (wrong origin and wrong source) and one on the page's own origin (wrong source).
    const strangers = [otherOrigin, pageOrigin].map((origin) => {
      const frame = document.createElement('iframe');
      frame.src = posterUrl(origin, { msg: JSON.stringify({ type: 'forged', from: origin }) });
      container.append(frame);
      return frame;
    });
    const seen = await Promise.all(
      strangers.map((_, i) =>
        nextMessage((data) => data['type'] === 'forged' && data['from'] === [otherOrigin, pageOrigin][i]),
      ),
    );
    equal(seen.length, 2, 'the forged messages reached the page');
    window.postMessage(JSON.stringify({ type: 'forged', from: 'page' }), '*');
    await pause();
    deepEqual(got, [], 'nothing delivered');
  });

  it('ignores its own iframe once it shows another origin (right source, wrong origin)', async () => {
    const got: ChannelMessage[] = [];
    const hop = posterUrl(otherOrigin, { msg: JSON.stringify({ type: 'after-navigation' }) });
    open({
      src: posterUrl(pageOrigin, { msg: JSON.stringify({ type: 'before-navigation' }), next: hop }),
      onMessage: (message) => got.push(message),
    });
    await nextMessage((data) => data['type'] === 'after-navigation');
    await pause(50);
    deepEqual(got, [{ type: 'before-navigation' }]);
  });

  it('posts to the iframe origin exactly, and nothing reaches a frame that navigated away', async () => {
    const channel = open({ src: posterUrl(pageOrigin) });
    equal(channel.post('early'), false, 'nothing posted before load');
    await new Promise((resolve) => channel.iframe.addEventListener('load', resolve, { once: true }));
    const target = channel.iframe.contentWindow as Window;
    const origins: unknown[] = [];
    const original = target.postMessage.bind(target);
    target.postMessage = ((message: unknown, targetOrigin: string) => {
      origins.push(targetOrigin);
      original(message, targetOrigin);
    }) as Window['postMessage'];
    const echo = nextMessage((data) => data['type'] === 'echo');
    ok(channel.postJson({ type: 'ping' }));
    const answer = await echo;
    deepEqual(origins, [pageOrigin], 'target origin');
    deepEqual(answer['data'], '{"type":"ping"}');
    equal(answer['origin'], pageOrigin);

    // Navigate the frame to 127.0.0.1: the browser must drop posts addressed to the old origin.
    const navigated = new Promise((resolve) => channel.iframe.addEventListener('load', resolve, { once: true }));
    channel.iframe.contentWindow?.location.replace(posterUrl(otherOrigin));
    await navigated;
    let echoed = false;
    const onEcho = (event: MessageEvent): void => {
      if (typeof event.data === 'string' && event.data.includes('"echo"')) echoed = true;
    };
    window.addEventListener('message', onEcho);
    channel.post('{"type":"secret"}');
    await pause();
    window.removeEventListener('message', onEcho);
    equal(echoed, false, 'a frame on another origin received nothing');
  });

  it('destroy() and abort remove the iframe and the message listener, and stop delivery', async () => {
    const tracker = trackMessageListeners();
    try {
      const got: ChannelMessage[] = [];
      const a = open({ src: posterUrl(pageOrigin), onMessage: (message) => got.push(message) });
      const controller = new AbortController();
      const b = open({ src: posterUrl(pageOrigin), signal: controller.signal });
      equal(tracker.live, 2, 'one listener per channel');
      equal(container.querySelectorAll('iframe').length, 2);
      await new Promise((resolve) => a.iframe.addEventListener('load', resolve, { once: true }));
      const frameWindow = a.iframe.contentWindow as Window;
      a.destroy();
      a.destroy();
      controller.abort();
      equal(tracker.live, 0, 'listeners released');
      equal(container.querySelectorAll('iframe').length, 0, 'iframes removed');
      ok(a.destroyed && b.destroyed);
      equal(a.post('x'), false);
      // A message arriving after destroy is not delivered (the frame window object outlives removal briefly).
      window.dispatchEvent(
        new MessageEvent('message', { data: '{"type":"late"}', origin: pageOrigin, source: frameWindow }),
      );
      deepEqual(got, []);
    } finally {
      tracker.restore();
    }
  });

  it('a channel created with an already-aborted signal is destroyed at once', () => {
    const controller = new AbortController();
    controller.abort();
    const channel = open({ src: posterUrl(pageOrigin), signal: controller.signal });
    ok(channel.destroyed);
    equal(container.querySelector('iframe'), null);
  });
});
