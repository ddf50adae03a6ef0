import type { TokenReuseOptions } from '../stores/reuse.js';
import type { IdentityRequestBody } from '../types.js';

/** DataBrain's guest-token API version: `v1` targets a workspace, `v2` a data app. */
export type DataBrainApiVersion = 'v1' | 'v2';

/**
 * One app filter value. DataBrain documents: a string or number or boolean, an array (multi-select),
 * `{sql, columnName}` (values from a query), `{startDate, endDate}` (date picker), `{min, max}` (range).
 */
export type DataBrainFilterValue =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | { sql: string; columnName: string }
  | { startDate: string; endDate: string }
  | { min: number; max: number }
  | Readonly<Record<string, unknown>>;

/** A metric-level app filter: restricts one metric's data without the end user seeing or changing it. */
export interface DataBrainAppFilter {
  /** The metric the filter applies to. */
  metricId: string;
  /** Filter values keyed by app filter name. */
  values: Readonly<Record<string, DataBrainFilterValue>>;
}

/** A dashboard-level app filter. */
export interface DataBrainDashboardAppFilter {
  /** The dashboard the filter applies to. */
  dashboardId: string;
  /** Filter values keyed by dashboard filter name. */
  values: Readonly<Record<string, DataBrainFilterValue>>;
  /** Whether the filter shows in the page URL's search params (DataBrain's default when absent). */
  isShowOnUrl?: boolean;
}

/** The guest token's `params`: what the token may show and how its data is filtered. */
export interface DataBrainParams {
  /** Restrict the token to one dashboard. Without it the token opens every dashboard of the workspace. */
  dashboard?: { id: string };
  /** Metric-level app filters. */
  appFilters?: readonly DataBrainAppFilter[];
  /** Dashboard-level app filters. */
  dashboardAppFilters?: readonly DataBrainDashboardAppFilter[];
  /** Names of dashboard filters to hide from the end user. */
  hideDashboardFilters?: readonly string[];
  /** Row-level-security settings, as configured in DataBrain (each entry an object). */
  rlsSettings?: readonly Readonly<Record<string, unknown>>[];
  /** Identifies the end user (e.g. for end-user-created metrics). */
  userIdentifier?: string;
}

/**
 * Dashboard permissions set from the backend. The documented flags are listed; any other flag DataBrain
 * adds is accepted as long as it is a boolean.
 */
export interface DataBrainPermissions {
  isEnableArchiveMetrics?: boolean;
  isEnableManageMetrics?: boolean;
  isEnableMetricUpdation?: boolean;
  isEnableCustomizeLayout?: boolean;
  isEnableUnderlyingData?: boolean;
  isEnableDownloadMetrics?: boolean;
  [flag: string]: boolean | undefined;
}

/** The access-granting part of a guest token: who it is for and what it may see. */
export interface DataBrainClaims {
  /**
   * The tenant the token is for. Required: pass the string `"None"` when the connected datasource or
   * datamart has no tenancy.
   */
  clientId: string;
  /** Dashboard, app filters, RLS settings, hidden filters, user identifier. */
  params?: DataBrainParams;
  /** Dashboard permissions (booleans). */
  permissions?: DataBrainPermissions;
  /** The datasource to use, for a workspace with several datasource connections (name from Data Studio). */
  datasourceName?: string;
}

/** Where the token is for: a workspace (API v1, the default) or a data app (API v2). */
export type DataBrainTarget =
  | {
      /** API version: `v1` (default) takes `workspaceName`. */
      apiVersion?: 'v1';
      /** The workspace name, exactly as in DataBrain. Required for v1. */
      workspaceName: string;
      dataAppName?: never;
    }
  | {
      /** API version: `v2` takes `dataAppName`. */
      apiVersion: 'v2';
      /** The data app name, exactly as in DataBrain. Required for v2. */
      dataAppName: string;
      workspaceName?: never;
    };

/** How to reach DataBrain. */
export interface DataBrainConnection {
  /** DataBrain API token (Bearer). Server-side only; never appears in an error. */
  apiToken: string;
  /** API base URL, default `https://api.usedatabrain.com`; set it for self-hosted DataBrain. */
  baseUrl?: string;
  /** Token lifetime in milliseconds. Omitted: the token never expires. */
  expiryTime?: number;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds before giving up on DataBrain (default 10 000). */
  timeoutMs?: number;
  /** Clock in ms since the epoch (default `Date.now`), used to compute `expiresAt`. */
  now?: () => number;
}

/** Options of `createGuestToken`. */
export type GuestTokenOptions = DataBrainConnection & DataBrainTarget & DataBrainClaims;

/** A guest token and when it expires. */
export interface GuestToken {
  /** The guest token: an opaque string (not a JWT), for `<dbn-dashboard token>`. */
  token: string;
  /** ISO time the token expires (`now + expiryTime`), or `null` when it never expires. */
  expiresAt: string | null;
}

/**
 * Which dashboards the browser may ask for, when the app's claims leave the dashboard open: a list
 * of dashboard ids, or a function deciding per user.
 */
export type AllowedDashboards<User> =
  readonly string[] | ((dashboardId: string, user: User) => boolean | Promise<boolean>);

/** Options of `identityProvider`. */
export type DataBrainProviderOptions<User> = DataBrainConnection &
  DataBrainTarget & {
    /**
     * The app decides what the user may see: returns `{clientId, params?, permissions?, datasourceName?}`.
     * These are the only access-granting fields; nothing in the request body can set or widen them.
     */
    claims: (user: User, body: IdentityRequestBody) => DataBrainClaims | Promise<DataBrainClaims>;
    /**
     * When the claims do not set `params.dashboard`, the request's `dashboardId` is honoured (it can only
     * narrow the token: a token without a dashboard opens every dashboard of the workspace). Set this to
     * restrict which ids the browser may ask for; then a request without a `dashboardId` is refused too,
     * since it would mint a token for every dashboard.
     */
    allowedDashboards?: AllowedDashboards<User>;
    /**
     * Reuse of guest tokens per client and params (default on; `false` mints on every request): see
     * `identityProvider`. `store` shares them between instances (e.g. a Redis store).
     */
    cache?: TokenReuseOptions | false;
    /**
     * Who the user is, for the per-user cap of the token store (default: `user` itself when a string,
     * else `user.id`). One user's entries never evict another's.
     */
    userKey?: (user: User) => string;
  };
