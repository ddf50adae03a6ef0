import { check } from '../errors.js';
import { isPositiveInteger, isRecord, kind, nonEmptyString, readApiBaseUrl } from '../validate.js';
import type {
  DataBrainApiVersion,
  DataBrainClaims,
  DataBrainParams,
  DataBrainPermissions,
  GuestTokenOptions,
} from './types.js';

const VENDOR = 'databrain';

/** DataBrain's cloud API. */
export const DEFAULT_BASE_URL = 'https://api.usedatabrain.com';

/** The `params` keys DataBrain documents. Others are refused: a typo in an access filter must not pass silently. */
const PARAM_KEYS = [
  'dashboard',
  'appFilters',
  'dashboardAppFilters',
  'hideDashboardFilters',
  'rlsSettings',
  'userIdentifier',
] as const;

/** The JSON body of `POST /api/{v1|v2}/guest-token/create`. */
export interface GuestTokenBody {
  clientId: string;
  workspaceName?: string;
  dataAppName?: string;
  params?: DataBrainParams;
  permissions?: DataBrainPermissions;
  expiryTime?: number;
  datasourceName?: string;
}

/** Validates an API version, defaulting to v1. */
export function readApiVersion(value: unknown): DataBrainApiVersion {
  if (value === undefined) return 'v1';
  check(
    value === 'v1' || value === 'v2',
    `databrain: apiVersion must be "v1" or "v2" (got ${JSON.stringify(value)}).`,
    VENDOR,
  );
  return value;
}

/**
 * Builds the guest-token endpoint URL from a base URL (cloud by default; a self-hosted URL may carry a
 * path prefix). Throws `invalid-input` when the base is not an http(s) URL.
 */
export function guestTokenUrl(baseUrl: string | undefined, apiVersion: DataBrainApiVersion): string {
  const base = readApiBaseUrl(baseUrl ?? DEFAULT_BASE_URL);
  check(
    base !== undefined,
    'databrain: baseUrl must be an http(s) URL without query or fragment, e.g. "https://api.usedatabrain.com" or your self-hosted DataBrain URL.',
    VENDOR,
  );
  return `${base}/api/${apiVersion}/guest-token/create`;
}

/** Validates `expiryTime` (milliseconds, a positive integer) when present. */
export function checkExpiryTime(value: unknown): asserts value is number | undefined {
  check(
    value === undefined || isPositiveInteger(value),
    `databrain: expiryTime must be a positive whole number of milliseconds (e.g. 3600000 for one hour), or left out for a token that never expires (got ${typeof value === 'number' ? value : kind(value)}).`,
    VENDOR,
  );
}

function checkFilterList(list: unknown, name: 'appFilters' | 'dashboardAppFilters'): void {
  const idKey = name === 'appFilters' ? 'metricId' : 'dashboardId';
  check(
    Array.isArray(list),
    `databrain: params.${name} must be an array of {${idKey}, values} (got ${kind(list)}).`,
    VENDOR,
  );
  list.forEach((entry: unknown, i) => {
    const at = `params.${name}[${i}]`;
    check(isRecord(entry), `databrain: ${at} must be an object {${idKey}, values} (got ${kind(entry)}).`, VENDOR);
    check(
      nonEmptyString(entry[idKey]),
      `databrain: ${at}.${idKey} must be a non-empty string (got ${kind(entry[idKey])}).`,
      VENDOR,
    );
    check(
      isRecord(entry.values),
      `databrain: ${at}.values must be an object of filter values keyed by filter name (got ${kind(entry.values)}).`,
      VENDOR,
    );
    if (name === 'dashboardAppFilters') {
      check(
        entry.isShowOnUrl === undefined || typeof entry.isShowOnUrl === 'boolean',
        `databrain: ${at}.isShowOnUrl must be a boolean when given (got ${kind(entry.isShowOnUrl)}).`,
        VENDOR,
      );
    }
  });
}

/** Validates a guest token's `params` and returns a copy holding only the keys that are set. */
export function readParams(params: unknown): DataBrainParams | undefined {
  if (params === undefined) return undefined;
  check(
    isRecord(params),
    `databrain: params must be an object {dashboard?, appFilters?, dashboardAppFilters?, hideDashboardFilters?, rlsSettings?, userIdentifier?} (got ${kind(params)}).`,
    VENDOR,
  );
  for (const key of Object.keys(params)) {
    check(
      (PARAM_KEYS as readonly string[]).includes(key),
      `databrain: params.${key} is not a DataBrain guest-token param; use one of ${PARAM_KEYS.join(', ')}.`,
      VENDOR,
    );
  }
  const out: Record<string, unknown> = {};
  if (params.dashboard !== undefined) {
    const dashboard = params.dashboard;
    check(
      isRecord(dashboard) && nonEmptyString(dashboard.id),
      `databrain: params.dashboard must be {id: "<dashboard id>"} with a non-empty string id.`,
      VENDOR,
    );
    out.dashboard = { id: dashboard.id };
  }
  if (params.appFilters !== undefined) {
    checkFilterList(params.appFilters, 'appFilters');
    out.appFilters = params.appFilters;
  }
  if (params.dashboardAppFilters !== undefined) {
    checkFilterList(params.dashboardAppFilters, 'dashboardAppFilters');
    out.dashboardAppFilters = params.dashboardAppFilters;
  }
  if (params.hideDashboardFilters !== undefined) {
    const hidden = params.hideDashboardFilters;
    check(
      Array.isArray(hidden) && hidden.every((name) => typeof name === 'string'),
      'databrain: params.hideDashboardFilters must be an array of dashboard filter names (strings).',
      VENDOR,
    );
    out.hideDashboardFilters = hidden;
  }
  if (params.rlsSettings !== undefined) {
    const rls = params.rlsSettings;
    check(
      Array.isArray(rls),
      `databrain: params.rlsSettings must be an array of RLS setting objects (got ${kind(rls)}).`,
      VENDOR,
    );
    rls.forEach((entry: unknown, i) =>
      check(isRecord(entry), `databrain: params.rlsSettings[${i}] must be an object (got ${kind(entry)}).`, VENDOR),
    );
    out.rlsSettings = rls;
  }
  if (params.userIdentifier !== undefined) {
    check(
      typeof params.userIdentifier === 'string',
      `databrain: params.userIdentifier must be a string (got ${kind(params.userIdentifier)}).`,
      VENDOR,
    );
    out.userIdentifier = params.userIdentifier;
  }
  return Object.keys(out).length ? (out as DataBrainParams) : undefined;
}

/** Validates dashboard `permissions` (every flag a boolean) and returns a copy without undefined flags. */
export function readPermissions(permissions: unknown): DataBrainPermissions | undefined {
  if (permissions === undefined) return undefined;
  check(
    isRecord(permissions),
    `databrain: permissions must be an object of boolean flags, e.g. {isEnableDownloadMetrics: false} (got ${kind(permissions)}).`,
    VENDOR,
  );
  const out: DataBrainPermissions = {};
  for (const [flag, value] of Object.entries(permissions)) {
    if (value === undefined) continue;
    check(
      typeof value === 'boolean',
      `databrain: permissions.${flag} must be true or false (got ${kind(value)}).`,
      VENDOR,
    );
    out[flag] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Validates the access-granting claims: `clientId`, `params`, `permissions`, `datasourceName`. */
export function readClaims(claims: unknown, where = 'databrain'): DataBrainClaims {
  check(
    isRecord(claims),
    `${where}: expected {clientId, params?, permissions?, datasourceName?} (got ${kind(claims)}).`,
    VENDOR,
  );
  check(
    nonEmptyString(claims.clientId),
    `${where}: clientId is required: the tenant's client id, or the string "None" when the datasource/datamart has no tenancy (got ${kind(claims.clientId)}).`,
    VENDOR,
  );
  check(
    claims.datasourceName === undefined || nonEmptyString(claims.datasourceName),
    `${where}: datasourceName must be a non-empty string (the datasource name from DataBrain's Data Studio) when given.`,
    VENDOR,
  );
  const out: DataBrainClaims = { clientId: claims.clientId };
  const params = readParams(claims.params);
  if (params) out.params = params;
  const permissions = readPermissions(claims.permissions);
  if (permissions) out.permissions = permissions;
  if (claims.datasourceName !== undefined) out.datasourceName = claims.datasourceName as string;
  return out;
}

/** Validates the workspace (v1) or data app (v2) name for the API version. */
export function readTarget(options: { apiVersion?: unknown; workspaceName?: unknown; dataAppName?: unknown }): {
  apiVersion: DataBrainApiVersion;
  name: string;
} {
  const apiVersion = readApiVersion(options.apiVersion);
  if (apiVersion === 'v1') {
    check(
      options.dataAppName === undefined,
      'databrain: dataAppName is for apiVersion "v2"; with v1 (the default) pass workspaceName.',
      VENDOR,
    );
    check(
      nonEmptyString(options.workspaceName),
      'databrain: workspaceName is required with apiVersion "v1" (the default): your workspace name, exactly as in DataBrain.',
      VENDOR,
    );
    return { apiVersion, name: options.workspaceName };
  }
  check(
    options.workspaceName === undefined,
    'databrain: workspaceName is for apiVersion "v1"; with v2 pass dataAppName.',
    VENDOR,
  );
  check(
    nonEmptyString(options.dataAppName),
    'databrain: dataAppName is required with apiVersion "v2": your data app name, exactly as in DataBrain.',
    VENDOR,
  );
  return { apiVersion, name: options.dataAppName };
}

/**
 * Validates `createGuestToken` options and builds the request: endpoint URL and JSON body holding
 * exactly the documented fields that are set.
 */
export function buildGuestTokenRequest(options: GuestTokenOptions): { url: string; body: GuestTokenBody } {
  check(isRecord(options), 'databrain: createGuestToken needs an options object.', VENDOR);
  check(
    nonEmptyString(options.apiToken),
    "databrain: apiToken is required: a DataBrain API token (create one in DataBrain's settings).",
    VENDOR,
  );
  const { apiVersion, name } = readTarget(options);
  const url = guestTokenUrl(options.baseUrl, apiVersion);
  checkExpiryTime(options.expiryTime);
  const claims = readClaims(options);
  const body: GuestTokenBody = { clientId: claims.clientId };
  if (apiVersion === 'v1') body.workspaceName = name;
  else body.dataAppName = name;
  if (claims.params) body.params = claims.params;
  if (claims.permissions) body.permissions = claims.permissions;
  if (options.expiryTime !== undefined) body.expiryTime = options.expiryTime;
  if (claims.datasourceName !== undefined) body.datasourceName = claims.datasourceName;
  return { url, body };
}
