// The stand-in of Vizzly's API and query engine (demo/standin-apis/vizzly.ts), which the demo and the
// real-client browser tests put behind Vizzly's published client: it must be as strict as Vizzly about
// tokens (signature, expiry, project) and run the client's queries under the data token's secure filters.
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { createVizzlyStandin, type VizzlyStandin } from '../../demo/standin-apis/vizzly.js';
import { vizzly } from '../../src/server/index.js';
import type { DataClaims } from '../../src/server/vizzly.js';

const PROJECT = 'prj_standin_test';
let now = Date.UTC(2026, 11, 1, 12);
let keys: CryptoKeyPair;
let standin: VizzlyStandin;

async function keyPair(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function tokens(
  data: DataClaims = { dataSetIds: '*', secureFilters: {} },
  privateKey = keys.privateKey,
  projectId = PROJECT,
) {
  const signer = vizzly.createSigner({ privateKey, ttlMinutes: 30, projectId, now: () => now });
  return (await signer.generateTokens({ dashboard: { userReference: 'user-Zoë' }, data })).tokens;
}

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const request = new Request(`http://vizzly.test${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const response = await standin.handle(request, path);
  assert.ok(response, `a route for ${method} ${path}`);
  return { status: response.status, body: await response.json() };
}

const results = (dataAccessToken: string, queries: unknown[]) =>
  call('POST', '/query-engine/api/v1/create-results', {
    queries,
    virtualFields: {},
    identityConfigIntegritySignature: dataAccessToken,
  });

const revenueByRegion = {
  type: 'query',
  dataSetId: 'dts_sales',
  measure: [
    { type: 'field', value: 'region', function: 'none' },
    { type: 'field', value: 'revenue', function: 'sum' },
  ],
  group: [{ index: 0 }],
  filter: [[]],
  order: [{ index: 1, direction: 'desc' }],
  limit: 2,
};

before(async () => {
  keys = await keyPair();
  standin = createVizzlyStandin({ publicKey: keys.publicKey, projectId: PROJECT, now: () => now });
});

describe('Vizzly API stand-in', () => {
  it('grants dashboard access for a token signed with the project key, and serves the dashboard', async () => {
    const { dashboardAccessToken } = await tokens();
    const access = await call('POST', '/api/v2/auth/dashboards/access', { dashboardAccessToken });
    assert.equal(access.status, 200);
    const [permission] = access.body.permissions;
    assert.equal(permission.user_reference, 'user-Zoë');
    assert.equal(permission.scope, 'read_write');
    const dashboards = await call('POST', '/api/v2/multi-get-dashboard', {
      dashboardAccessTokens: [permission.token, 'unknown'],
    });
    assert.equal(dashboards.body.found[0].id, 'dsh_demo_sales');
    assert.deepEqual(dashboards.body.not_found, ['unknown']);
    assert.equal(standin.calls.at(-1)?.claims['userReference'], 'user-Zoë');
  });

  it('refuses another key, another project, an expired or tampered token, and a token that is not a JWT', async () => {
    const good = (await tokens()).dashboardAccessToken;
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const otherKey = (await tokens(undefined, (await keyPair()).privateKey)).dashboardAccessToken;
    const otherProject = (await tokens(undefined, keys.privateKey, 'prj_other')).dashboardAccessToken;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), accessType: 'admin' })).toString('base64url')}.${signature}`;
    for (const dashboardAccessToken of [otherKey, otherProject, tampered, 'not-a-jwt', `${good}.x`]) {
      const answer = await call('POST', '/api/v2/auth/dashboards/access', { dashboardAccessToken });
      assert.equal(answer.status, 401, answer.body.message);
    }
    const later = now;
    now += 31 * 60_000;
    try {
      assert.equal((await call('POST', '/api/v2/auth/dashboards/access', { dashboardAccessToken: good })).status, 401);
    } finally {
      now = later;
    }
  });
});

describe('Vizzly query-engine stand-in', () => {
  it('runs grouped, ordered, limited queries over the rows the secure filters let through', async () => {
    const { dataAccessToken } = await tokens({
      dataSetIds: ['dts_sales'],
      // A nested list: every filter of one inner list must hold.
      secureFilters: {
        dts_sales: [
          [
            { field: 'revenue', op: '>=', value: 400 },
            { field: 'region', op: '!=', value: 'South' },
          ],
        ],
      },
    });
    const resolved = await call('POST', '/query-engine/api/v1/resolve-data-sets', {
      integritySignature: dataAccessToken,
    });
    assert.deepEqual(
      resolved.body.dataSets.map((set: { id: string }) => set.id),
      ['dts_sales'],
    );
    const answer = await results(dataAccessToken!, [revenueByRegion]);
    assert.equal(answer.status, 200);
    // North: Kraków 420 + Malmö 470; East: Zürich 640 + Plzeň 500; West: A Coruña 450; South excluded.
    assert.deepEqual(answer.body, [
      [
        ['East', 1140],
        ['North', 890],
      ],
    ]);
  });

  it('reads a flat secure-filter list as "any of them", and non-ASCII values match exactly', async () => {
    const { dataAccessToken } = await tokens({
      dataSetIds: '*',
      secureFilters: {
        dts_sales: [
          { field: 'city', op: '=', value: 'Zürich' },
          { field: 'city', op: '=', value: 'Łódź' },
        ],
      },
    });
    const total = {
      ...revenueByRegion,
      measure: [{ type: 'field', value: 'revenue', function: 'sum' }],
      group: [],
      order: [],
    };
    assert.deepEqual((await results(dataAccessToken!, [total])).body, [[[930]]]);
  });

  it('refuses unknown operators and fields, data sets the token does not grant, and unsigned tokens', async () => {
    const { dataAccessToken } = await tokens({
      dataSetIds: '*',
      secureFilters: { dts_sales: [{ field: 'revenue', op: '~', value: 1 }] },
    });
    assert.equal((await results(dataAccessToken!, [revenueByRegion])).status, 400, 'unknown operator');
    const plain = (await tokens()).dataAccessToken!;
    const unknownField = { ...revenueByRegion, measure: [{ type: 'field', value: 'secret', function: 'sum' }] };
    assert.equal((await results(plain, [unknownField])).status, 400, 'unknown field');
    const none = (await tokens({ dataSetIds: ['dts_other'], secureFilters: {} })).dataAccessToken!;
    const resolved = await call('POST', '/query-engine/api/v1/resolve-data-sets', { integritySignature: none });
    assert.deepEqual(resolved.body.dataSets, []);
    assert.equal((await results(none, [revenueByRegion])).status, 400, 'a data set the token does not grant');
    assert.equal((await results('eyJ.eyJ.sig', [revenueByRegion])).status, 401);
  });
});
