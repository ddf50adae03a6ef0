// The one way iframe-based vendor adapters talk to a vendor's embed: an iframe plus a postMessage
// channel that only trusts that iframe's window at that iframe's origin, and posts to nothing else.
import { EmbedError } from '../errors.js';

/**
 * The `sandbox` an embed iframe gets unless told otherwise: scripts and its own origin (needed to talk
 * to its own servers and to send us messages with a real origin), forms, popups (drill-downs, "open in
 * new tab") and downloads. No top navigation: an embed can never navigate the app's page away.
 */
export const DEFAULT_SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads';

/** The `allow` (permissions policy) an embed iframe gets unless told otherwise. */
export const DEFAULT_ALLOW = 'fullscreen; clipboard-write';

/** Hosts where plain `http:` is accepted (local development and tests); everywhere else needs `https:`. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A message received from the iframe, parsed to a plain object. */
export type ChannelMessage = Readonly<Record<string, unknown>>;

/** Options of {@link createIframeChannel}. */
export interface IframeChannelOptions {
  /** The URL the iframe loads. Must pass {@link checkEmbedUrl}; its origin is the only one trusted. */
  src: string;
  /**
   * The iframe's `sandbox` attribute: a string of tokens (default {@link DEFAULT_SANDBOX}), or `null`
   * for no sandbox at all. Keep `allow-scripts allow-same-origin`, or the embed cannot run or reach us.
   */
  sandbox?: string | null;
  /** The iframe's `allow` attribute (default {@link DEFAULT_ALLOW}). */
  allow?: string;
  /** The iframe's `title`, read by screen readers (default "Embedded dashboard"). */
  title?: string;
  /** Called with every accepted message (right window, right origin, a JSON object or JSON-object string). */
  onMessage?: (message: ChannelMessage, event: MessageEvent) => void;
  /** Called on every `load` of the iframe (the first one and any later navigation inside it). */
  onLoad?: () => void;
  /** Aborting it destroys the channel. */
  signal?: AbortSignal;
  /** Name of the option at fault in errors (default `vendor-options`). */
  attribute?: string;
}

/** A live iframe channel. */
export interface IframeChannel {
  /** The iframe element (already in the container). */
  readonly iframe: HTMLIFrameElement;
  /** The only origin messages are accepted from and posted to. */
  readonly origin: string;
  /** True once destroyed: posts are dropped, no message is delivered any more. */
  readonly destroyed: boolean;
  /**
   * Posts `message` to the iframe at {@link origin} exactly (never `"*"`), as is: pass a string for
   * vendors that want JSON strings. Returns false (and posts nothing) when destroyed, or before the
   * frame has loaded or sent a message (its page is not there yet to receive anything).
   */
  post(message: unknown): boolean;
  /** Posts `JSON.stringify(message)`; see {@link post}. */
  postJson(message: object): boolean;
  /** Removes the listener and the iframe. Safe to call more than once. */
  destroy(): void;
}

/**
 * Checks that an embed URL is absolute and `https:` (`http:` only on localhost, 127.0.0.1 and [::1]),
 * with no user name or password in it. Returns the parsed URL.
 * @throws EmbedError `invalid-attribute` naming `attribute` when it is not.
 */
export function checkEmbedUrl(url: string, what: string, attribute = 'vendor-options'): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL itself is not echoed: an embed URL may carry a token (Formant modules, Looker logins).
    throw new EmbedError('invalid-attribute', `${what} must be an absolute https: URL.`, { attribute });
  }
  const local = LOOPBACK_HOSTS.has(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) {
    throw new EmbedError(
      'invalid-attribute',
      `${what} must use https: (http: is accepted only on localhost and 127.0.0.1); got "${parsed.origin}".`,
      { attribute },
    );
  }
  if (parsed.username || parsed.password) {
    throw new EmbedError('invalid-attribute', `${what} must not carry a user name or password.`, { attribute });
  }
  return parsed;
}

/**
 * Reads a postMessage payload: a plain object as is, or a string holding a JSON object.
 * Returns `null` for anything else (arrays, numbers, unparsable strings), which callers ignore.
 */
export function parseMessage(data: unknown): ChannelMessage | null {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value as ChannelMessage;
}

/**
 * Creates an iframe at `options.src` inside `container` and a message channel to it. Messages are
 * accepted only when `event.source` is this iframe's window AND `event.origin` is the origin of
 * `src` (a frame that navigates elsewhere, or another frame of the same origin, is ignored).
 * Destroying the channel (or aborting `options.signal`) removes the listener and the iframe.
 * @throws EmbedError `invalid-attribute` when `src` fails {@link checkEmbedUrl}.
 */
export function createIframeChannel(container: HTMLElement, options: IframeChannelOptions): IframeChannel {
  const url = checkEmbedUrl(options.src, 'The embed URL', options.attribute);
  const origin = url.origin;
  const doc = container.ownerDocument;
  const view = doc.defaultView;
  if (!view) throw new EmbedError('vendor', 'The container is not in a document with a window.');

  const iframe = doc.createElement('iframe');
  const sandbox = options.sandbox === undefined ? DEFAULT_SANDBOX : options.sandbox;
  if (sandbox !== null) iframe.setAttribute('sandbox', sandbox);
  iframe.setAttribute('allow', options.allow ?? DEFAULT_ALLOW);
  iframe.title = options.title ?? 'Embedded dashboard';
  // Fill the element's embed box; Looker sets its own height from page:properties:changed.
  iframe.style.cssText = 'display:block;width:100%;height:100%;border:0;';

  let destroyed = false;
  // Ready once the frame loaded, or spoke first (an embed may post before its `load` event fires).
  let ready = false;

  const onMessage = (event: MessageEvent): void => {
    if (destroyed) return;
    // Both checks: the source pins the frame, the origin pins what is loaded in it right now.
    if (event.source === null || event.source !== iframe.contentWindow) return;
    if (event.origin !== origin) return;
    const message = parseMessage(event.data);
    if (!message) return;
    ready = true;
    options.onMessage?.(message, event);
  };
  const onLoad = (): void => {
    if (destroyed) return;
    ready = true;
    options.onLoad?.();
  };
  const onAbort = (): void => channel.destroy();

  view.addEventListener('message', onMessage);
  iframe.addEventListener('load', onLoad);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  // src before insertion: no extra about:blank load event.
  iframe.src = url.href;
  container.append(iframe);

  const channel: IframeChannel = {
    iframe,
    origin,
    get destroyed() {
      return destroyed;
    },
    post(message: unknown): boolean {
      const target = iframe.contentWindow;
      if (destroyed || !ready || !target) return false;
      target.postMessage(message, origin);
      return true;
    },
    postJson(message: object): boolean {
      return channel.post(JSON.stringify(message));
    },
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      view.removeEventListener('message', onMessage);
      iframe.removeEventListener('load', onLoad);
      options.signal?.removeEventListener('abort', onAbort);
      iframe.remove();
    },
  };
  if (options.signal?.aborted) channel.destroy();
  return channel;
}
