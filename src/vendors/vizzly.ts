/**
 * Vizzly adapter: loads Vizzly's embed bundle, renders `<vizzly-dashboard>` and answers its
 * `identity()` calls from the shared token session.
 *
 * Vizzly pulls `identity()` on mount and then on its own timer (every 300 s in 0.4.16) and keeps what
 * it got until the next pull, so every set `identity()` hands out must stay valid for a whole pull
 * interval plus a margin: it asks the session for tokens with at least that much life left. A new
 * token never re-renders the dashboard (that would reload every chart).
 *
 * Vendor options (`vendor-options` attribute, JSON):
 * - `version` (string): Vizzly bundle version, default {@link VIZZLY_DEFAULT_VERSION}.
 * - `scriptUrl` (string): the whole bundle URL instead (self-hosting); excludes `version`.
 *   When the page already defines `<vizzly-dashboard>`, that definition is used and nothing is loaded.
 * - `pullIntervalSeconds` (number, default 300): how often the bundle calls `identity()`.
 * - `acceptsProjectAccessToken` (boolean, default false): pass `projectAccessToken` on to Vizzly.
 *   `@vizzly/dashboard` 0.4.16 rejects that key (and then shows its error screen for good), so it is
 *   dropped unless the bundle is known to take it.
 * - `parentDashboardId`, `queryEngineEndpoint`, `vizzlyApiHost` (strings), `theme` (object) and any
 *   other key: passed to `render()` as props unchanged.
 */
import type { VendorAdapter, VendorEmbed, VendorMountContext } from './contract.js';
import { loadScript, waitForElement } from './script-loader.js';
import { renderDashboard } from './vizzly/dashboard.js';
import {
  VIZZLY_TAG,
  buildVizzlyProps,
  toVizzlyIdentity,
  vizzlyPullOptions,
  vizzlyScriptUrl,
} from './vizzly/options.js';

export {
  VIZZLY_BUNDLE_BASE,
  VIZZLY_DEFAULT_PULL_INTERVAL_SECONDS,
  VIZZLY_DEFAULT_VERSION,
  VIZZLY_PULL_MARGIN_SECONDS,
  VIZZLY_TAG,
  buildVizzlyProps,
  toVizzlyIdentity,
  vizzlyMinValidityMs,
  vizzlyPullOptions,
  vizzlyScriptUrl,
  type VizzlyIdentity,
  type VizzlyProps,
  type VizzlyPullOptions,
} from './vizzly/options.js';

async function mount(container: HTMLElement, ctx: VendorMountContext): Promise<VendorEmbed> {
  const { signal } = ctx;
  // Validate everything before downloading anything.
  const url = vizzlyScriptUrl(ctx.options);
  const pull = vizzlyPullOptions(ctx.options);
  toVizzlyIdentity(ctx.grant.tokens, pull.acceptsProjectAccessToken);
  // Checks the props now (each rendered dashboard builds its own, with its own identity()).
  buildVizzlyProps(ctx.options, ctx.dashboardId, async () => toVizzlyIdentity(ctx.grant.tokens));

  // A page that already defined <vizzly-dashboard> (its own script tag, or another embed with another
  // version) keeps that definition: a second bundle would throw on customElements.define.
  if (!customElements.get(VIZZLY_TAG)) {
    await loadScript(url, { signal });
    await waitForElement(VIZZLY_TAG, { signal });
  }
  signal.throwIfAborted(); // nothing is mounted once the embed is gone

  let dashboard = renderDashboard(container, ctx, pull);
  const destroy = () => {
    signal.removeEventListener('abort', destroy);
    dashboard.destroy();
  };
  signal.addEventListener('abort', destroy, { once: true });
  return {
    // Vizzly calls identity() on its own timer and the next call reads fresh tokens: re-rendering would
    // reload every chart. Only a dashboard whose first identity() call failed (Vizzly's error screen
    // stays up for good) is replaced by a new one.
    update() {
      if (!dashboard.failedFirst || signal.aborted) return;
      dashboard.destroy();
      dashboard = renderDashboard(container, ctx, pull);
    },
    destroy,
  };
}

/** The Vizzly adapter (`vendor="vizzly"`). */
const vizzlyAdapter: VendorAdapter = { mount };
export default vizzlyAdapter;
