// Vizzly's dashboard sharing API (beta): grant or revoke end users' access to dashboards.
import { check } from '../errors.js';
import { callUpstream, type UpstreamRequest, type UpstreamResponse } from '../upstream.js';
import { readApiBaseUrl } from '../validate.js';
import type { VizzlyScope } from './claims.js';
import { describe, fail, isPlainObject, onlyKeys, requireChoice, requireString } from './validate.js';

/** Vizzly's API host. */
export const DEFAULT_VIZZLY_API = 'https://api.vizzly.co';
const PERMISSIONS_PATH = '/api/v3/project/end-user/permissions';

/** One dashboard permission for one end user. */
export interface Permission {
  /** The dashboard to share (`dsh_…`). */
  dashboardId: string;
  /** `"read"` or `"read_write"`. */
  scope: VizzlyScope;
  /** The user reference (as in their dashboard access token) to grant or revoke. */
  userReference: string;
}

/** Options of {@link grantPermissions} and {@link revokePermissions}. */
export interface PermissionsOptions {
  /** Your Vizzly project API key (from app.vizzly.co). Server only: it is never put into an error. */
  apiKey: string;
  /** The permissions to grant or revoke (at least one). */
  permissions: Permission[];
  /** API base URL (default `https://api.vizzly.co`), e.g. a proxy or a test stand-in. */
  baseUrl?: string;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds before giving up (default 10 000). */
  timeoutMs?: number;
}

const WHERE = 'vizzly permissions';
const SCOPES = ['read_write', 'read'] as const;

function readPermission(
  value: unknown,
  index: number,
): { dashboard_id: string; scope: VizzlyScope; user_reference: string } {
  const where = `${WHERE}: permissions[${index}]`;
  if (!isPlainObject(value)) fail(`${where} must be {dashboardId, scope, userReference}; got ${describe(value)}.`);
  onlyKeys(value, ['dashboardId', 'scope', 'userReference'], where);
  const dashboard_id = requireString(value.dashboardId, where, 'dashboardId', 'the dashboard to share, dsh_…');
  if (value.scope === undefined) fail(`${where}: scope is required: "read" or "read_write".`);
  const scope = requireChoice(value.scope, SCOPES, 'read_write', where, 'scope');
  const user_reference = requireString(
    value.userReference,
    where,
    'userReference',
    'the user reference to grant or revoke',
  );
  return { dashboard_id, scope, user_reference };
}

function readBaseUrl(baseUrl: unknown): string {
  if (baseUrl === undefined) return DEFAULT_VIZZLY_API;
  const base = readApiBaseUrl(baseUrl);
  if (base === undefined) {
    fail(
      `${WHERE}: baseUrl must be an http(s) URL without query or hash, e.g. "${DEFAULT_VIZZLY_API}"; got ${describe(baseUrl)}.`,
    );
  }
  return base;
}

/** The API key as sent in the `auth` header; printable ASCII only, so fetch never quotes it in a header error. */
function readApiKey(apiKey: unknown): string {
  check(
    typeof apiKey === 'string' && apiKey.trim() !== '',
    `${WHERE}: apiKey must be your non-empty Vizzly project API key.`,
    'vizzly',
  );
  const key = apiKey.trim().replace(/^Api-Key\s+/i, '');
  check(
    /^[\x21-\x7e]+$/.test(key),
    `${WHERE}: apiKey contains spaces, line breaks or non-ASCII characters; copy the project API key again.`,
    'vizzly',
  );
  return key;
}

/**
 * Builds the sharing API request (pure; exported for tests): `method` to
 * `{baseUrl}/api/v3/project/end-user/permissions` with header `auth: Api-Key <key>` and body
 * `{"permissions": [{"dashboard_id", "scope", "user_reference"}]}`, listing the key in `secrets` so no
 * error repeats it. Throws `invalid-input`.
 */
export function permissionsRequest(method: 'PUT' | 'DELETE', options: PermissionsOptions): UpstreamRequest {
  check(
    isPlainObject(options),
    `${WHERE}: options must be an object like {apiKey, permissions: [{dashboardId, scope, userReference}]}.`,
    'vizzly',
  );
  onlyKeys(options, ['apiKey', 'permissions', 'baseUrl', 'fetch', 'timeoutMs'], WHERE);
  const apiKey = readApiKey(options.apiKey);
  const { permissions } = options;
  check(
    Array.isArray(permissions) && permissions.length > 0,
    `${WHERE}: permissions must be a non-empty list of {dashboardId, scope, userReference}.`,
    'vizzly',
  );
  const body = { permissions: permissions.map(readPermission) };
  check(
    options.fetch === undefined || typeof options.fetch === 'function',
    `${WHERE}: fetch must be a function.`,
    'vizzly',
  );
  const request: UpstreamRequest = {
    vendor: 'vizzly',
    method,
    url: `${readBaseUrl(options.baseUrl)}${PERMISSIONS_PATH}`,
    headers: { auth: `Api-Key ${apiKey}` },
    body,
    secrets: [apiKey],
  };
  if (options.fetch) request.fetch = options.fetch;
  if (options.timeoutMs !== undefined) request.timeoutMs = options.timeoutMs;
  return request;
}

/** Async, so that invalid options reject like every other failure instead of throwing. */
async function send(method: 'PUT' | 'DELETE', options: PermissionsOptions): Promise<UpstreamResponse> {
  return callUpstream(permissionsRequest(method, options));
}

/**
 * Shares dashboards: grants each `{dashboardId, scope, userReference}` (HTTP PUT to Vizzly's
 * permissions API). Resolves with Vizzly's answer (status and body, which Vizzly does not document);
 * a non-2xx answer rejects with `upstream-http` carrying the status and Vizzly's message.
 */
export function grantPermissions(options: PermissionsOptions): Promise<UpstreamResponse> {
  return send('PUT', options);
}

/**
 * Revokes shared access: removes each `{dashboardId, scope, userReference}` (HTTP DELETE to Vizzly's
 * permissions API). Errors as for {@link grantPermissions}.
 */
export function revokePermissions(options: PermissionsOptions): Promise<UpstreamResponse> {
  return send('DELETE', options);
}
