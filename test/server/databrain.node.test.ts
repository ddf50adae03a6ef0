import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as databrain from '../../src/server/databrain.js';
import { EmbedServerError } from '../../src/server/errors.js';
import type { IdentityRequestBody } from '../../src/server/types.js';

const API_TOKEN = 'dbn_live_7f3c2a9e-secret-api-token';
const WORKSPACE = 'acme-workspace';
const DATA_APP = 'acme-data-app';
const NOW = Date.parse('2026-11-22T10:00:00.000Z');

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}
type Answer = { status: number; body?: unknown; raw?: string } | 'hang';

/** A stand-in for DataBrain's guest-token API: records each request and answers like the vendor. */
class DataBrainStandIn {
  requests: Recorded[] = [];
  /** When set, answers the next requests with this instead of the vendor-like behaviour. */
  override: ((request: Recorded) => Answer) | undefined;
  issued: string[] = [];
  private server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const recorded: Recorded = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : undefined };
      this.requests.push(recorded);
      const answer = this.override ? this.override(recorded) : this.vendor(recorded);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': answer.raw === undefined ? 'application/json' : 'text/plain' });
      res.end(answer.raw ?? (answer.body === undefined ? '' : JSON.stringify(answer.body)));
    });
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  reset(): void {
    this.requests = [];
    this.override = undefined;
  }

  /** Behaves like DataBrain's documented API. */
  private vendor(request: Recorded): Answer {
    const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
    const match = /^(?:\/[\w-]+)*\/api\/(v1|v2)\/guest-token\/create$/.exec(request.path);
    if (request.method !== 'POST' || !match) return { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Not found' } } };
    if (request.headers.authorization !== `Bearer ${API_TOKEN}`) return error(401, 'AUTHENTICATION_ERROR', 'Invalid API token');
    const body = request.body as Record<string, unknown>;
    if (typeof body.clientId !== 'string') return error(400, 'CLIENT_ID_ERROR', 'clientId is required');
    if (match[1] === 'v1' && body.workspaceName !== WORKSPACE) return error(400, 'WORKSPACE_ID_ERROR', 'Workspace not found');
    if (match[1] === 'v2' && body.dataAppName !== DATA_APP) return error(400, 'WORKSPACE_ID_ERROR', 'Data app not found');
    const token = randomUUID();
    this.issued.push(token);
    return { status: 200, body: { token } };
  }
}

const standIn = new DataBrainStandIn();
before(() => standIn.start());
after(() => standIn.stop());
beforeEach(() => standIn.reset());

function base() {
  return { apiToken: API_TOKEN, baseUrl: standIn.url, workspaceName: WORKSPACE, now: () => NOW };
}

/** Asserts a rejection with an EmbedServerError that never mentions the API token; returns it. */
async function rejects(promise: Promise<unknown>, expected: { code: string; status?: number; vendorCode?: string; message?: RegExp }) {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EmbedServerError, `expected EmbedServerError, got ${String(error)}`);
  assert.equal(error.code, expected.code, error.message);
  if ('status' in expected) assert.equal(error.status, expected.status);
  if ('vendorCode' in expected) assert.equal(error.vendorCode, expected.vendorCode);
  if (expected.message) assert.match(error.message, expected.message);
  for (const text of [error.message, error.vendorMessage ?? '', error.stack ?? '', JSON.stringify({ ...error })]) {
    assert.ok(!text.includes(API_TOKEN), `the API token leaked into: ${text}`);
  }
  return error;
}

describe('databrain.createGuestToken: the request', () => {
  it('POSTs exactly clientId and workspaceName to /api/v1/guest-token/create with the Bearer token; no expiry', async () => {
    const result = await databrain.createGuestToken({ ...base(), clientId: 'tenant-42' });
    assert.equal(standIn.requests.length, 1);
    const [request] = standIn.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.path, '/api/v1/guest-token/create');
    assert.equal(request?.headers.authorization, `Bearer ${API_TOKEN}`);
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.deepEqual(request?.body, { clientId: 'tenant-42', workspaceName: WORKSPACE });
    assert.equal(result.token, standIn.issued.at(-1));
    assert.equal(result.expiresAt, null);
  });

  it('sends every documented field when given, and expiresAt = now + expiryTime', async () => {
    const params = {
      dashboard: { id: 'dash-1' },
      appFilters: [{ metricId: 'm-1', values: { country: ['USA', 'CANADA'], amount: 500, paid: true } }],
      dashboardAppFilters: [{ dashboardId: 'dash-1', values: { price: { min: 1000, max: 5000 } }, isShowOnUrl: false }],
      hideDashboardFilters: ['filter 1'],
      rlsSettings: [{ metricId: 'm-1', values: { region: 'eu' } }],
      userIdentifier: 'user-7',
    };
    const permissions = { isEnableArchiveMetrics: false, isEnableDownloadMetrics: true, isEnableSomethingNew: false };
    const result = await databrain.createGuestToken({
      ...base(),
      clientId: 'None',
      params,
      permissions,
      expiryTime: 3_600_000,
      datasourceName: 'warehouse',
    });
    assert.deepEqual(standIn.requests[0]?.body, {
      clientId: 'None',
      workspaceName: WORKSPACE,
      params,
      permissions,
      expiryTime: 3_600_000,
      datasourceName: 'warehouse',
    });
    assert.equal(result.expiresAt, '2026-11-22T11:00:00.000Z');
  });

  it('leaves out absent and undefined fields, empty params and empty permissions', async () => {
    await databrain.createGuestToken({ ...base(), clientId: 'c', params: { userIdentifier: undefined }, permissions: {}, datasourceName: undefined });
    assert.deepEqual(standIn.requests[0]?.body, { clientId: 'c', workspaceName: WORKSPACE });
  });

  it('v2 posts dataAppName (not workspaceName) to /api/v2/guest-token/create', async () => {
    await databrain.createGuestToken({ apiToken: API_TOKEN, baseUrl: standIn.url, apiVersion: 'v2', dataAppName: DATA_APP, clientId: 'c' });
    assert.equal(standIn.requests[0]?.path, '/api/v2/guest-token/create');
    assert.deepEqual(standIn.requests[0]?.body, { clientId: 'c', dataAppName: DATA_APP });
  });

  it('keeps a self-hosted base path and ignores trailing slashes', async () => {
    await databrain.createGuestToken({ ...base(), baseUrl: `${standIn.url}/databrain//`, clientId: 'c' });
    assert.equal(standIn.requests[0]?.path, '/databrain/api/v1/guest-token/create');
  });

  it('defaults to DataBrain cloud', () => {
    const { url } = databrain.buildGuestTokenRequest({ apiToken: 't', workspaceName: 'w', clientId: 'c' });
    assert.equal(url, 'https://api.usedatabrain.com/api/v1/guest-token/create');
    assert.equal(databrain.DEFAULT_BASE_URL, 'https://api.usedatabrain.com');
  });

  it('reads a guest_token answer too', async () => {
    standIn.override = () => ({ status: 200, body: { guest_token: 'gt-123' } });
    assert.equal((await databrain.createGuestToken({ ...base(), clientId: 'c' })).token, 'gt-123');
  });
});

describe('databrain.createGuestToken: DataBrain errors', () => {
  const cases: [code: string, normalised: string, status: number, says: RegExp, retriable: boolean][] = [
    ['AUTHENTICATION_ERROR', 'AUTHENTICATION_ERROR', 401, /check apiToken/, false],
    ['AUTHENTICATION_ERR', 'AUTHENTICATION_ERROR', 401, /check apiToken/, false],
    ['INVALID_REQUEST_BODY', 'INVALID_REQUEST_BODY', 400, /request body/, false],
    ['CLIENT_ID_ERROR', 'CLIENT_ID_ERROR', 400, /Check clientId.*"None"/, false],
    ['WORKSPACE_ID_ERROR', 'WORKSPACE_ID_ERROR', 400, /Check workspaceName.*dataAppName/, false],
    ['DASHBOARD_PARAM_ERROR', 'DASHBOARD_PARAM_ERROR', 400, /Check params\.dashboard\.id/, false],
    ['APP_FILTER_PARAM_ERROR', 'APP_FILTER_PARAM_ERROR', 400, /Check params\.appFilters and params\.dashboardAppFilters/, false],
    ['RLS_SETTINGS_PARAM_ERROR', 'RLS_SETTINGS_PARAM_ERROR', 400, /Check params\.rlsSettings/, false],
    ['INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR', 500, /try again later/, true],
  ];
  for (const [code, normalised, status, says, retriable] of cases) {
    for (const answeredStatus of [status, 200]) {
      it(`${code} answered with HTTP ${answeredStatus} → upstream-http, vendorCode ${normalised}, says what to fix`, async () => {
        standIn.override = () => ({ status: answeredStatus, body: { error: { code, message: `problem ${code}` } } });
        const error = await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), {
          code: 'upstream-http',
          status: answeredStatus,
          vendorCode: normalised,
          message: says,
        });
        assert.equal(error.vendor, 'databrain');
        assert.equal(error.vendorMessage, `problem ${code}`);
        assert.match(error.message, new RegExp(`DataBrain said: problem ${code}`));
        assert.equal(error.retriable, retriable);
      });
    }
  }

  it('a wrong API token is refused by the stand-in with AUTHENTICATION_ERROR', async () => {
    await rejects(databrain.createGuestToken({ ...base(), apiToken: 'wrong-token', clientId: 'c' }), {
      code: 'upstream-http',
      status: 401,
      vendorCode: 'AUTHENTICATION_ERROR',
    });
  });

  it('a wrong workspace name comes back as WORKSPACE_ID_ERROR', async () => {
    await rejects(databrain.createGuestToken({ ...base(), workspaceName: 'nope', clientId: 'c' }), { code: 'upstream-http', vendorCode: 'WORKSPACE_ID_ERROR' });
  });

  it('an unknown code is passed through; a bare 403 still points at the API token', async () => {
    standIn.override = () => ({ status: 400, body: { error: { code: 'SOMETHING_NEW', message: 'new' } } });
    await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), { code: 'upstream-http', vendorCode: 'SOMETHING_NEW', message: /SOMETHING_NEW.*new/ });
    standIn.override = () => ({ status: 403, raw: 'Forbidden' });
    await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), { code: 'upstream-http', status: 403, vendorCode: undefined, message: /check apiToken/ });
  });

  it('never repeats the API token, even when DataBrain echoes it', async () => {
    standIn.override = (request) => ({ status: 401, body: { error: { code: 'AUTHENTICATION_ERR', message: `bad header "${request.headers.authorization}"` } } });
    const error = await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), { code: 'upstream-http', vendorCode: 'AUTHENTICATION_ERROR' });
    assert.match(error.vendorMessage ?? '', /Bearer \[redacted\]/);
    standIn.override = (request) => ({ status: 200, body: { error: { code: 'X', message: JSON.stringify(request.headers) } } });
    await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), { code: 'upstream-http', vendorCode: 'X' });
  });

  it('a 2xx answer without a token is upstream-malformed', async () => {
    for (const answer of [{ status: 200, body: {} }, { status: 200, body: { token: 5 } }, { status: 200, raw: 'ok' }, { status: 204 }]) {
      standIn.override = () => answer;
      await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), { code: 'upstream-malformed', message: /without a guest token/ });
    }
  });

  it('an unreachable DataBrain is upstream-network; a silent one upstream-timeout', async () => {
    await rejects(databrain.createGuestToken({ ...base(), baseUrl: 'http://127.0.0.1:1', clientId: 'c' }), { code: 'upstream-network' });
    standIn.override = () => 'hang';
    const error = await rejects(databrain.createGuestToken({ ...base(), clientId: 'c', timeoutMs: 50 }), { code: 'upstream-timeout' });
    assert.equal(error.retriable, true);
  });
});

describe('databrain.createGuestToken: validation (nothing is sent)', () => {
  const bad: [what: string, options: Record<string, unknown>, says: RegExp][] = [
    ['no apiToken', { apiToken: '' }, /apiToken is required/],
    ['no clientId', { clientId: undefined }, /clientId is required.*"None"/],
    ['an empty clientId', { clientId: ' ' }, /clientId is required/],
    ['an unknown apiVersion', { apiVersion: 'v3' }, /apiVersion must be "v1" or "v2"/],
    ['v1 without workspaceName', { workspaceName: undefined }, /workspaceName is required with apiVersion "v1"/],
    ['v1 with dataAppName', { dataAppName: 'app' }, /dataAppName is for apiVersion "v2"/],
    ['v2 without dataAppName', { apiVersion: 'v2', workspaceName: undefined }, /dataAppName is required with apiVersion "v2"/],
    ['v2 with workspaceName', { apiVersion: 'v2', dataAppName: 'app' }, /workspaceName is for apiVersion "v1"/],
    ['a bad baseUrl', { baseUrl: 'ftp://x' }, /baseUrl must be an http\(s\) URL/],
    ['a negative expiryTime', { expiryTime: -1 }, /expiryTime must be a positive whole number of milliseconds/],
    ['a fractional expiryTime', { expiryTime: 1.5 }, /expiryTime must be a positive whole number/],
    ['a string expiryTime', { expiryTime: '3600' }, /expiryTime .*got a string/],
    ['params as an array', { params: [] }, /params must be an object/],
    ['an unknown params key', { params: { appFilter: [] } }, /params\.appFilter is not a DataBrain guest-token param/],
    ['dashboard without id', { params: { dashboard: 'dash-1' } }, /params\.dashboard must be \{id/],
    ['dashboard id as a number', { params: { dashboard: { id: 7 } } }, /params\.dashboard must be \{id/],
    ['appFilters as an object', { params: { appFilters: { metricId: 'm' } } }, /params\.appFilters must be an array/],
    ['appFilters entry without metricId', { params: { appFilters: [{ values: {} }] } }, /params\.appFilters\[0\]\.metricId must be a non-empty string/],
    ['appFilters entry without values', { params: { appFilters: [{ metricId: 'm' }] } }, /params\.appFilters\[0\]\.values must be an object/],
    ['dashboardAppFilters entry as a string', { params: { dashboardAppFilters: ['d'] } }, /params\.dashboardAppFilters\[0\] must be an object/],
    ['dashboardAppFilters without dashboardId', { params: { dashboardAppFilters: [{ values: {} }] } }, /dashboardAppFilters\[0\]\.dashboardId/],
    ['dashboardAppFilters isShowOnUrl as a string', { params: { dashboardAppFilters: [{ dashboardId: 'd', values: {}, isShowOnUrl: 'no' }] } }, /isShowOnUrl must be a boolean/],
    ['rlsSettings as an object', { params: { rlsSettings: {} } }, /params\.rlsSettings must be an array/],
    ['rlsSettings entry as a string', { params: { rlsSettings: ['x'] } }, /params\.rlsSettings\[0\] must be an object/],
    ['hideDashboardFilters with a number', { params: { hideDashboardFilters: ['a', 1] } }, /hideDashboardFilters must be an array of dashboard filter names/],
    ['userIdentifier as a number', { params: { userIdentifier: 7 } }, /params\.userIdentifier must be a string/],
    ['permissions as an array', { permissions: [true] }, /permissions must be an object of boolean flags/],
    ['a permission as a string', { permissions: { isEnableManageMetrics: 'false' } }, /permissions\.isEnableManageMetrics must be true or false/],
    ['datasourceName empty', { datasourceName: '' }, /datasourceName must be a non-empty string/],
  ];
  for (const [what, change, says] of bad) {
    it(`refuses ${what}`, async () => {
      const options = { ...base(), clientId: 'c', ...change } as unknown as databrain.GuestTokenOptions;
      await rejects(databrain.createGuestToken(options), { code: 'invalid-input', message: says });
      assert.equal(standIn.requests.length, 0);
    });
  }
});

describe('databrain.identityProvider', () => {
  const request = new Request('http://app.test/api/embed/identity', { method: 'POST' });
  const user = { id: 'u-1', tenant: 'tenant-42' };
  type User = typeof user;
  const claims = (u: User) => ({
    clientId: u.tenant,
    params: { appFilters: [{ metricId: 'm-1', values: { tenant: u.tenant } }] },
    permissions: { isEnableDownloadMetrics: false },
  });
  const provider = (extra: Partial<databrain.DataBrainProviderOptions<User>> = {}) =>
    databrain.identityProvider<User>({ apiToken: API_TOKEN, baseUrl: standIn.url, workspaceName: WORKSPACE, claims, now: () => NOW, ...extra } as databrain.DataBrainProviderOptions<User>);

  it('mints a token with the app\'s claims and the requested dashboard; expiry from expiryTime', async () => {
    const seen: unknown[] = [];
    const body: IdentityRequestBody = { vendor: 'databrain', dashboardId: 'dash-9', context: { theme: 'dark' } };
    const answer = await provider({ expiryTime: 600_000, claims: (u, b) => (seen.push(u, b), claims(u)) })({ user, request, body });
    assert.deepEqual(seen, [user, body]);
    assert.deepEqual(standIn.requests[0]?.body, {
      clientId: 'tenant-42',
      workspaceName: WORKSPACE,
      params: { appFilters: [{ metricId: 'm-1', values: { tenant: 'tenant-42' } }], dashboard: { id: 'dash-9' } },
      permissions: { isEnableDownloadMetrics: false },
      expiryTime: 600_000,
    });
    assert.deepEqual(answer, { tokens: { token: standIn.issued.at(-1) }, expiresAt: '2026-11-22T10:10:00.000Z', expiresIn: 600 });
  });

  it('answers null expiry when the token never expires', async () => {
    const answer = await provider()({ user, request, body: { vendor: 'databrain', context: {} } });
    assert.equal(answer.expiresAt, null);
    assert.equal(answer.expiresIn, null);
    assert.deepEqual(Object.keys(answer.tokens), ['token']);
  });

  it('nothing in the request body can set clientId, filters, permissions, datasource or expiry', async () => {
    const attack = {
      vendor: 'databrain',
      dashboardId: 'dash-1',
      clientId: 'other-tenant',
      params: { appFilters: [] },
      permissions: { isEnableManageMetrics: true },
      expiryTime: 1,
      datasourceName: 'other',
      context: { clientId: 'other-tenant', params: { rlsSettings: [] }, appFilters: [], scope: { tags: {} }, expiryTime: 99 },
    } as unknown as IdentityRequestBody;
    await provider({ expiryTime: 60_000 })({ user, request, body: attack });
    await provider({ expiryTime: 60_000 })({ user, request, body: { vendor: 'databrain', dashboardId: 'dash-1', context: {} } });
    assert.equal(standIn.requests.length, 2);
    assert.deepEqual(standIn.requests[0]?.body, standIn.requests[1]?.body);
    assert.deepEqual((standIn.requests[0]?.body as { clientId: string }).clientId, 'tenant-42');
  });

  it('the claims\' dashboard wins over the requested one', async () => {
    const fixed = (u: User) => ({ ...claims(u), params: { dashboard: { id: 'claims-dash' } } });
    await provider({ claims: fixed })({ user, request, body: { vendor: 'databrain', dashboardId: 'other-dash', context: {} } });
    assert.deepEqual((standIn.requests[0]?.body as { params: unknown }).params, { dashboard: { id: 'claims-dash' } });
  });

  it('allowedDashboards (list) refuses other dashboards and requests without one, before calling DataBrain', async () => {
    const restricted = provider({ allowedDashboards: ['dash-1', 'dash-2'] });
    await restricted({ user, request, body: { vendor: 'databrain', dashboardId: 'dash-2', context: {} } });
    assert.equal(standIn.requests.length, 1);
    await rejects(restricted({ user, request, body: { vendor: 'databrain', dashboardId: 'dash-3', context: {} } }), {
      code: 'forbidden',
      message: /"dash-3" is not allowed/,
    });
    await rejects(restricted({ user, request, body: { vendor: 'databrain', context: {} } }), { code: 'bad-request', message: /no dashboardId/ });
    assert.equal(standIn.requests.length, 1);
  });

  it('allowedDashboards (function) decides per user', async () => {
    const calls: unknown[] = [];
    const restricted = provider({ allowedDashboards: async (id, u) => (calls.push([id, u.id]), id.startsWith(`${u.id}-`)) });
    await restricted({ user, request, body: { vendor: 'databrain', dashboardId: 'u-1-sales', context: {} } });
    await rejects(restricted({ user, request, body: { vendor: 'databrain', dashboardId: 'u-2-sales', context: {} } }), { code: 'forbidden' });
    assert.deepEqual(calls, [['u-1-sales', 'u-1'], ['u-2-sales', 'u-1']]);
    assert.equal(standIn.requests.length, 1);
  });

  it('works with API v2 and a data app', async () => {
    const v2 = databrain.identityProvider<User>({ apiToken: API_TOKEN, baseUrl: standIn.url, apiVersion: 'v2', dataAppName: DATA_APP, claims });
    await v2({ user, request, body: { vendor: 'databrain', context: {} } });
    assert.equal(standIn.requests[0]?.path, '/api/v2/guest-token/create');
    assert.equal((standIn.requests[0]?.body as { dataAppName: string }).dataAppName, DATA_APP);
  });

  it('refuses bad claims from the app without calling DataBrain', async () => {
    for (const returned of [undefined, { params: {} }, { clientId: 'c', params: { appFilters: 'x' } }]) {
      await rejects(provider({ claims: () => returned as never })({ user, request, body: { vendor: 'databrain', context: {} } }), { code: 'invalid-input' });
    }
    assert.equal(standIn.requests.length, 0);
  });

  it('refuses a bad configuration when created', () => {
    const make = (options: Record<string, unknown>) => () =>
      databrain.identityProvider({ apiToken: API_TOKEN, workspaceName: WORKSPACE, claims, ...options } as never);
    assert.throws(make({ claims: undefined }), /claims\(user, body\) is required/);
    assert.throws(make({ apiToken: undefined }), /apiToken is required/);
    assert.throws(make({ workspaceName: undefined }), /workspaceName is required/);
    assert.throws(make({ expiryTime: 0 }), /expiryTime must be a positive/);
    assert.throws(make({ allowedDashboards: 'dash-1' }), /allowedDashboards must be/);
    assert.throws(make({ baseUrl: 'not a url' }), /baseUrl must be/);
  });

  it('passes DataBrain\'s refusals through, without the API token', async () => {
    await rejects(provider({ apiToken: `${API_TOKEN}-revoked` })({ user, request, body: { vendor: 'databrain', context: {} } }), {
      code: 'upstream-http',
      vendorCode: 'AUTHENTICATION_ERROR',
    });
  });
});
