/**
 * Vizzly adapter: loads Vizzly's embed bundle, renders `<vizzly-dashboard>` and answers its
 * `identity()` calls from the shared token session.
 *
 * Vizzly asks for tokens on its own timer (every 5–20 minutes depending on the build) and never
 * re-asks after a failure, so `identity()` always resolves from `getTokens()` (fresh right now) and
 * a new token never re-renders the dashboard.
 *
 * Vendor options (`vendor-options` attribute, JSON):
 * - `version` (string): Vizzly bundle version, default {@link VIZZLY_DEFAULT_VERSION}.
 * - `scriptUrl` (string): the whole bundle URL instead (self-hosting); excludes `version`.
 *   When the page already defines `<vizzly-dashboard>`, that definition is used and nothing is loaded.
 * - `parentDashboardId`, `queryEngineEndpoint`, `vizzlyApiHost` (strings), `theme` (object) and any
 *   other key: passed to `render()` as props unchanged.
 */
import type { TokenSet } from '../token/types.js';
import type { VendorAdapter, VendorEmbed, VendorMountContext } from './contract.js';
import { EmbedError } from '../errors.js';
import { loadScript, waitForElement, withSignal } from './script-loader.js';
import { requireToken } from './tokens.js';

/**
 * The bundle version used when neither `version` nor `scriptUrl` is given: the build Vizzly's own
 * public examples pin (docs/vendors.md). Pin your own with the `version` option when you upgrade.
 */
export const VIZZLY_DEFAULT_VERSION = '0.12.12-dev-b5596410abf8a4ab57535a35aef34db1aa13c620';

/** Where Vizzly serves its embed bundles; the version goes between this and `/bundle.js`. */
export const VIZZLY_BUNDLE_BASE = 'https://static.app.vizzly.co/embedded/';

/** The tag Vizzly's bundle defines. */
export const VIZZLY_TAG = 'vizzly-dashboard';

/** What `identity()` resolves to: exactly these keys, each a non-empty string, absent ones omitted. */
export interface VizzlyIdentity {
  dashboardAccessToken: string;
  dataAccessToken?: string;
  queryEngineAccessToken?: string;
  projectAccessToken?: string;
}

/** The props handed to `<vizzly-dashboard>.render()`. */
export interface VizzlyProps {
  /** Resolves to fresh tokens each time Vizzly calls it. */
  identity: () => Promise<VizzlyIdentity>;
  /** The (child) dashboard to show. */
  dashboardId?: string;
  /** The parent dashboard child dashboards are created from. */
  parentDashboardId?: string;
  /** A self-hosted query engine's URL. */
  queryEngineEndpoint?: string;
  /** Vizzly's API host (Vizzly's default: `https://api.vizzly.co`). */
  vizzlyApiHost?: string;
  /** Any other prop Vizzly takes (`theme`, …), unchanged. */
  [prop: string]: unknown;
}

const OPTIONAL_TOKEN_KEYS = ['dataAccessToken', 'queryEngineAccessToken', 'projectAccessToken'] as const;
// Options the adapter consumes itself; never forwarded to Vizzly.
const LOADER_OPTIONS = new Set(['scriptUrl', 'version']);
const STRING_PROPS = ['dashboardId', 'parentDashboardId', 'queryEngineEndpoint', 'vizzlyApiHost'] as const;

function invalidOption(message: string): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute: 'vendor-options' });
}

/**
 * Picks the token set's Vizzly tokens into exactly the object Vizzly's strict validation accepts:
 * `dashboardAccessToken` plus `dataAccessToken` / `queryEngineAccessToken` / `projectAccessToken`
 * when present; keys that are absent, `null` or `''` are omitted, any other key is dropped.
 * Throws an `EmbedError` `'malformed-token'` when `dashboardAccessToken` is missing or a token is not a string.
 */
export function toVizzlyIdentity(tokens: TokenSet): VizzlyIdentity {
  const dashboardAccessToken = requireToken(tokens, 'dashboardAccessToken', 'Vizzly');
  const identity: VizzlyIdentity = { dashboardAccessToken };
  for (const key of OPTIONAL_TOKEN_KEYS) {
    const value = tokens[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') {
      throw new EmbedError('malformed-token', `The Vizzly token \`${key}\` must be a string, got ${typeof value}.`);
    }
    identity[key] = value;
  }
  return identity;
}

/**
 * The bundle URL for the options: `scriptUrl` as given, else Vizzly's CDN URL for `version`
 * (default {@link VIZZLY_DEFAULT_VERSION}). Throws `'invalid-attribute'` on a bad or ambiguous option.
 */
export function vizzlyScriptUrl(options: Readonly<Record<string, unknown>>): string {
  const { scriptUrl, version } = options;
  if (scriptUrl !== undefined && version !== undefined) {
    throw invalidOption('Vizzly takes either the `scriptUrl` or the `version` vendor option, not both.');
  }
  if (scriptUrl !== undefined) {
    if (typeof scriptUrl !== 'string' || scriptUrl.trim() === '') {
      throw invalidOption('The Vizzly `scriptUrl` vendor option must be a non-empty URL string.');
    }
    return scriptUrl;
  }
  if (version === undefined) return `${VIZZLY_BUNDLE_BASE}${VIZZLY_DEFAULT_VERSION}/bundle.js`;
  // A version is one path segment: no slashes, so it cannot point the URL somewhere else.
  if (typeof version !== 'string' || !/^[\w.+-]+$/.test(version)) {
    throw invalidOption(
      `The Vizzly \`version\` vendor option must look like "0.12.12" (letters, digits, . + - _), got ${JSON.stringify(version)}.`,
    );
  }
  return `${VIZZLY_BUNDLE_BASE}${version}/bundle.js`;
}

/**
 * Builds the props for `render()`: every option except `scriptUrl` / `version`, `dashboardId` from
 * the element's `dashboard-id` when non-empty, and `identity`. Throws `'invalid-attribute'` when an
 * option has the wrong type or tries to set `identity`.
 */
export function buildVizzlyProps(
  options: Readonly<Record<string, unknown>>,
  dashboardId: string,
  identity: () => Promise<VizzlyIdentity>,
): VizzlyProps {
  if ('identity' in options) {
    throw invalidOption('The Vizzly `identity` prop is provided by <embed-dashboard>; remove it from vendor-options.');
  }
  for (const key of STRING_PROPS) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'string') {
      throw invalidOption(`The Vizzly \`${key}\` vendor option must be a string, got ${typeof value}.`);
    }
  }
  const theme = options['theme'];
  if (theme !== undefined && (typeof theme !== 'object' || theme === null || Array.isArray(theme))) {
    throw invalidOption('The Vizzly `theme` vendor option must be an object.');
  }
  const props: VizzlyProps = { identity };
  for (const [key, value] of Object.entries(options)) {
    if (!LOADER_OPTIONS.has(key) && value !== undefined) props[key] = value;
  }
  if (dashboardId !== '') props.dashboardId = dashboardId;
  return props;
}

/** `<vizzly-dashboard>` as the bundle defines it. */
interface VizzlyDashboardElement extends HTMLElement {
  render(props: VizzlyProps): void;
}

async function mount(container: HTMLElement, ctx: VendorMountContext): Promise<VendorEmbed> {
  const { signal } = ctx;
  const identity = async (): Promise<VizzlyIdentity> => {
    if (signal.aborted)
      throw new EmbedError('disposed', 'This Vizzly embed was removed; it no longer answers identity().');
    return toVizzlyIdentity((await ctx.getTokens()).tokens);
  };
  // Validate everything before downloading anything.
  const url = vizzlyScriptUrl(ctx.options);
  const props = buildVizzlyProps(ctx.options, ctx.dashboardId, identity);
  toVizzlyIdentity(ctx.grant.tokens);

  // A page that already defined <vizzly-dashboard> (its own script tag, or another embed with another
  // version) keeps that definition: a second bundle would throw on customElements.define.
  if (!customElements.get(VIZZLY_TAG)) {
    await loadScript(url, { signal });
    await waitForElement(VIZZLY_TAG, { signal });
  }
  await withSignal(Promise.resolve(), signal); // nothing is mounted once the embed is gone

  const element = document.createElement(VIZZLY_TAG) as VizzlyDashboardElement;
  element.style.display = 'block';
  container.append(element);
  try {
    element.render(props);
  } catch (cause) {
    element.remove();
    throw new EmbedError(
      'vendor',
      `Vizzly's <${VIZZLY_TAG}> failed to render: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }

  const destroy = () => {
    signal.removeEventListener('abort', destroy);
    element.remove();
  };
  signal.addEventListener('abort', destroy, { once: true });
  return {
    // Nothing to do: Vizzly calls identity() on its own timer and the next call reads fresh tokens.
    // Re-rendering here would reload every chart.
    update() {},
    destroy,
  };
}

/** The Vizzly adapter (`vendor="vizzly"`). */
const vizzlyAdapter: VendorAdapter = { mount };
export default vizzlyAdapter;
