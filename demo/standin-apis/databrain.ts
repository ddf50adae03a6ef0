// A local stand-in for DataBrain's guest-token API (written from DataBrain's public docs):
// `POST /api/v1/guest-token/create` (workspaceName) and `/api/v2/...` (dataAppName) with a Bearer API
// token, answering `{token}` (an opaque UUID) or `{error: {code, message}}` with DataBrain's codes.
// `POST /standin/verify {token}` plays the part of DataBrain's data API for the stand-in plugin: it
// says whether a guest token is (still) accepted, which the stand-in plugin shows (and retries, then gives up on).
import { randomUUID } from 'node:crypto';
import { asRecord, bearerToken, createCounters, json, readJson, sameSecret, type StandinApi } from './common.js';

/** Options of {@link createDataBrainStandin}. */
export interface DataBrainStandinOptions {
  /** The API token the stand-in accepts (the demo generates one at start). */
  apiToken: string;
  /** The workspace (v1) or data app (v2) name it knows. */
  workspaceName: string;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

interface GuestToken {
  expiresAt: number | null;
  dashboardId: string | undefined;
  clientId: string;
}

/** Guest tokens kept at most; the oldest are forgotten first (a long-running demo stays small). */
const MAX_TOKENS = 500;

function error(status: number, code: string, message: string): Response {
  return json(status, { error: { code, message } });
}

/** Creates the DataBrain API stand-in. */
export function createDataBrainStandin(options: DataBrainStandinOptions): StandinApi {
  const now = options.now ?? Date.now;
  const counters = createCounters();
  const tokens = new Map<string, GuestToken>();

  function create(body: Record<string, unknown>, version: 'v1' | 'v2'): Response {
    const { clientId, params, expiryTime } = body;
    if (typeof clientId !== 'string' || clientId === '')
      return error(400, 'CLIENT_ID_ERROR', 'clientId is required (use "None" without tenancy).');
    const nameKey = version === 'v1' ? 'workspaceName' : 'dataAppName';
    if (body[nameKey] !== options.workspaceName) return error(400, 'WORKSPACE_ID_ERROR', `Unknown ${nameKey}.`);
    const paramRecord = asRecord(params);
    if (params !== undefined && paramRecord !== params)
      return error(400, 'INVALID_REQUEST_BODY', 'params must be an object.');
    const dashboard = paramRecord.dashboard;
    if (dashboard !== undefined && typeof asRecord(dashboard).id !== 'string')
      return error(400, 'DASHBOARD_PARAM_ERROR', 'params.dashboard must be {id: string}.');
    if (
      expiryTime !== undefined &&
      !(typeof expiryTime === 'number' && Number.isSafeInteger(expiryTime) && expiryTime > 0)
    ) {
      return error(400, 'INVALID_REQUEST_BODY', 'expiryTime must be a positive number of milliseconds.');
    }
    const token = randomUUID();
    tokens.set(token, {
      expiresAt: typeof expiryTime === 'number' ? now() + expiryTime : null,
      dashboardId: dashboard === undefined ? undefined : (asRecord(dashboard).id as string),
      clientId,
    });
    while (tokens.size > MAX_TOKENS) tokens.delete(tokens.keys().next().value as string);
    return json(200, { token });
  }

  function verify(body: Record<string, unknown>): Response {
    const known = typeof body.token === 'string' ? tokens.get(body.token) : undefined;
    if (!known) return error(401, 'TOKEN_EXPIRED', 'Unknown guest token.');
    if (known.expiresAt !== null && known.expiresAt <= now())
      return error(401, 'TOKEN_EXPIRED', 'The guest token expired.');
    return json(200, {
      valid: true,
      dashboardId: known.dashboardId ?? null,
      clientId: known.clientId,
      expiresAt: known.expiresAt === null ? null : new Date(known.expiresAt).toISOString(),
    });
  }

  return {
    async handle(request, path) {
      const route = /^\/api\/(v1|v2)\/guest-token\/create$/.exec(path);
      if (route && request.method === 'POST') {
        counters.bump('guest-token/create');
        if (!sameSecret(bearerToken(request), options.apiToken))
          return error(401, 'AUTHENTICATION_ERROR', 'Invalid API token.');
        const body = await readJson(request);
        if (asRecord(body) !== body) return error(400, 'INVALID_REQUEST_BODY', 'The body must be a JSON object.');
        return create(body as Record<string, unknown>, route[1] as 'v1' | 'v2');
      }
      if (path === '/standin/verify' && request.method === 'POST') {
        counters.bump('verify');
        return verify(asRecord(await readJson(request)));
      }
      return undefined;
    },
    stats: counters.snapshot,
  };
}
