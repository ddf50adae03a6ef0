/**
 * DataBrain adapter: loads `@databrainhq/plugin/web` and renders `<dbn-dashboard>` (or `<dbn-metric>`)
 * with the guest token. A new token is set on the same element (the plugin keeps its state and uses
 * the new token for later requests); the element is never replaced, which would reload everything.
 *
 * Newer plugin builds call the global function named by `handle-server-event` with
 * `{type: "TOKEN_EXPIRED"}` when DataBrain rejects the token: the adapter registers one such function
 * per mount and refreshes at once.
 *
 * Vendor options (`vendor-options` attribute, JSON):
 * - `moduleUrl` (string): where to `import()` the plugin from, default the bare specifier
 *   `@databrainhq/plugin/web` (an optional peer dependency your bundler resolves).
 * - `scriptUrl` (string): load this classic script (a UMD build) instead; excludes `moduleUrl`.
 * - `metricId` (string): render `<dbn-metric metric-id>` instead of `<dbn-dashboard dashboard-id>`.
 * - `handleServerEvent` (string): the name of your own global function; it also gets every server event.
 * - `options`, `theme` and any other key: set as kebab-case attributes; objects and arrays as JSON.
 */
import type { TokenSet } from '../token/types.js';
import type { TokenGrant, VendorAdapter, VendorEmbed, VendorMountContext } from './contract.js';
import { EmbedError } from '../errors.js';
import { loadScript, waitForElement, withSignal } from './script-loader.js';
import { requireToken } from './tokens.js';

/** The module that defines DataBrain's web components. */
export const DATABRAIN_MODULE = '@databrainhq/plugin/web';

/** The server event DataBrain's plugin raises when the guest token is no longer accepted. */
export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';

/** A server event the plugin passes to the `handle-server-event` function. */
export interface DataBrainServerEvent {
  type: string;
  [key: string]: unknown;
}

/** Which element to create and the attributes to set on it. */
export interface DataBrainElementSpec {
  tagName: 'dbn-dashboard' | 'dbn-metric';
  /** Attribute name (kebab-case) → value. */
  attributes: Record<string, string>;
}

// Options the adapter consumes itself; never set as attributes.
const LOADER_OPTIONS = new Set(['moduleUrl', 'scriptUrl', 'handleServerEvent']);
// Attributes the adapter owns.
const RESERVED = new Set(['token', 'dashboardId', 'handleServerEvent']);

function invalidOption(message: string): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute: 'vendor-options' });
}

/** `dashboardId` → `dashboard-id`, the way the plugin maps its props to attributes. */
export function toKebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The guest token from a token set (`tokens.token`). Throws an `EmbedError` `'malformed-token'`
 * when it is missing or not a non-empty string.
 */
export function dataBrainToken(tokens: TokenSet): string {
  return requireToken(tokens, 'token', 'DataBrain');
}

/**
 * Builds the element and attributes for the options: `<dbn-metric metric-id>` when `metricId` is
 * given, else `<dbn-dashboard dashboard-id>` (from the element's `dashboard-id`); `token`;
 * `handle-server-event` = `handlerName`; every other option as a kebab-case attribute, objects and
 * arrays JSON-encoded, numbers and booleans as text. Throws `'invalid-attribute'` on bad options.
 */
export function buildDataBrainElement(
  options: Readonly<Record<string, unknown>>,
  dashboardId: string,
  token: string,
  handlerName: string,
): DataBrainElementSpec {
  const metricId = options['metricId'];
  if (metricId !== undefined && (typeof metricId !== 'string' || metricId === '')) {
    throw invalidOption('The DataBrain `metricId` vendor option must be a non-empty string.');
  }
  if (metricId === undefined && dashboardId === '') {
    throw new EmbedError(
      'invalid-attribute',
      'DataBrain needs a dashboard: set the `dashboard-id` attribute (or `metricId` in vendor-options).',
      {
        attribute: 'dashboard-id',
      },
    );
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (LOADER_OPTIONS.has(key) || key === 'metricId' || value === undefined || value === null) continue;
    if (RESERVED.has(key)) {
      throw invalidOption(
        `The DataBrain \`${key}\` attribute is set by <embed-dashboard>; remove it from vendor-options.`,
      );
    }
    if (typeof value === 'object') attributes[toKebabCase(key)] = JSON.stringify(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      attributes[toKebabCase(key)] = String(value);
    else throw invalidOption(`The DataBrain \`${key}\` vendor option has an unsupported type (${typeof value}).`);
  }
  attributes['token'] = token;
  attributes['handle-server-event'] = handlerName;
  if (typeof metricId === 'string')
    return { tagName: 'dbn-metric', attributes: { ...attributes, 'metric-id': metricId } };
  return { tagName: 'dbn-dashboard', attributes: { ...attributes, 'dashboard-id': dashboardId } };
}

function checkString(options: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidOption(`The DataBrain \`${key}\` vendor option must be a non-empty string.`);
  return value;
}

/** Loads the plugin the options ask for; rejects with an `EmbedError` `'vendor'` when it cannot. */
async function loadPlugin(
  options: Readonly<Record<string, unknown>>,
  tagName: string,
  signal: AbortSignal,
): Promise<void> {
  const moduleUrl = checkString(options, 'moduleUrl');
  const scriptUrl = checkString(options, 'scriptUrl');
  if (moduleUrl !== undefined && scriptUrl !== undefined) {
    throw invalidOption('DataBrain takes either the `moduleUrl` or the `scriptUrl` vendor option, not both.');
  }
  if (scriptUrl !== undefined) {
    await loadScript(scriptUrl, { signal });
  } else {
    // A literal specifier for the default, so bundlers (and dev servers) can resolve the peer dependency.
    const load =
      moduleUrl === undefined
        ? import('@databrainhq/plugin/web')
        : import(/* @vite-ignore */ /* webpackIgnore: true */ moduleUrl);
    try {
      await withSignal(load, signal);
    } catch (cause) {
      if (signal.aborted) throw cause;
      const from =
        moduleUrl === undefined
          ? `"${DATABRAIN_MODULE}" (install @databrainhq/plugin, or set the \`moduleUrl\` / \`scriptUrl\` vendor option)`
          : JSON.stringify(moduleUrl);
      const detail = cause instanceof Error ? cause.message : String(cause);
      // The plugin's build reads process.env.NODE_ENV, which bundlers define; a bare browser import needs it defined.
      const hint = /\bprocess\b/.test(detail)
        ? ' The plugin expects process.env.NODE_ENV to be defined by your bundler.'
        : '';
      throw new EmbedError('vendor', `Could not load DataBrain's plugin from ${from}: ${detail}.${hint}`, { cause });
    }
  }
  await waitForElement(tagName, { signal });
}

let mounts = 0;

async function mount(container: HTMLElement, ctx: VendorMountContext): Promise<VendorEmbed> {
  const { signal } = ctx;
  const handlerName = `__embedDashboardDataBrain${++mounts}_${Math.random().toString(36).slice(2, 10)}`;
  // Validate everything before downloading anything.
  const userHandlerName = checkString(ctx.options, 'handleServerEvent');
  const spec = buildDataBrainElement(ctx.options, ctx.dashboardId, dataBrainToken(ctx.grant.tokens), handlerName);

  await loadPlugin(ctx.options, spec.tagName, signal);
  await withSignal(Promise.resolve(), signal); // nothing is mounted once the embed is gone

  const element = document.createElement(spec.tagName);
  let destroyed = false;
  let refreshing: Promise<void> | undefined;

  const update = ({ tokens }: TokenGrant) => {
    if (destroyed) return;
    let token: string;
    try {
      token = dataBrainToken(tokens);
    } catch (error) {
      ctx.reportError(error as Error); // keep the current token; the element shows the error
      return;
    }
    // In place: the plugin re-renders with the new token; replacing the element would reload it.
    if (element.getAttribute('token') !== token) element.setAttribute('token', token);
  };

  const refresh = () => {
    // Parallel requests failing together raise several events: one refresh serves them all.
    refreshing ??= ctx
      .refreshTokens()
      .then(update)
      .catch((error: unknown) => {
        if (!destroyed) ctx.reportError(error instanceof Error ? error : new EmbedError('vendor', String(error)));
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  const globals = globalThis as unknown as Record<string, unknown>;
  globals[handlerName] = (event: unknown) => {
    if (destroyed) return undefined;
    const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
    const result = type === TOKEN_EXPIRED ? refresh() : undefined;
    const userHandler = userHandlerName === undefined ? undefined : globals[userHandlerName];
    if (typeof userHandler === 'function') userHandler(event);
    return result;
  };

  // No inline style: <dbn-metric> redefines `style` as a JSON prop, so element.style is not CSS there.
  for (const [name, value] of Object.entries(spec.attributes)) element.setAttribute(name, value);
  container.append(element);

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    signal.removeEventListener('abort', destroy);
    element.remove();
    delete globals[handlerName];
  };
  signal.addEventListener('abort', destroy, { once: true });
  return { update, destroy };
}

/** The DataBrain adapter (`vendor="databrain"`). */
const dataBrainAdapter: VendorAdapter = { mount };
export default dataBrainAdapter;
