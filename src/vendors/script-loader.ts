import { untilAborted } from '../abort.js';
import { EmbedError } from '../errors.js';

/** Options of {@link loadScript}. */
export interface LoadScriptOptions {
  /** Aborting stops waiting: the returned promise rejects with the signal's reason at once. */
  signal?: AbortSignal;
}

/** Options of {@link waitForElement}. */
export interface WaitForElementOptions {
  /** Aborting stops waiting: the returned promise rejects with the signal's reason at once. */
  signal?: AbortSignal;
  /**
   * Milliseconds to wait for the definition before giving up with an `EmbedError` `'vendor'`
   * (a script that loaded but never defines the element, e.g. a wrong self-hosted URL). Default 15000.
   */
  timeoutMs?: number;
}

// One load per absolute URL for the whole page: every embed on the page shares it.
const loads = new Map<string, Promise<void>>();

function insertScript(src: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve(), { once: true });
    script.addEventListener(
      'error',
      () => {
        // Forget the failed load so a later mount can try again (the URL may be fixed by then).
        loads.delete(src);
        script.remove();
        reject(
          new EmbedError(
            'vendor',
            `Could not load the vendor script ${src} (the server answered with an error status, or the ` +
              'network failed). Check the `scriptUrl` / `version` vendor option and that the URL is reachable ' +
              'from this page (Content-Security-Policy script-src included).',
            { retriable: true },
          ),
        );
      },
      { once: true },
    );
    document.head.append(script);
  });
}

/**
 * Loads a classic script once per page: concurrent and later calls with the same URL (resolved
 * against the page) share one `<script>` element and one promise. Rejects with an `EmbedError`
 * `'vendor'` when the script fails to load (404, network), and then forgets it so a retry reloads it.
 * An aborted `signal` rejects this call with the abort reason without cancelling the shared load.
 */
export async function loadScript(url: string, options: LoadScriptOptions = {}): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  let src: string;
  try {
    src = new URL(url, document.baseURI).href;
  } catch (cause) {
    throw new EmbedError('vendor', `The vendor script URL ${JSON.stringify(url)} is not a valid URL.`, { cause });
  }
  let load = loads.get(src);
  if (!load) {
    load = insertScript(src);
    loads.set(src, load);
  }
  return signal ? untilAborted(load, signal) : load;
}

/**
 * Resolves once the custom element `tagName` is defined (by a script or module just loaded).
 * Rejects with an `EmbedError` `'vendor'` after `timeoutMs`, or with the abort reason when `signal` aborts.
 */
export async function waitForElement(tagName: string, options: WaitForElementOptions = {}): Promise<void> {
  const { signal, timeoutMs = 15_000 } = options;
  signal?.throwIfAborted();
  if (customElements.get(tagName)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EmbedError(
            'vendor',
            `The vendor's script loaded but did not define <${tagName}> within ${timeoutMs} ms. ` +
              "Check that the `scriptUrl` / `version` / `moduleUrl` vendor option points at the vendor's embed bundle.",
          ),
        ),
      timeoutMs,
    );
  });
  const defined = customElements.whenDefined(tagName).then(() => undefined);
  const settled = Promise.race([defined, timeout]);
  return (signal ? untilAborted(settled, signal) : settled).finally(() => clearTimeout(timer));
}
