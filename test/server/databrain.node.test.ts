import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as databrain from '../../src/server/databrain.js';
import { API_TOKEN, DATA_APP, rejects, useDataBrainStandIn, WORKSPACE } from './databrain-standin.js';

const { standIn, base } = useDataBrainStandIn();

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
    await databrain.createGuestToken({
      ...base(),
      clientId: 'c',
      params: { userIdentifier: undefined },
      permissions: {},
      datasourceName: undefined,
    });
    assert.deepEqual(standIn.requests[0]?.body, { clientId: 'c', workspaceName: WORKSPACE });
  });

  it('v2 posts dataAppName (not workspaceName) to /api/v2/guest-token/create', async () => {
    await databrain.createGuestToken({
      apiToken: API_TOKEN,
      baseUrl: standIn.url,
      apiVersion: 'v2',
      dataAppName: DATA_APP,
      clientId: 'c',
    });
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
    [
      'APP_FILTER_PARAM_ERROR',
      'APP_FILTER_PARAM_ERROR',
      400,
      /Check params\.appFilters and params\.dashboardAppFilters/,
      false,
    ],
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
    await rejects(databrain.createGuestToken({ ...base(), workspaceName: 'nope', clientId: 'c' }), {
      code: 'upstream-http',
      vendorCode: 'WORKSPACE_ID_ERROR',
    });
  });

  it('an unknown code is passed through; a bare 403 still points at the API token', async () => {
    standIn.override = () => ({ status: 400, body: { error: { code: 'SOMETHING_NEW', message: 'new' } } });
    await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), {
      code: 'upstream-http',
      vendorCode: 'SOMETHING_NEW',
      message: /SOMETHING_NEW.*new/,
    });
    standIn.override = () => ({ status: 403, raw: 'Forbidden' });
    await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), {
      code: 'upstream-http',
      status: 403,
      vendorCode: undefined,
      message: /check apiToken/,
    });
  });

  it('never repeats the API token, even when DataBrain echoes it', async () => {
    standIn.override = (request) => ({
      status: 401,
      body: { error: { code: 'AUTHENTICATION_ERR', message: `bad header "${request.headers.authorization}"` } },
    });
    const error = await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), {
      code: 'upstream-http',
      vendorCode: 'AUTHENTICATION_ERROR',
    });
    assert.match(error.vendorMessage ?? '', /Bearer \[redacted\]/);
    standIn.override = (request) => ({
      status: 200,
      body: { error: { code: 'X', message: JSON.stringify(request.headers) } },
    });
    await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), { code: 'upstream-http', vendorCode: 'X' });
  });

  it('a 2xx answer without a token is upstream-malformed', async () => {
    for (const answer of [
      { status: 200, body: {} },
      { status: 200, body: { token: 5 } },
      { status: 200, raw: 'ok' },
      { status: 204 },
    ]) {
      standIn.override = () => answer;
      await rejects(databrain.createGuestToken({ ...base(), clientId: 'c' }), {
        code: 'upstream-malformed',
        message: /without a guest token/,
      });
    }
  });

  it('an unreachable DataBrain is upstream-network; a silent one upstream-timeout', async () => {
    await rejects(databrain.createGuestToken({ ...base(), baseUrl: 'http://127.0.0.1:1', clientId: 'c' }), {
      code: 'upstream-network',
    });
    standIn.override = () => 'hang';
    const error = await rejects(databrain.createGuestToken({ ...base(), clientId: 'c', timeoutMs: 50 }), {
      code: 'upstream-timeout',
    });
    assert.equal(error.retriable, true);
  });
});
