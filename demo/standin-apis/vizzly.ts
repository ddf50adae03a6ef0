// A local stand-in for Vizzly's API and its self-hosted query engine, in the shapes Vizzly's
// published client (@vizzly/dashboard 0.4.16) calls them; written from that client's requests, no
// Vizzly code. Web-standard only (Request → Response, WebCrypto), so the demo serves it from Node
// and the browser tests from msw. As strict as Vizzly where it matters to the SDK: every token must
// be an ES256 JWT signed with the project's key, unexpired, of the configured project.
// Routes, below where it is mounted (`vizzlyApiHost` = mount, `queryEngineEndpoint` = mount + /query-engine):
//   POST /api/v2/auth/dashboards/access {dashboardAccessToken} → {permissions: [{dashboard_id, scope, token, user_reference}]}
//   POST /api/v2/multi-get-dashboard {dashboardAccessTokens} → {found: [dashboard], not_found: [token]}
//   GET  /query-engine/api/v1/support → the engine's capabilities
//   POST /query-engine/api/v1/resolve-data-sets {integritySignature} → {dataSets}
//   POST /query-engine/api/v1/create-results {queries, identityConfigIntegritySignature} → [content rows per query]
import type { StandinApi } from './common.js';
import { QueryError, runQuery, secureRows } from './vizzly-query.js';
import {
  QUERY_ENGINE_SUPPORT,
  SALES_DASHBOARD_ID,
  SALES_DATA_SET,
  SALES_DATA_SET_ID,
  SALES_ROWS,
  salesDashboard,
} from './vizzly-data.js';

/** Options of {@link createVizzlyStandin}. */
export interface VizzlyStandinOptions {
  /** The project's public key: every token's ES256 signature is checked with it (none: every token is refused). */
  publicKey?: CryptoKey;
  /** When given, tokens must carry this `projectId`. */
  projectId?: string;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

/** One request the stand-in accepted, with the claims of the token it came with. */
export interface VizzlyStandinCall {
  route: string;
  token: string;
  claims: Record<string, unknown>;
}

/** The stand-in, with what it accepted (for tests). */
export interface VizzlyStandin extends StandinApi {
  /** Every accepted request, oldest first (the last 200). */
  readonly calls: readonly VizzlyStandinCall[];
}

const MAX_CALLS = 200;
const MAX_PERMISSIONS = 500;
const FIELDS = new Set(SALES_DATA_SET.fields.map((field) => field.id));

class Refused extends Error {}

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/** Strict base64url (no padding, no `+` or `/`), as a JWT library reads it. */
function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Refused('a token part is not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function readBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const body: unknown = JSON.parse(await request.text());
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new Refused('the body must be a JSON object');
}

/** Creates the Vizzly API + query engine stand-in. */
export function createVizzlyStandin(options: VizzlyStandinOptions): VizzlyStandin {
  const now = options.now ?? Date.now;
  const calls: VizzlyStandinCall[] = [];
  const counts: Record<string, number> = {};
  /** The per-dashboard tokens handed out by auth/dashboards/access, with their user. */
  const permissions = new Map<string, { userReference: unknown; expires: number }>();

  /** Checks a token as Vizzly would and returns its claims. */
  async function verify(token: unknown, route: string): Promise<Record<string, unknown>> {
    if (typeof token !== 'string') throw new Refused('a token is missing');
    const [header, payload, signature, extra] = token.split('.');
    if (header === undefined || payload === undefined || signature === undefined || extra !== undefined)
      throw new Refused('a token is not a JWT');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const decode = (part: string): Record<string, unknown> => {
      try {
        return JSON.parse(decoder.decode(base64urlBytes(part))) as Record<string, unknown>;
      } catch {
        throw new Refused('a token part is not base64url JSON');
      }
    };
    const head = decode(header);
    if (head['alg'] !== 'ES256') throw new Refused('a token is not ES256');
    if (!options.publicKey) throw new Refused('the stand-in knows no project key, so it accepts no token');
    const valid = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      options.publicKey,
      base64urlBytes(signature),
      new TextEncoder().encode(`${header}.${payload}`),
    );
    if (!valid) throw new Refused("a token's signature does not match the project's key");
    const claims = decode(payload);
    const expires = typeof claims['expires'] === 'string' ? Date.parse(claims['expires']) : Number.NaN;
    if (!(expires > now())) throw new Refused('a token has expired (or has no valid `expires`)');
    if (options.projectId !== undefined && claims['projectId'] !== options.projectId)
      throw new Refused('a token is for another project');
    calls.push({ route, token, claims });
    if (calls.length > MAX_CALLS) calls.shift();
    return claims;
  }

  async function dashboardAccess(request: Request): Promise<Response> {
    const claims = await verify((await readBody(request))['dashboardAccessToken'], 'auth/dashboards/access');
    const token = crypto.randomUUID();
    permissions.set(token, { userReference: claims['userReference'], expires: Date.parse(String(claims['expires'])) });
    if (permissions.size > MAX_PERMISSIONS) permissions.delete(permissions.keys().next().value as string);
    const scope = claims['scope'] ?? 'read_write';
    return answer(200, {
      permissions: [
        { dashboard_id: SALES_DASHBOARD_ID, scope, token, user_reference: claims['userReference'] ?? null },
      ],
    });
  }

  async function multiGet(request: Request): Promise<Response> {
    const tokens = (await readBody(request))['dashboardAccessTokens'];
    if (!Array.isArray(tokens)) throw new Refused('dashboardAccessTokens must be a list');
    const known = tokens.filter((token) => (permissions.get(String(token))?.expires ?? 0) > now());
    return answer(200, {
      found: known.length ? [salesDashboard(new Date(0).toISOString())] : [],
      not_found: tokens.filter((token) => !known.includes(token)),
    });
  }

  /** The rows the data token's secure filters let through, when it grants the data set. */
  async function visibleRows(token: unknown, route: string) {
    const claims = await verify(token, route);
    const ids = claims['dataSetIds'];
    const granted = ids === '*' || (Array.isArray(ids) && ids.includes(SALES_DATA_SET_ID));
    const filters = (claims['secureFilters'] ?? {}) as Record<string, unknown>;
    return { granted, rows: granted ? secureRows(SALES_ROWS, filters[SALES_DATA_SET_ID], FIELDS) : [] };
  }

  async function resolveDataSets(request: Request): Promise<Response> {
    const { granted } = await visibleRows((await readBody(request))['integritySignature'], 'resolve-data-sets');
    return answer(200, { dataSets: granted ? [SALES_DATA_SET] : [] });
  }

  async function createResults(request: Request): Promise<Response> {
    const body = await readBody(request);
    const { granted, rows } = await visibleRows(body['identityConfigIntegritySignature'], 'create-results');
    const queries = body['queries'];
    if (!Array.isArray(queries)) throw new QueryError('queries must be a list');
    return answer(
      200,
      queries.map((query: unknown) => {
        const { dataSetId } = (query ?? {}) as { dataSetId?: unknown };
        if (!granted || dataSetId !== SALES_DATA_SET_ID)
          throw new QueryError(`no access to data set ${String(dataSetId)}`);
        return runQuery(query, rows, FIELDS);
      }),
    );
  }

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    'POST /api/v2/auth/dashboards/access': dashboardAccess,
    'POST /api/v2/multi-get-dashboard': multiGet,
    'GET /query-engine/api/v1/support': async () => answer(200, QUERY_ENGINE_SUPPORT),
    'POST /query-engine/api/v1/resolve-data-sets': resolveDataSets,
    'POST /query-engine/api/v1/create-results': createResults,
  };

  return {
    calls,
    stats: () => ({ ...counts }),
    async handle(request, path) {
      const route = `${request.method} ${path}`;
      const run = routes[route];
      if (!run) return undefined;
      counts[route] = (counts[route] ?? 0) + 1;
      try {
        return await run(request);
      } catch (error) {
        if (error instanceof Refused) return answer(401, { message: error.message });
        if (error instanceof QueryError || error instanceof SyntaxError) return answer(400, { message: error.message });
        throw error;
      }
    },
  };
}
