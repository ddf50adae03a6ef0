import { invalidAttribute } from '../errors.js';
import type { TokenSessionOptions } from '../token/session.js';
import type { IdentityResponse } from '../token/types.js';
import { hasVendor, unknownVendor, vendorNames } from '../vendors/registry.js';
import type { IdentityRequest } from '../identity/client.js';
import { valueKey } from './inputs.js';

/** What an app's own `fetchTokens` receives: the identity request plus an abort signal. */
export type FetchTokensRequest = IdentityRequest & { signal: AbortSignal };

/**
 * An app-supplied replacement for the identity endpoint: resolves to the wire contract's 200 body
 * (`{tokens, expiresIn?, expiresAt?}`; `vendor` may be left out).
 */
export type FetchTokens = (
  request: FetchTokensRequest,
) => Promise<Omit<IdentityResponse, 'receivedAt' | 'vendor' | 'serverDate'> & { vendor?: string }>;

/** Session tunables an app (or a test) may set through the `sessionOptions` property. */
export type SessionSettings = Omit<TokenSessionOptions, 'fetchTokens' | 'debug'> & {
  /** Log this element's token life cycle to the console (never the tokens); same as the `debug` attribute. */
  debug?: boolean;
};

/** The element's raw inputs: attributes and properties, unvalidated. */
export interface EmbedInputs {
  vendor?: string | null;
  identityUrl?: string | null;
  dashboardId?: string | null;
  vendorOptions?: string | null;
  credentials?: string | null;
  fetchTokens?: FetchTokens | null;
  context?: unknown;
  options?: unknown;
  headers?: IdentityHeaders | null;
  share?: string | null;
}

export type IdentityHeaders = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

/** Validated inputs: everything needed to mount one embed. */
export interface EmbedConfig {
  vendor: string;
  dashboardId: string;
  identityUrl: string | null;
  fetchTokens: FetchTokens | null;
  credentials: RequestCredentials;
  context: Record<string, unknown>;
  options: Record<string, unknown>;
  headers: IdentityHeaders | undefined;
  /** Who shares the token session: the elements of this page, or every tab of the origin too. */
  share: 'page' | 'tabs';
}

const CREDENTIALS = ['omit', 'same-origin', 'include'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    !!value && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype
  );
}

function parseOptions(inputs: EmbedInputs): Record<string, unknown> {
  let fromAttribute: unknown = {};
  if (inputs.vendorOptions) {
    try {
      fromAttribute = JSON.parse(inputs.vendorOptions);
    } catch (error) {
      throw invalidAttribute(
        `The vendor-options attribute is not valid JSON (${(error as Error).message}). Write a JSON object, e.g. vendor-options='{"theme": "dark"}'.`,
        'vendor-options',
      );
    }
    if (!isPlainObject(fromAttribute))
      throw invalidAttribute(
        'The vendor-options attribute must be a JSON object, e.g. {"theme": "dark"}.',
        'vendor-options',
      );
  }
  if (inputs.options != null && !isPlainObject(inputs.options)) {
    throw invalidAttribute('The options property must be a plain object of vendor options.', 'options');
  }
  // The property wins over the attribute, key by key.
  return { ...(fromAttribute as Record<string, unknown>), ...((inputs.options as Record<string, unknown>) ?? {}) };
}

/** Validates the element's inputs; throws an EmbedError naming the attribute at fault. */
export function parseConfig(inputs: EmbedInputs): EmbedConfig {
  const vendor = inputs.vendor?.trim();
  if (!vendor)
    throw invalidAttribute(`The vendor attribute is missing: set it to one of ${vendorNames().join(', ')}.`, 'vendor');
  if (!hasVendor(vendor)) throw unknownVendor(vendor);
  const fetchTokens = inputs.fetchTokens ?? null;
  if (fetchTokens !== null && typeof fetchTokens !== 'function')
    throw invalidAttribute('The fetchTokens property must be a function returning the identity answer.', 'fetchTokens');
  const identityUrl = inputs.identityUrl?.trim() || null;
  if (!identityUrl && !fetchTokens) {
    throw invalidAttribute(
      "The identity-url attribute is missing: set it to your backend's identity endpoint (e.g. /api/embed/identity), or set the fetchTokens property.",
      'identity-url',
    );
  }
  if (identityUrl) {
    try {
      new URL(identityUrl, globalThis.location?.href ?? 'http://localhost/');
    } catch {
      throw invalidAttribute(`The identity-url attribute "${identityUrl}" is not a valid URL.`, 'identity-url');
    }
  }
  const credentials = inputs.credentials?.trim() || 'same-origin';
  if (!CREDENTIALS.includes(credentials)) {
    throw invalidAttribute(
      `The credentials attribute must be one of ${CREDENTIALS.join(', ')} (got "${credentials}").`,
      'credentials',
    );
  }
  const context = inputs.context ?? {};
  if (!isPlainObject(context))
    throw invalidAttribute(
      'The context property must be a plain object of non-secret hints for your server.',
      'context',
    );
  let snapshot: Record<string, unknown>;
  try {
    // A copy: an app that mutates its object in place (normal in Vue) must not change what later
    // requests of this session send. It goes out as JSON anyway.
    snapshot = JSON.parse(JSON.stringify(context)) as Record<string, unknown>;
  } catch (error) {
    throw invalidAttribute(`The context property must be JSON data (${(error as Error).message}).`, 'context');
  }
  const share = inputs.share?.trim() || 'page';
  if (share !== 'page' && share !== 'tabs')
    throw invalidAttribute(`The share attribute must be "page" (default) or "tabs" (got "${share}").`, 'share');
  const headers = inputs.headers ?? undefined;
  if (headers !== undefined && typeof headers !== 'function' && !isPlainObject(headers)) {
    throw invalidAttribute(
      'The headers property must be an object of header names to values, or a function returning one.',
      'headers',
    );
  }
  return {
    vendor,
    dashboardId: inputs.dashboardId?.trim() ?? '',
    identityUrl,
    fetchTokens,
    credentials: credentials as RequestCredentials,
    context: snapshot,
    options: parseOptions(inputs),
    // Copied for the same reason as context; a function is called afresh at each request.
    headers: typeof headers === 'object' ? { ...headers } : headers,
    share,
  };
}

/**
 * One key per input that changes what an identity request carries (source, credentials, headers,
 * vendor, dashboard, context): equal keys share one session, so elements that share a session
 * always send the same request. Functions (`fetchTokens`, a `headers()` function) count by identity.
 */
export function sessionKey(config: EmbedConfig): string {
  const { fetchTokens, identityUrl, credentials, headers, vendor, dashboardId, context, share } = config;
  return valueKey([fetchTokens ?? identityUrl, credentials, headers ?? null, vendor, dashboardId, context, share]);
}

/**
 * The key tabs share tokens by (`share="tabs"`): what the tokens are for, in terms every tab of the
 * origin spells alike — the identity URL made absolute (or `fetchTokens` for an app's own source),
 * credentials, vendor, dashboard and context. Headers are left out (a CSRF token differs from tab
 * to tab; the same origin sends the same cookies): put a user id in `context` if tabs of one origin
 * may be signed in as different users.
 */
export function tabShareKey(config: EmbedConfig): string {
  const { identityUrl, credentials, vendor, dashboardId, context } = config;
  const source = identityUrl
    ? new URL(identityUrl, globalThis.location?.href ?? 'http://localhost/').href
    : 'fetchTokens';
  return valueKey([source, credentials, vendor, dashboardId, context]);
}
