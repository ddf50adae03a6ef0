import '../helpers/mocha-globals.js';
import { equal, ok, rejects, match } from '../helpers/assert.js';
import { isEmbedError } from '../../src/errors.js';
import { loadScript, waitForElement } from '../../src/vendors/script-loader.js';

declare global {
  interface Window {
    __scriptLoaderRuns?: Record<string, number>;
  }
}

/** A script URL that counts its own executions under `key`. */
function countingScript(key: string): string {
  const source = `(window.__scriptLoaderRuns ??= {})[${JSON.stringify(key)}] = ((window.__scriptLoaderRuns[${JSON.stringify(key)}]) || 0) + 1;`;
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

function scriptsWithSrc(src: string): HTMLScriptElement[] {
  const absolute = new URL(src, document.baseURI).href;
  return [...document.querySelectorAll('script')].filter((script) => script.src === absolute);
}

describe('loadScript', () => {
  it('loads one URL once, however many embeds ask for it at the same time or later', async () => {
    const url = countingScript('dedupe');
    await Promise.all([loadScript(url), loadScript(url)]);
    await loadScript(url);
    equal(window.__scriptLoaderRuns?.['dedupe'], 1, 'script executions');
    equal(scriptsWithSrc(url).length, 1, 'script elements');
  });

  it('treats a relative and an absolute spelling of one URL as the same script', async () => {
    const path = '/demo/standins/vizzly-bundle.js?dedupe-relative';
    await Promise.all([loadScript(path), loadScript(new URL(path, document.baseURI).href)]);
    equal(scriptsWithSrc(path).length, 1, 'script elements');
  });

  it('rejects a 404 with an EmbedError "vendor" that names the URL, and retries on the next call', async () => {
    const url = '/test/vendors/no-such-vendor-bundle.js';
    const error = await rejects(loadScript(url));
    ok(isEmbedError(error), 'an EmbedError');
    equal(error.code, 'vendor');
    match(error.message, /no-such-vendor-bundle\.js/);
    match(error.message, /scriptUrl/);
    equal(scriptsWithSrc(url).length, 0, 'the failed script element is removed');
    // Not cached as a failure: the next mount gets a fresh attempt.
    const again = await rejects(loadScript(url));
    equal(again.code, 'vendor');
    ok(again !== error, 'a new attempt, not the cached rejection');
  });

  it('does not insert anything when the signal is already aborted', async () => {
    const url = countingScript('pre-aborted');
    const controller = new AbortController();
    controller.abort();
    const error = await rejects(loadScript(url, { signal: controller.signal }));
    equal(error.name, 'AbortError');
    equal(scriptsWithSrc(url).length, 0);
  });

  it('rejects at once when aborted mid-load, while other callers still get the script', async () => {
    const url = countingScript('mid-abort');
    const controller = new AbortController();
    const aborted = loadScript(url, { signal: controller.signal });
    const other = loadScript(url);
    controller.abort();
    const error = await rejects(aborted);
    equal(error.name, 'AbortError');
    await other;
    equal(window.__scriptLoaderRuns?.['mid-abort'], 1);
  });
});

describe('waitForElement', () => {
  it('resolves once the element is defined', async () => {
    const waiting = waitForElement('script-loader-later');
    customElements.define('script-loader-later', class extends HTMLElement {});
    await waiting;
  });

  it('gives up with an EmbedError "vendor" when a script never defines the element', async () => {
    const error = await rejects(waitForElement('script-loader-never', { timeoutMs: 30 }));
    ok(isEmbedError(error));
    equal(error.code, 'vendor');
    match(error.message, /<script-loader-never>/);
  });

  it('rejects with the abort reason when aborted', async () => {
    const controller = new AbortController();
    const waiting = waitForElement('script-loader-aborted', { signal: controller.signal });
    controller.abort();
    equal((await rejects(waiting)).name, 'AbortError');
  });
});
