// Helpers for the vendor adapter tests: the two test origins, message-listener counting, load counting,
// and containers/embeds cleaned up after each test.
import '../helpers/mocha-globals.js';
import type { VendorEmbed } from '../../src/vendors/contract.js';

/** The test page's origin (`http://localhost:<port>`). */
export const pageOrigin = location.origin;
/** The same server on another origin (`http://127.0.0.1:<port>`): a cross-origin frame. */
export const otherOrigin = `http://127.0.0.1:${location.port}`;

/** The poster fixture (see fixtures/poster.html) at `origin`, with query parameters. */
export function posterUrl(origin: string, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `${origin}/test/vendors/fixtures/poster.html${query ? `?${query}` : ''}`;
}

/** Counts `message` listeners added to and removed from `window` while installed. */
export interface ListenerTracker {
  /** Message listeners added and not removed since install. */
  readonly live: number;
  restore(): void;
}

/** Wraps window.addEventListener/removeEventListener to count live `message` listeners. */
export function trackMessageListeners(): ListenerTracker {
  const live = new Set<unknown>();
  const add = window.addEventListener;
  const remove = window.removeEventListener;
  window.addEventListener = function (this: Window, type: string, listener: unknown, options?: unknown) {
    if (type === 'message' && listener) live.add(listener);
    return (add as (...args: unknown[]) => void).call(this, type, listener, options);
  } as typeof window.addEventListener;
  window.removeEventListener = function (this: Window, type: string, listener: unknown, options?: unknown) {
    if (type === 'message') live.delete(listener);
    return (remove as (...args: unknown[]) => void).call(this, type, listener, options);
  } as typeof window.removeEventListener;
  return {
    get live() {
      return live.size;
    },
    restore() {
      window.addEventListener = add;
      window.removeEventListener = remove;
    },
  };
}

/** Counts `load` events of the iframes that appear in `container` (attached as they are inserted). */
export function countLoads(container: HTMLElement): { count(iframe: HTMLIFrameElement): number; stop(): void } {
  const counts = new Map<HTMLIFrameElement, number>();
  const watch = (iframe: HTMLIFrameElement): void => {
    if (counts.has(iframe)) return;
    counts.set(iframe, 0);
    iframe.addEventListener('load', () => counts.set(iframe, (counts.get(iframe) ?? 0) + 1));
  };
  // Capture-phase `load` doesn't bubble from iframes, so watch insertions synchronously.
  const observer = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) if (node instanceof HTMLIFrameElement) watch(node);
  });
  observer.observe(container, { childList: true, subtree: true });
  container.querySelectorAll('iframe').forEach(watch);
  return { count: (iframe) => counts.get(iframe) ?? 0, stop: () => observer.disconnect() };
}

/** Resolves with the next window message whose parsed data passes `match`. */
export function nextMessage(
  match: (data: Record<string, unknown>, event: MessageEvent) => boolean,
  timeoutMs = 3000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new Error('timed out waiting for a message'));
    }, timeoutMs);
    function onMessage(event: MessageEvent): void {
      let data: unknown = event.data;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          return;
        }
      }
      if (typeof data !== 'object' || data === null || !match(data as Record<string, unknown>, event)) return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(data as Record<string, unknown>);
    }
    window.addEventListener('message', onMessage);
  });
}

/** Real-time pause, for "nothing happens" checks (messages cross frames within a few ms). */
export function pause(ms = 150): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A fresh container in the document, removed by the returned cleanup. */
export function makeContainer(): HTMLDivElement {
  const container = document.createElement('div');
  document.body.append(container);
  return container;
}

/** Containers and embeds of the running test, which {@link mountsPerTest} cleans up after it. */
export interface TestMounts {
  /** A fresh container in the document, removed after the test. */
  container(): HTMLDivElement;
  /** Remembers `embed` so it is destroyed after the test; returns it. */
  track<E extends VendorEmbed>(embed: E): E;
}

/**
 * Registers an `afterEach` (in the suite it is called in) that destroys every tracked embed, then
 * removes every container made during the test.
 */
export function mountsPerTest(): TestMounts {
  const embeds: VendorEmbed[] = [];
  const containers: HTMLElement[] = [];
  afterEach(() => {
    for (const embed of embeds.splice(0)) embed.destroy();
    for (const container of containers.splice(0)) container.remove();
  });
  return {
    container() {
      const container = makeContainer();
      containers.push(container);
      return container;
    },
    track(embed) {
      embeds.push(embed);
      return embed;
    },
  };
}
