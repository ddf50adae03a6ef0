// The Vizzly adapter's pure part: the options it reads, the bundle URL, the props for render() and
// the exact identity() answer. Tested directly; no DOM.
import type { TokenSet } from '../../token/types.js';
import { EmbedError, invalidAttribute } from '../../errors.js';
import { optionalRecord, optionalString } from '../options.js';
import { requireToken } from '../tokens.js';

/**
 * The bundle version used when neither `version` nor `scriptUrl` is given: a build once pinned in
 * Vizzly's public examples (they now load 0.6.2). Pin the one you use with the `version` option.
 */
export const VIZZLY_DEFAULT_VERSION = '0.12.12-dev-b5596410abf8a4ab57535a35aef34db1aa13c620';

/** Where Vizzly serves its embed bundles; the version goes between this and `/bundle.js`. */
export const VIZZLY_BUNDLE_BASE = 'https://static.app.vizzly.co/embedded/';

/** The tag Vizzly's bundle defines. */
export const VIZZLY_TAG = 'vizzly-dashboard';

/** How often Vizzly's bundle calls `identity()` unless `pullIntervalSeconds` says otherwise (0.4.16: 300 000 ms). */
export const VIZZLY_DEFAULT_PULL_INTERVAL_SECONDS = 300;

/**
 * Life every token set must have left beyond one pull interval when `identity()` hands it out. It
 * covers a pull that runs late (background tabs run timers at most once a minute), the time the
 * identity request and Vizzly's own API calls take, and clock drift between the two timers.
 */
export const VIZZLY_PULL_MARGIN_SECONDS = 60;

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

const OPTIONAL_TOKEN_KEYS = ['dataAccessToken', 'queryEngineAccessToken'] as const;
// Options the adapter consumes itself; never forwarded to Vizzly.
const ADAPTER_OPTIONS = new Set(['scriptUrl', 'version', 'pullIntervalSeconds', 'acceptsProjectAccessToken']);
// A day: longer would be a typo (minutes for seconds), and the validity asked for would exceed any TTL.
const MAX_PULL_INTERVAL_SECONDS = 86_400;
const STRING_PROPS = ['dashboardId', 'parentDashboardId', 'queryEngineEndpoint', 'vizzlyApiHost'] as const;

/** How the adapter talks to the bundle, from the vendor options. */
export interface VizzlyPullOptions {
  /** Seconds between the bundle's `identity()` calls. */
  pullIntervalSeconds: number;
  /** Whether `identity()` may include `projectAccessToken`. */
  acceptsProjectAccessToken: boolean;
}

/**
 * Reads `pullIntervalSeconds` (default {@link VIZZLY_DEFAULT_PULL_INTERVAL_SECONDS}) and
 * `acceptsProjectAccessToken` (default false). Throws `'invalid-attribute'` on a bad value.
 */
export function vizzlyPullOptions(options: Readonly<Record<string, unknown>>): VizzlyPullOptions {
  const { pullIntervalSeconds = VIZZLY_DEFAULT_PULL_INTERVAL_SECONDS, acceptsProjectAccessToken = false } = options;
  if (
    typeof pullIntervalSeconds !== 'number' ||
    !(pullIntervalSeconds > 0 && pullIntervalSeconds <= MAX_PULL_INTERVAL_SECONDS)
  ) {
    throw invalidAttribute(
      `The Vizzly \`pullIntervalSeconds\` vendor option must be a number of SECONDS from 1 to ${MAX_PULL_INTERVAL_SECONDS} (how often the bundle calls identity(); 0.4.16: 300), got ${JSON.stringify(pullIntervalSeconds)}.`,
    );
  }
  if (typeof acceptsProjectAccessToken !== 'boolean') {
    throw invalidAttribute('The Vizzly `acceptsProjectAccessToken` vendor option must be true or false.');
  }
  return { pullIntervalSeconds, acceptsProjectAccessToken };
}

/**
 * The life (ms) a token set must have left when `identity()` hands it out: one pull interval plus
 * {@link VIZZLY_PULL_MARGIN_SECONDS}, because Vizzly keeps each set until its next pull.
 */
export function vizzlyMinValidityMs(pullIntervalSeconds: number): number {
  return (pullIntervalSeconds + VIZZLY_PULL_MARGIN_SECONDS) * 1000;
}

/**
 * Picks the token set's Vizzly tokens into exactly the object Vizzly's strict validation accepts:
 * `dashboardAccessToken` plus `dataAccessToken` / `queryEngineAccessToken` when present, and
 * `projectAccessToken` only when `acceptsProjectAccessToken` (0.4.16 rejects it); keys that are
 * absent, `null` or `''` are omitted, any other key is dropped.
 * Throws an `EmbedError` `'malformed-token'` when `dashboardAccessToken` is missing or a token is not a string.
 */
export function toVizzlyIdentity(tokens: TokenSet, acceptsProjectAccessToken = false): VizzlyIdentity {
  const dashboardAccessToken = requireToken(tokens, 'dashboardAccessToken', 'Vizzly');
  const identity: VizzlyIdentity = { dashboardAccessToken };
  const keys = acceptsProjectAccessToken
    ? [...OPTIONAL_TOKEN_KEYS, 'projectAccessToken' as const]
    : OPTIONAL_TOKEN_KEYS;
  for (const key of keys) {
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
  const scriptUrl = optionalString(options, 'scriptUrl', 'Vizzly');
  const version = options['version'] ?? undefined;
  if (scriptUrl !== undefined && version !== undefined) {
    throw invalidAttribute('Vizzly takes either the `scriptUrl` or the `version` vendor option, not both.');
  }
  if (scriptUrl !== undefined) return scriptUrl;
  if (version === undefined) return `${VIZZLY_BUNDLE_BASE}${VIZZLY_DEFAULT_VERSION}/bundle.js`;
  // A version is one path segment: no slashes, so it cannot point the URL somewhere else.
  if (typeof version !== 'string' || !/^[\w.+-]+$/.test(version)) {
    throw invalidAttribute(
      `The Vizzly \`version\` vendor option must look like "0.12.12" (letters, digits, . + - _), got ${JSON.stringify(version)}.`,
    );
  }
  return `${VIZZLY_BUNDLE_BASE}${version}/bundle.js`;
}

/**
 * Builds the props for `render()`: every option except the adapter's own (`scriptUrl`, `version`,
 * `pullIntervalSeconds`, `acceptsProjectAccessToken`), `dashboardId` from
 * the element's `dashboard-id` when non-empty, and `identity`. Throws `'invalid-attribute'` when an
 * option has the wrong type or tries to set `identity`.
 */
export function buildVizzlyProps(
  options: Readonly<Record<string, unknown>>,
  dashboardId: string,
  identity: () => Promise<VizzlyIdentity>,
): VizzlyProps {
  if ('identity' in options) {
    throw invalidAttribute(
      'The Vizzly `identity` prop is provided by <embed-dashboard>; remove it from vendor-options.',
    );
  }
  for (const key of STRING_PROPS) {
    const value = options[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw invalidAttribute(`The Vizzly \`${key}\` vendor option must be a string, got ${typeof value}.`);
    }
  }
  optionalRecord(options, 'theme', 'Vizzly');
  const props: VizzlyProps = { identity };
  for (const [key, value] of Object.entries(options)) {
    if (!ADAPTER_OPTIONS.has(key) && value !== undefined && value !== null) props[key] = value;
  }
  if (dashboardId !== '') props.dashboardId = dashboardId;
  return props;
}
