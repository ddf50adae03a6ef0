import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbedServerError } from '../../src/server/errors.js';
import { createSigner, type SignerOptions } from '../../src/server/vizzly/signer.js';
import { decodeSegment, makeKeys, payloadOf, verifyEs256 } from './vizzly-helpers.js';

const keys = makeKeys();
const NOW = Date.parse('2026-11-22T09:00:00.000Z');
const IN_AN_HOUR = '2026-11-22T10:00:00.000Z';

function signer(extra: Partial<SignerOptions> = {}) {
  return createSigner({ privateKey: keys.sec1, ttlMinutes: 60, projectId: 'prj_1', now: () => NOW, ...extra });
}

/** Asserts the promise (or call) fails with invalid-input and a message matching `pattern`. */
async function rejectsInput(fn: () => unknown, pattern: RegExp): Promise<void> {
  await assert.rejects(
    async () => fn(),
    (error: unknown) => {
      assert.ok(error instanceof EmbedServerError);
      assert.equal(error.code, 'invalid-input');
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('vizzly dashboard access token', () => {
  it('has the ES256 JWT header and no registered claims', async () => {
    const token = await signer().signDashboardAccessToken({ userReference: 'u1' });
    const [header] = token.split('.') as [string];
    assert.deepEqual(decodeSegment(header), { alg: 'ES256', typ: 'JWT' });
    const payload = payloadOf(token);
    for (const registered of ['exp', 'iat', 'nbf', 'iss', 'sub']) assert.ok(!(registered in payload));
    assert.ok(verifyEs256(token, keys.publicKey));
  });

  it('current form with defaults: exactly accessType, projectId, userReference, scope, expires', async () => {
    const payload = payloadOf(await signer().signDashboardAccessToken({ userReference: 'u1' }));
    assert.deepEqual(payload, {
      accessType: 'standard',
      projectId: 'prj_1',
      userReference: 'u1',
      scope: 'read_write',
      expires: IN_AN_HOUR,
    });
  });

  it('current form with everything given, parentDashboardIds included', async () => {
    const claims = {
      accessType: 'admin',
      userReference: 'u2',
      scope: 'read',
      projectId: 'prj_other',
      parentDashboardIds: ['dsh_a', 'dsh_b'],
    } as const;
    const payload = payloadOf(
      await signer().signDashboardAccessToken({ ...claims, parentDashboardIds: [...claims.parentDashboardIds] }),
    );
    assert.deepEqual(payload, { ...claims, expires: IN_AN_HOUR });
  });

  it('legacy form: exactly organisationId + dashboardId, no projectId even when the signer has one', async () => {
    const payload = payloadOf(
      await signer().signDashboardAccessToken({
        organisationId: 'org_1',
        dashboardId: 'dsh_1',
        userReference: 'u3',
        accessType: 'admin',
      }),
    );
    assert.deepEqual(payload, {
      accessType: 'admin',
      organisationId: 'org_1',
      dashboardId: 'dsh_1',
      userReference: 'u3',
      scope: 'read_write',
      expires: IN_AN_HOUR,
    });
  });

  it('rejects wrong claims with messages that say what to fix', async () => {
    const s = signer();
    await rejectsInput(
      () => s.signDashboardAccessToken({ userReference: '' }),
      /userReference must be a non-empty string/,
    );
    await rejectsInput(
      () => s.signDashboardAccessToken({ userReference: 'u', scope: 'write' as never }),
      /scope must be "read_write" or "read"/,
    );
    await rejectsInput(
      () => s.signDashboardAccessToken({ userReference: 'u', accessType: 'root' as never }),
      /accessType must be "standard" or "admin"/,
    );
    await rejectsInput(
      () => s.signDashboardAccessToken({ userReference: 'u', userRef: 'x' } as never),
      /unknown key "userRef"/,
    );
    await rejectsInput(
      () => s.signDashboardAccessToken({ userReference: 'u', parentDashboardIds: 'dsh_1' as never }),
      /parentDashboardIds must be an array/,
    );
    await rejectsInput(
      () =>
        s.signDashboardAccessToken({
          userReference: 'u',
          organisationId: 'org_1',
          dashboardId: 'dsh_1',
          projectId: 'prj_1',
        } as never),
      /mix the legacy form/,
    );
    await rejectsInput(
      () => s.signDashboardAccessToken({ userReference: 'u', organisationId: 'org_1' } as never),
      /dashboardId must be a non-empty string/,
    );
    await rejectsInput(
      () => signer({ projectId: undefined }).signDashboardAccessToken({ userReference: 'u' }),
      /need a projectId: pass projectId to createSigner/,
    );
    await rejectsInput(() => s.signDashboardAccessToken(null as never), /must be an object/);
  });
});

describe('vizzly data access token', () => {
  it('defaults secureFilters and parameters to {} and carries the configured projectId', async () => {
    const payload = payloadOf(await signer().signDataAccessToken({ dataSetIds: '*' }));
    assert.deepEqual(payload, {
      projectId: 'prj_1',
      dataSetIds: '*',
      secureFilters: {},
      parameters: {},
      expires: IN_AN_HOUR,
    });
  });

  it('carries exactly the given data sets, filters (flat and nested) and parameters; no projectId when none is set', async () => {
    const claims = {
      dataSetIds: ['dts_a', 'dts_b'],
      secureFilters: {
        dts_a: [{ field: 'tenant', op: '=', value: 't1' }],
        dts_b: [
          [
            { field: 'amount', op: '>=', value: 10 },
            { field: 'region', op: 'is_one_of', value: ['eu', 'us'] },
          ],
          [{ field: 'owner', op: '=', value: null }],
        ],
      },
      parameters: { currency: 'EUR', limits: [1, 2] },
    };
    const token = await signer({ projectId: undefined }).signDataAccessToken(claims);
    assert.deepEqual(payloadOf(token), { ...claims, expires: IN_AN_HOUR });
    assert.ok(verifyEs256(token, keys.publicKey));
  });

  it('rejects wrong data claims with messages that say what to fix', async () => {
    const s = signer();
    await rejectsInput(() => s.signDataAccessToken({} as never), /dataSetIds is required/);
    await rejectsInput(
      () => s.signDataAccessToken({ dataSetIds: 'all' as never }),
      /dataSetIds \("\*" or a list\) must be an array/,
    );
    await rejectsInput(
      () => s.signDataAccessToken({ dataSetIds: ['dts_a', ''] }),
      /dataSetIds .*\[1\] must be a non-empty string/,
    );
    const filter = (f: unknown) => s.signDataAccessToken({ dataSetIds: '*', secureFilters: { dts_a: [f] } as never });
    await rejectsInput(
      () => filter({ field: 'a', value: 1 }),
      /secureFilters\["dts_a"\]\[0\]\.op must be a non-empty string/,
    );
    await rejectsInput(() => filter({ field: 'a', op: '=' }), /\.value is missing/);
    await rejectsInput(() => filter({ field: 'a', op: '=', value: Number.NaN }), /must be a finite number/);
    await rejectsInput(() => filter({ field: 'a', op: '=', value: new Date() }), /toISOString/);
    await rejectsInput(() => filter({ field: 'a', op: '=', value: 1, extra: true }), /unknown key "extra"/);
    await rejectsInput(
      () =>
        s.signDataAccessToken({
          dataSetIds: '*',
          secureFilters: { d: [{ field: 'a', op: '=', value: 1 }, [{ field: 'b', op: '=', value: 2 }]] } as never,
        }),
      /mixes filters and filter groups/,
    );
    await rejectsInput(
      () => s.signDataAccessToken({ dataSetIds: '*', secureFilters: [] as never }),
      /secureFilters must be an object keyed by data set id/,
    );
    await rejectsInput(
      () => s.signDataAccessToken({ dataSetIds: '*', parameters: { p: () => 1 } as never }),
      /parameters\["p"\] must be a JSON value/,
    );
  });
});

describe('vizzly query-engine access token', () => {
  it('carries the two named flags (not positional), projectId and expires', async () => {
    const s = signer();
    assert.deepEqual(
      payloadOf(await s.signQueryEngineAccessToken({ allowDataPreviewAccess: true, allowDatabaseSchemaAccess: false })),
      {
        projectId: 'prj_1',
        allowDataPreviewAccess: true,
        allowDatabaseSchemaAccess: false,
        expires: IN_AN_HOUR,
      },
    );
    assert.deepEqual(
      payloadOf(await signer({ projectId: undefined }).signQueryEngineAccessToken({ allowDatabaseSchemaAccess: true })),
      {
        allowDataPreviewAccess: false,
        allowDatabaseSchemaAccess: true,
        expires: IN_AN_HOUR,
      },
    );
    await rejectsInput(
      () => s.signQueryEngineAccessToken({ allowDataPreviewAccess: 'yes' as never }),
      /allowDataPreviewAccess must be true or false/,
    );
  });
});

describe('vizzly expiry and generateTokens', () => {
  it('expires ttlMinutes MINUTES after now()', async () => {
    let now = NOW;
    const s = signer({ ttlMinutes: 90, now: () => now });
    assert.equal(
      payloadOf(await s.signDashboardAccessToken({ userReference: 'u' })).expires,
      '2026-11-22T10:30:00.000Z',
    );
    now += 1_000;
    assert.equal(payloadOf(await s.signDataAccessToken({ dataSetIds: '*' })).expires, '2026-11-22T10:30:01.000Z');
    const half = signer({ ttlMinutes: 0.5 });
    assert.equal(payloadOf(await half.signQueryEngineAccessToken({})).expires, '2026-11-22T09:00:30.000Z');
  });

  it('rejects a bad ttlMinutes, projectId or option at createSigner()', async () => {
    for (const ttlMinutes of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, '60', 10_000_000]) {
      await rejectsInput(
        () => signer({ ttlMinutes: ttlMinutes as number }),
        /ttlMinutes must be a positive number of MINUTES/,
      );
    }
    await rejectsInput(() => signer({ projectId: '' }), /projectId must be a non-empty string/);
    await rejectsInput(
      () => createSigner({ privateKey: keys.sec1, ttlMinutes: 60, ttlSeconds: 5 } as never),
      /unknown key "ttlSeconds"/,
    );
  });

  it('returns only the dashboard token when only dashboard claims are given (no null or empty keys)', async () => {
    const result = await signer().generateTokens({ dashboard: { userReference: 'u' } });
    assert.deepEqual(Object.keys(result.tokens), ['dashboardAccessToken']);
    assert.equal(result.expiresAt, IN_AN_HOUR);
  });

  it('signs all three tokens with one shared expiry, each verifiable', async () => {
    let calls = 0;
    const s = signer({ now: () => NOW + 1_000 * calls++ });
    const { tokens, expiresAt } = await s.generateTokens({
      dashboard: { userReference: 'u' },
      data: { dataSetIds: ['dts_1'] },
      queryEngine: { allowDataPreviewAccess: true, allowDatabaseSchemaAccess: true },
    });
    assert.deepEqual(Object.keys(tokens).sort(), ['dashboardAccessToken', 'dataAccessToken', 'queryEngineAccessToken']);
    assert.equal(calls, 1);
    for (const token of Object.values(tokens)) {
      assert.ok(verifyEs256(token, keys.publicKey));
      assert.equal(payloadOf(token).expires, expiresAt);
    }
    assert.deepEqual(payloadOf(tokens.dataAccessToken!).dataSetIds, ['dts_1']);
    assert.equal(payloadOf(tokens.queryEngineAccessToken!).allowDatabaseSchemaAccess, true);
  });

  it('fails as a whole when any claim set is wrong', async () => {
    const s = signer();
    await rejectsInput(
      () => s.generateTokens({ dashboard: { userReference: 'u' }, data: { dataSetIds: 5 as never } }),
      /dataSetIds/,
    );
    await rejectsInput(() => s.generateTokens({} as never), /dashboard claims are required/);
    await rejectsInput(
      () => s.generateTokens({ dashboard: { userReference: 'u' }, dataset: {} } as never),
      /unknown key "dataset"/,
    );
  });
});
