/**
 * DataBrain: guest tokens from DataBrain's REST API (`POST /api/{v1|v2}/guest-token/create`), and an
 * identity provider that mints one per user with claims decided by the app.
 *
 * A guest token is an opaque string (not a JWT): its expiry is `now + expiryTime`, or never when
 * `expiryTime` is left out, and the provider reports it to the browser as `expiresAt` / `expiresIn`.
 *
 * @module
 */
import { check, EmbedServerError } from './errors.js';
import type { IdentityRequestBody, ProviderContext, VendorTokens } from './types.js';
import { callUpstream, type UpstreamResponse } from './upstream.js';
import { buildGuestTokenRequest, checkExpiryTime, guestTokenUrl, readClaims, readTarget } from './databrain/request.js';
import { dataBrainError, readGuestTokenAnswer } from './databrain/response.js';
import { createTokenReuse, ownerOf, reuseKey } from './stores/reuse.js';
import type {
  AllowedDashboards,
  DataBrainClaims,
  DataBrainProviderOptions,
  GuestToken,
  GuestTokenOptions,
} from './databrain/types.js';

export type {
  AllowedDashboards,
  DataBrainApiVersion,
  DataBrainAppFilter,
  DataBrainClaims,
  DataBrainConnection,
  DataBrainDashboardAppFilter,
  DataBrainFilterValue,
  DataBrainParams,
  DataBrainPermissions,
  DataBrainProviderOptions,
  DataBrainTarget,
  GuestToken,
  GuestTokenOptions,
} from './databrain/types.js';
export type { DataBrainErrorCode } from './databrain/response.js';
export { DEFAULT_BASE_URL, buildGuestTokenRequest } from './databrain/request.js';

const VENDOR = 'databrain';

/**
 * Default `cache.minRemainingSeconds` for DataBrain: a reused guest token keeps at least 5 minutes of
 * life, so the element holding it has time for its own refresh (60 s before expiry at the latest).
 */
export const DATABRAIN_MIN_REMAINING_SECONDS = 300;

/** Maps DataBrain's non-2xx answers (the API token already cut out by callUpstream) to errors saying what to fix. */
function cleanError(error: unknown): unknown {
  if (!(error instanceof EmbedServerError) || error.code !== 'upstream-http' || error.status === undefined)
    return error;
  return dataBrainError({ status: error.status, code: error.vendorCode, message: error.vendorMessage });
}

/**
 * Creates a DataBrain guest token.
 *
 * Sends `POST {baseUrl}/api/{v1|v2}/guest-token/create` with `Authorization: Bearer <apiToken>` and a JSON
 * body holding exactly the fields given: `clientId` (required; `"None"` without tenancy), `workspaceName`
 * (v1) or `dataAppName` (v2), `params`, `permissions`, `expiryTime` (ms), `datasourceName`.
 *
 * @returns the token and its expiry: ISO `now + expiryTime`, or `null` when `expiryTime` is omitted (never expires).
 * @throws EmbedServerError `invalid-input` for bad options (before any request); `upstream-http` with
 *   `vendorCode` (e.g. `CLIENT_ID_ERROR`) when DataBrain refuses, whatever the HTTP status;
 *   `upstream-malformed` when the answer has no token; `upstream-network` / `upstream-timeout`.
 */
export async function createGuestToken(options: GuestTokenOptions): Promise<GuestToken> {
  const { url, body } = buildGuestTokenRequest(options);
  const now = options.now ?? Date.now;
  const apiToken = options.apiToken;
  let answer: UpstreamResponse;
  try {
    answer = await callUpstream({
      vendor: VENDOR,
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${apiToken}` },
      body,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      secrets: [apiToken],
    });
  } catch (error) {
    throw cleanError(error);
  }
  const token = readGuestTokenAnswer(answer.status, answer.body, [apiToken]);
  const expiresAt = body.expiryTime === undefined ? null : new Date(now() + body.expiryTime).toISOString();
  return { token, expiresAt };
}

async function isAllowed<User>(allowed: AllowedDashboards<User>, dashboardId: string, user: User): Promise<boolean> {
  return typeof allowed === 'function' ? (await allowed(dashboardId, user)) === true : allowed.includes(dashboardId);
}

/**
 * Settles the dashboard the token is for. The app's claims win; otherwise the request's `dashboardId`
 * is honoured (it only narrows the token), subject to `allowedDashboards` when set.
 */
export async function resolveDashboard<User>(
  claims: DataBrainClaims,
  body: Pick<IdentityRequestBody, 'dashboardId'>,
  user: User,
  allowedDashboards: AllowedDashboards<User> | undefined,
): Promise<DataBrainClaims> {
  if (claims.params?.dashboard) return claims;
  const requested = typeof body.dashboardId === 'string' && body.dashboardId !== '' ? body.dashboardId : undefined;
  if (requested === undefined) {
    if (allowedDashboards !== undefined) {
      throw new EmbedServerError(
        'bad-request',
        'databrain: this request names no dashboardId, and allowedDashboards is set: a token without a dashboard would open every dashboard of the workspace. Set dashboard-id on the element.',
        { vendor: VENDOR },
      );
    }
    return claims;
  }
  if (allowedDashboards !== undefined && !(await isAllowed(allowedDashboards, requested, user))) {
    throw new EmbedServerError(
      'forbidden',
      `databrain: dashboard ${JSON.stringify(requested.slice(0, 100))} is not allowed for this user (allowedDashboards).`,
      { vendor: VENDOR },
    );
  }
  return { ...claims, params: { ...claims.params, dashboard: { id: requested } } };
}

/**
 * An identity provider for the identity endpoint: calls the app's `claims(user, body)` and creates a guest
 * token with exactly those claims. Nothing in the request body can set `clientId`, filters, RLS settings,
 * permissions or the datasource; only `dashboardId` is read, and only when the claims leave
 * `params.dashboard` unset (see `allowedDashboards`).
 *
 * Guest tokens are reused per client and params (`cache`, default on): requests whose guest-token
 * request would be the same get the token minted earlier while at least `minRemainingSeconds`
 * ({@link DATABRAIN_MIN_REMAINING_SECONDS}) of it is left (never-expiring tokens: for
 * `neverExpiringReuseSeconds`). A refresh (`action: "refresh"`) always mints anew. `cache: false` mints
 * on every request.
 *
 * Answers `{tokens: {token}, expiresAt, expiresIn}` (both `null` when the token never expires).
 * Options are validated once, here, so a misconfiguration fails at startup.
 */
export function identityProvider<User = unknown>(
  options: DataBrainProviderOptions<User>,
): (context: ProviderContext<User>) => Promise<VendorTokens> {
  check(options && typeof options === 'object', 'databrain: identityProvider needs an options object.', VENDOR);
  check(
    typeof options.apiToken === 'string' && options.apiToken.trim() !== '',
    'databrain: apiToken is required: a DataBrain API token.',
    VENDOR,
  );
  check(
    typeof options.claims === 'function',
    'databrain: claims(user, body) is required: it returns {clientId, params?, permissions?, datasourceName?} for the user.',
    VENDOR,
  );
  const allowed = options.allowedDashboards;
  check(
    allowed === undefined ||
      typeof allowed === 'function' ||
      (Array.isArray(allowed) && allowed.every((id) => typeof id === 'string')),
    'databrain: allowedDashboards must be an array of dashboard ids or a function (dashboardId, user) => boolean.',
    VENDOR,
  );
  const target = readTarget(options);
  guestTokenUrl(options.baseUrl, target.apiVersion);
  checkExpiryTime(options.expiryTime);
  const now = options.now ?? Date.now;
  check(
    options.userKey === undefined || typeof options.userKey === 'function',
    'databrain: userKey must be a function (user) => string when given.',
    VENDOR,
  );
  const reuse = createTokenReuse(options.cache, {
    vendor: VENDOR,
    minRemainingSeconds: DATABRAIN_MIN_REMAINING_SECONDS,
    now,
  });

  return async ({ user, body }): Promise<VendorTokens> => {
    const claimed = readClaims(await options.claims(user, body), 'databrain: claims(user, body) returned a bad value');
    const claims = await resolveDashboard(claimed, body, user, allowed);
    const connection = {
      apiToken: options.apiToken,
      baseUrl: options.baseUrl,
      expiryTime: options.expiryTime,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      now,
    };
    const request: GuestTokenOptions =
      target.apiVersion === 'v2'
        ? { ...connection, ...claims, apiVersion: 'v2', dataAppName: target.name }
        : { ...connection, ...claims, apiVersion: 'v1', workspaceName: target.name };
    // The key covers the whole guest-token request (and which API token makes it), hashed.
    const { url, body: upstreamBody } = buildGuestTokenRequest(request);
    const held = await reuse.tokens({
      key: await reuseKey(VENDOR, [url, upstreamBody, options.apiToken]),
      owner: await ownerOf(VENDOR, user, options.userKey),
      refresh: body.action === 'refresh',
      mint: async () => {
        const { token, expiresAt } = await createGuestToken(request);
        return { tokens: { token }, expiresAtMs: expiresAt === null ? null : Date.parse(expiresAt) };
      },
    });
    if (held.expiresAtMs === null) return { tokens: held.tokens, expiresAt: null, expiresIn: null };
    return {
      tokens: held.tokens,
      expiresAt: new Date(held.expiresAtMs).toISOString(),
      expiresIn: Math.max(0, Math.floor((held.expiresAtMs - now()) / 1000)),
    };
  };
}
