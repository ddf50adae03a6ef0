// Loads DataBrain's web-component plugin when a DataBrain embed mounts, and only then. The adapter
// never names the package in an import() a bundler can see: an app that has not installed the optional
// peer must still build (esbuild, webpack and Next.js fail on an unresolvable literal import()).
import { EmbedError, invalidAttribute } from '../../errors.js';
import { untilAborted } from '../../abort.js';
import { loadScript, waitForElement } from '../script-loader.js';
import { optionalString, type VendorOptions } from '../options.js';

/** The module that defines DataBrain's web components, as the npm package exports it. */
export const DATABRAIN_MODULE = '@databrainhq/plugin/web';

/** Where the plugin comes from, as the options say. */
export type PluginSource =
  /** The app's own loader, e.g. `() => import('@databrainhq/plugin/web')`: its bundler resolves it. */
  | { kind: 'loader'; load: () => unknown }
  /** An ES module URL (or a specifier the page's import map resolves). */
  | { kind: 'module'; url: string; byDefault: boolean }
  /** A classic script (the plugin's UMD build). */
  | { kind: 'script'; url: string };

/**
 * Reads where to load the plugin from: `loadPlugin` (a function, set through the element's `options`
 * property), `moduleUrl` or `scriptUrl`, at most one of them; with none, the package's specifier
 * `@databrainhq/plugin/web`, which only an import map can resolve at run time.
 * @throws EmbedError `invalid-attribute` on a bad or ambiguous option.
 */
export function pluginSource(options: VendorOptions): PluginSource {
  const loader = options['loadPlugin'];
  if (loader !== undefined && typeof loader !== 'function') {
    throw invalidAttribute(
      'The DataBrain `loadPlugin` option must be a function, e.g. `() => import("@databrainhq/plugin/web")`, ' +
        'set through the element’s `options` property.',
    );
  }
  const moduleUrl = optionalString(options, 'moduleUrl', 'DataBrain');
  const scriptUrl = optionalString(options, 'scriptUrl', 'DataBrain');
  const given = [loader, moduleUrl, scriptUrl].filter((value) => value !== undefined).length;
  if (given > 1) {
    throw invalidAttribute(
      'DataBrain takes one of the `loadPlugin`, `moduleUrl` and `scriptUrl` options, not several.',
    );
  }
  if (typeof loader === 'function') return { kind: 'loader', load: loader as () => unknown };
  if (scriptUrl !== undefined) return { kind: 'script', url: scriptUrl };
  return { kind: 'module', url: moduleUrl ?? DATABRAIN_MODULE, byDefault: moduleUrl === undefined };
}

/** The `import()` of a URL known only at run time; bundlers are told to leave it alone. */
function importAtRunTime(url: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ /* turbopackIgnore: true */ url);
}

function loadFailure(source: PluginSource, cause: unknown): EmbedError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  let what: string;
  if (source.kind === 'loader') what = 'with the `loadPlugin` option';
  else if (source.kind === 'module' && source.byDefault)
    what =
      `from "${DATABRAIN_MODULE}", which <embed-dashboard> never imports itself (so apps without DataBrain still ` +
      'build). Install @databrainhq/plugin and pass `loadPlugin: () => import("@databrainhq/plugin/web")` in the ' +
      'element’s `options` property, or set the `moduleUrl` (an ES module URL) or `scriptUrl` (a UMD script) ' +
      'vendor option, or map the specifier in an import map';
  else what = `from ${JSON.stringify(source.url)}`;
  // The plugin's build reads process.env.NODE_ENV, which bundlers define; a bare browser import needs it defined.
  const hint = /\bprocess\b/.test(detail)
    ? ' The plugin expects process.env.NODE_ENV to be defined by your bundler.'
    : '';
  return new EmbedError('vendor', `Could not load DataBrain's plugin ${what}: ${detail}.${hint}`, { cause });
}

/**
 * Loads the plugin from `source` and waits until it defined `tagName`.
 * Rejects with an `EmbedError` `'vendor'` saying how to fix it when it cannot, or with the abort reason.
 */
export async function loadDataBrainPlugin(source: PluginSource, tagName: string, signal: AbortSignal): Promise<void> {
  if (source.kind === 'script') {
    await loadScript(source.url, { signal });
  } else {
    try {
      await untilAborted(
        Promise.resolve().then(() => (source.kind === 'loader' ? source.load() : importAtRunTime(source.url))),
        signal,
      );
    } catch (cause) {
      if (signal.aborted) throw cause;
      throw loadFailure(source, cause);
    }
  }
  await waitForElement(tagName, { signal });
}
