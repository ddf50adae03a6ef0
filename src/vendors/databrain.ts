/**
 * DataBrain adapter: loads DataBrain's plugin when it mounts (never at build time: see
 * `databrain/plugin.ts`) and renders `<dbn-dashboard>` (or `<dbn-metric>`) with the guest token.
 * A new token is set on the same element (the plugin keeps its state and uses it for later requests).
 *
 * A refused token is recovered, whichever plugin version runs:
 * - newer builds call the global function named by `handle-server-event` with `{type: "TOKEN_EXPIRED"}`:
 *   the adapter registers one such function per mount, refreshes at once and sets the new token;
 * - 0.12.9 raises nothing, gives up after its retries and shows "Invalid token or Dashboard id", and
 *   never re-queries on a new token: the adapter sees that text, refreshes, and puts a new element
 *   with the fresh token in the old one's place. When DataBrain also refuses that fresh token (a wrong
 *   dashboard id, missing permissions) it reports an `EmbedError` `'vendor'` instead of looping, and
 *   the next new token (a scheduled refresh, `refresh()`) gets a new element again.
 *
 * Vendor options (`vendor-options` attribute, JSON, or the `options` property):
 * - `loadPlugin` (function, `options` property only): how to load the plugin, e.g.
 *   `() => import('@databrainhq/plugin/web')` in your own code, so your bundler resolves it.
 * - `moduleUrl` (string): `import()` this ES module URL instead; `scriptUrl` (string): load this classic
 *   script (the UMD build). Without any of the three, the specifier `@databrainhq/plugin/web` is
 *   imported at run time, which works only with an import map.
 * - `metricId` (string): render `<dbn-metric metric-id>` instead of `<dbn-dashboard dashboard-id>`.
 * - `handleServerEvent` (string): the name of your own global function; it also gets every server event.
 * - `refusalText` (string): the text the plugin shows when it gave up on a token (default
 *   {@link DEFAULT_REFUSAL_TEXT}, 0.12.9's).
 * - `options`, `theme` and any other key: set as kebab-case attributes; objects and arrays as JSON.
 */
import { EmbedError } from '../errors.js';
import type { TokenGrant, VendorAdapter, VendorEmbed, VendorMountContext } from './contract.js';
import { asVendorError } from './vendor-error.js';
import { buildDataBrainElement, dataBrainToken, type DataBrainElementSpec } from './databrain/element.js';
import { optionalString } from './options.js';
import { loadDataBrainPlugin, pluginSource } from './databrain/plugin.js';
import { DEFAULT_REFUSAL_TEXT, watchForRefusal } from './databrain/refusal.js';

export { buildDataBrainElement, dataBrainToken, toKebabCase, type DataBrainElementSpec } from './databrain/element.js';
export { DATABRAIN_MODULE, pluginSource, type PluginSource } from './databrain/plugin.js';
export { DEFAULT_REFUSAL_TEXT, showsText, watchForRefusal } from './databrain/refusal.js';

/** The server event DataBrain's plugin raises when the guest token is no longer accepted. */
export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';

/** A server event the plugin passes to the `handle-server-event` function. */
export interface DataBrainServerEvent {
  type: string;
  [key: string]: unknown;
}

let mounts = 0;

async function mount(container: HTMLElement, ctx: VendorMountContext): Promise<VendorEmbed> {
  const { signal } = ctx;
  const handlerName = `__embedDashboardDataBrain${++mounts}_${Math.random().toString(36).slice(2, 10)}`;
  // Validate everything before downloading anything.
  const userHandlerName = optionalString(ctx.options, 'handleServerEvent', 'DataBrain');
  const refusalText = optionalString(ctx.options, 'refusalText', 'DataBrain') ?? DEFAULT_REFUSAL_TEXT;
  const source = pluginSource(ctx.options);
  const spec: DataBrainElementSpec = buildDataBrainElement(
    ctx.options,
    ctx.dashboardId,
    dataBrainToken(ctx.grant.tokens),
    handlerName,
  );

  await loadDataBrainPlugin(source, spec.tagName, signal);
  signal.throwIfAborted(); // nothing is mounted once the embed is gone

  let element: HTMLElement | undefined;
  let stopWatching = () => {};
  let destroyed = false;
  // The plugin gave up on the current element's token: only a new element takes a new one.
  let refused = false;
  // The current element got its token from a refresh made because an element was refused.
  let fromRecovery = false;
  let refreshing: Promise<void> | undefined;

  const place = (token: string, recovery: boolean): void => {
    stopWatching();
    const next = document.createElement(spec.tagName);
    // No inline style: <dbn-metric> redefines `style` as a JSON prop, so element.style is not CSS there.
    for (const [name, value] of Object.entries({ ...spec.attributes, token })) next.setAttribute(name, value);
    // The old one goes first: its React root unmounts, and the plugin's settled query is free for the new one.
    element?.remove();
    container.append(next);
    element = next;
    refused = false;
    fromRecovery = recovery;
    stopWatching = watchForRefusal(next, refusalText, onRefused);
  };

  const update = ({ tokens }: TokenGrant, recovery = false): void => {
    if (destroyed) return;
    let token: string;
    try {
      token = dataBrainToken(tokens);
    } catch (error) {
      ctx.reportError(asVendorError(error, 'DataBrain tokens could not be read.')); // keep the current token
      return;
    }
    if (refused) place(token, recovery);
    // In place: the plugin re-renders with the new token; replacing the element would reload it.
    else if (element && element.getAttribute('token') !== token) element.setAttribute('token', token);
  };

  const refresh = (recovery: boolean): Promise<void> => {
    // Parallel requests failing together raise several events: one refresh serves them all.
    refreshing ??= ctx
      .refreshTokens()
      .then((grant) => update(grant, recovery))
      .catch((error: unknown) => {
        if (!destroyed) ctx.reportError(asVendorError(error, 'DataBrain tokens could not be refreshed.'));
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  function onRefused(): void {
    if (destroyed) return;
    refused = true;
    if (!fromRecovery) {
      void refresh(true);
      return;
    }
    ctx.reportError(
      new EmbedError(
        'vendor',
        'DataBrain refused a guest token issued just now. Check that the dashboard-id (or metricId) exists ' +
          'in DataBrain and that the identity endpoint issues guest tokens for it.',
      ),
    );
  }

  const globals = globalThis as unknown as Record<string, unknown>;
  globals[handlerName] = (event: unknown) => {
    if (destroyed) return undefined;
    const type = typeof event === 'object' && event !== null ? (event as { type?: unknown }).type : undefined;
    const result = type === TOKEN_EXPIRED ? refresh(false) : undefined;
    const userHandler = userHandlerName === undefined ? undefined : globals[userHandlerName];
    if (typeof userHandler === 'function') userHandler(event);
    return result;
  };

  place(spec.attributes['token']!, false);

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    signal.removeEventListener('abort', destroy);
    stopWatching();
    element?.remove();
    delete globals[handlerName];
  };
  signal.addEventListener('abort', destroy, { once: true });
  return { update: (grant) => update(grant), destroy };
}

/** The DataBrain adapter (`vendor="databrain"`). */
const dataBrainAdapter: VendorAdapter = { mount };
export default dataBrainAdapter;
