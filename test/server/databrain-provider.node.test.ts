import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as databrain from '../../src/server/databrain.js';
import type { IdentityRequestBody } from '../../src/server/types.js';
import { API_TOKEN, DATA_APP, NOW, rejects, useDataBrainStandIn, WORKSPACE } from './databrain-standin.js';

const { standIn, base } = useDataBrainStandIn();

describe('databrain.createGuestToken: validation (nothing is sent)', () => {
  const bad: [what: string, options: Record<string, unknown>, says: RegExp][] = [
    ['no apiToken', { apiToken: '' }, /apiToken is required/],
    ['no clientId', { clientId: undefined }, /clientId is required.*"None"/],
    ['an empty clientId', { clientId: ' ' }, /clientId is required/],
    ['an unknown apiVersion', { apiVersion: 'v3' }, /apiVersion must be "v1" or "v2"/],
    ['v1 without workspaceName', { workspaceName: undefined }, /workspaceName is required with apiVersion "v1"/],
    ['v1 with dataAppName', { dataAppName: 'app' }, /dataAppName is for apiVersion "v2"/],
    [
      'v2 without dataAppName',
      { apiVersion: 'v2', workspaceName: undefined },
      /dataAppName is required with apiVersion "v2"/,
    ],
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
    [
      'appFilters entry without metricId',
      { params: { appFilters: [{ values: {} }] } },
      /params\.appFilters\[0\]\.metricId must be a non-empty string/,
    ],
    [
      'appFilters entry without values',
      { params: { appFilters: [{ metricId: 'm' }] } },
      /params\.appFilters\[0\]\.values must be an object/,
    ],
    [
      'dashboardAppFilters entry as a string',
      { params: { dashboardAppFilters: ['d'] } },
      /params\.dashboardAppFilters\[0\] must be an object/,
    ],
    [
      'dashboardAppFilters without dashboardId',
      { params: { dashboardAppFilters: [{ values: {} }] } },
      /dashboardAppFilters\[0\]\.dashboardId/,
    ],
    [
      'dashboardAppFilters isShowOnUrl as a string',
      { params: { dashboardAppFilters: [{ dashboardId: 'd', values: {}, isShowOnUrl: 'no' }] } },
      /isShowOnUrl must be a boolean/,
    ],
    ['rlsSettings as an object', { params: { rlsSettings: {} } }, /params\.rlsSettings must be an array/],
    ['rlsSettings entry as a string', { params: { rlsSettings: ['x'] } }, /params\.rlsSettings\[0\] must be an object/],
    [
      'hideDashboardFilters with a number',
      { params: { hideDashboardFilters: ['a', 1] } },
      /hideDashboardFilters must be an array of dashboard filter names/,
    ],
    ['userIdentifier as a number', { params: { userIdentifier: 7 } }, /params\.userIdentifier must be a string/],
    ['permissions as an array', { permissions: [true] }, /permissions must be an object of boolean flags/],
    [
      'a permission as a string',
      { permissions: { isEnableManageMetrics: 'false' } },
      /permissions\.isEnableManageMetrics must be true or false/,
    ],
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
    databrain.identityProvider<User>({
      apiToken: API_TOKEN,
      baseUrl: standIn.url,
      workspaceName: WORKSPACE,
      claims,
      now: () => NOW,
      ...extra,
    } as databrain.DataBrainProviderOptions<User>);

  it("mints a token with the app's claims and the requested dashboard; expiry from expiryTime", async () => {
    const seen: unknown[] = [];
    const body: IdentityRequestBody = { vendor: 'databrain', dashboardId: 'dash-9', context: { theme: 'dark' } };
    const answer = await provider({ expiryTime: 600_000, claims: (u, b) => (seen.push(u, b), claims(u)) })({
      user,
      request,
      body,
    });
    assert.deepEqual(seen, [user, body]);
    assert.deepEqual(standIn.requests[0]?.body, {
      clientId: 'tenant-42',
      workspaceName: WORKSPACE,
      params: { appFilters: [{ metricId: 'm-1', values: { tenant: 'tenant-42' } }], dashboard: { id: 'dash-9' } },
      permissions: { isEnableDownloadMetrics: false },
      expiryTime: 600_000,
    });
    assert.deepEqual(answer, {
      tokens: { token: standIn.issued.at(-1) },
      expiresAt: '2026-11-22T10:10:00.000Z',
      expiresIn: 600,
    });
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
      context: {
        clientId: 'other-tenant',
        params: { rlsSettings: [] },
        appFilters: [],
        scope: { tags: {} },
        expiryTime: 99,
      },
    } as unknown as IdentityRequestBody;
    await provider({ expiryTime: 60_000 })({ user, request, body: attack });
    await provider({ expiryTime: 60_000 })({
      user,
      request,
      body: { vendor: 'databrain', dashboardId: 'dash-1', context: {} },
    });
    assert.equal(standIn.requests.length, 2);
    assert.deepEqual(standIn.requests[0]?.body, standIn.requests[1]?.body);
    assert.deepEqual((standIn.requests[0]?.body as { clientId: string }).clientId, 'tenant-42');
  });

  it("the claims' dashboard wins over the requested one", async () => {
    const fixed = (u: User) => ({ ...claims(u), params: { dashboard: { id: 'claims-dash' } } });
    await provider({ claims: fixed })({
      user,
      request,
      body: { vendor: 'databrain', dashboardId: 'other-dash', context: {} },
    });
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
    await rejects(restricted({ user, request, body: { vendor: 'databrain', context: {} } }), {
      code: 'bad-request',
      message: /no dashboardId/,
    });
    assert.equal(standIn.requests.length, 1);
  });

  it('allowedDashboards (function) decides per user', async () => {
    const calls: unknown[] = [];
    const restricted = provider({
      allowedDashboards: async (id, u) => (calls.push([id, u.id]), id.startsWith(`${u.id}-`)),
    });
    await restricted({ user, request, body: { vendor: 'databrain', dashboardId: 'u-1-sales', context: {} } });
    await rejects(restricted({ user, request, body: { vendor: 'databrain', dashboardId: 'u-2-sales', context: {} } }), {
      code: 'forbidden',
    });
    assert.deepEqual(calls, [
      ['u-1-sales', 'u-1'],
      ['u-2-sales', 'u-1'],
    ]);
    assert.equal(standIn.requests.length, 1);
  });

  it('works with API v2 and a data app', async () => {
    const v2 = databrain.identityProvider<User>({
      apiToken: API_TOKEN,
      baseUrl: standIn.url,
      apiVersion: 'v2',
      dataAppName: DATA_APP,
      claims,
    });
    await v2({ user, request, body: { vendor: 'databrain', context: {} } });
    assert.equal(standIn.requests[0]?.path, '/api/v2/guest-token/create');
    assert.equal((standIn.requests[0]?.body as { dataAppName: string }).dataAppName, DATA_APP);
  });

  it('refuses bad claims from the app without calling DataBrain', async () => {
    for (const returned of [undefined, { params: {} }, { clientId: 'c', params: { appFilters: 'x' } }]) {
      await rejects(
        provider({ claims: () => returned as never })({ user, request, body: { vendor: 'databrain', context: {} } }),
        { code: 'invalid-input' },
      );
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

  it("passes DataBrain's refusals through, without the API token", async () => {
    await rejects(
      provider({ apiToken: `${API_TOKEN}-revoked` })({ user, request, body: { vendor: 'databrain', context: {} } }),
      {
        code: 'upstream-http',
        vendorCode: 'AUTHENTICATION_ERROR',
      },
    );
  });
});
