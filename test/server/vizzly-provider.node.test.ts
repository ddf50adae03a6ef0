import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbedServerError } from '../../src/server/errors.js';
import type { IdentityProvider, IdentityRequestBody } from '../../src/server/types.js';
import * as vizzly from '../../src/server/vizzly.js';
import { identityProvider } from '../../src/server/vizzly/provider.js';
import { createSigner } from '../../src/server/vizzly/signer.js';
import { makeKeys, payloadOf, verifyEs256 } from './vizzly-helpers.js';

interface User {
  id: string;
  tenant: string;
}

const keys = makeKeys();
const NOW = Date.parse('2026-11-22T09:00:00.000Z');
const signer = createSigner({ privateKey: keys.sec1, ttlMinutes: 45, projectId: 'prj_1', now: () => NOW });
const user: User = { id: 'user-7', tenant: 't-42' };

function context(body: Partial<IdentityRequestBody> = {}) {
  const request = new Request('http://127.0.0.1/api/embed/identity', { method: 'POST' });
  return { user, request, body: { vendor: 'vizzly', context: {}, ...body } };
}

describe('vizzly identity provider', () => {
  it('signs what the claims callback returns and reports expiresAt and expiresIn (seconds)', async () => {
    const seen: unknown[] = [];
    const provider: IdentityProvider<User> = identityProvider<User>({
      signer,
      claims: async (u, body, request) => {
        seen.push(u, body.dashboardId, request.method);
        return {
          dashboard: { userReference: u.id, parentDashboardIds: body.dashboardId ? [body.dashboardId] : undefined },
          data: { dataSetIds: '*', secureFilters: { dts_sales: [{ field: 'tenant', op: '=', value: u.tenant }] } },
        };
      },
    });
    const answer = await provider(context({ dashboardId: 'dsh_9' }));
    assert.deepEqual(seen, [user, 'dsh_9', 'POST']);
    assert.deepEqual(Object.keys(answer.tokens), ['dashboardAccessToken', 'dataAccessToken']);
    assert.equal(answer.expiresIn, 45 * 60);
    assert.equal(answer.expiresAt, '2026-11-22T09:45:00.000Z');
    const dashboard = answer.tokens.dashboardAccessToken as string;
    assert.ok(verifyEs256(dashboard, keys.publicKey));
    assert.deepEqual(payloadOf(dashboard), {
      accessType: 'standard',
      projectId: 'prj_1',
      userReference: 'user-7',
      scope: 'read_write',
      parentDashboardIds: ['dsh_9'],
      expires: '2026-11-22T09:45:00.000Z',
    });
    assert.deepEqual(payloadOf(answer.tokens.dataAccessToken as string).secureFilters, { dts_sales: [{ field: 'tenant', op: '=', value: 't-42' }] });
  });

  it('never takes access claims from the request body', async () => {
    const provider = identityProvider<User>({ signer, claims: (u) => ({ dashboard: { userReference: u.id, scope: 'read' } }) });
    const hostile = context({
      context: { userReference: 'admin', accessType: 'admin', scope: 'read_write', dataSetIds: '*', projectId: 'prj_evil' },
      ...({ claims: { dashboard: { userReference: 'admin' } }, accessType: 'admin' } as object),
    });
    const answer = await provider(hostile);
    assert.deepEqual(Object.keys(answer.tokens), ['dashboardAccessToken']);
    assert.deepEqual(payloadOf(answer.tokens.dashboardAccessToken as string), {
      accessType: 'standard',
      projectId: 'prj_1',
      userReference: 'user-7',
      scope: 'read',
      expires: '2026-11-22T09:45:00.000Z',
    });
  });

  it('refuses when the callback throws or returns no dashboard claims', async () => {
    const refused = new Error('not allowed');
    const throwing = identityProvider<User>({ signer, claims: () => { throw refused; } });
    await assert.rejects(throwing(context()), (error) => error === refused);
    for (const bad of [undefined, null, {}, { data: { dataSetIds: '*' } }]) {
      const provider = identityProvider<User>({ signer, claims: () => bad as never });
      await assert.rejects(provider(context()), (error: unknown) => {
        assert.ok(error instanceof EmbedServerError);
        assert.equal(error.code, 'invalid-input');
        assert.match(error.message, /must return \{dashboard/);
        return true;
      });
    }
    const wrongClaims = identityProvider<User>({ signer, claims: () => ({ dashboard: { userReference: '' } }) });
    await assert.rejects(wrongClaims(context()), /userReference must be a non-empty string/);
  });

  it('checks its options', () => {
    assert.throws(() => identityProvider({ signer, claims: undefined as never }), /claims must be a function/);
    assert.throws(() => identityProvider({ signer: {} as never, claims: () => ({ dashboard: { userReference: 'u' } }) }), /signer must come from vizzly.createSigner/);
  });
});

describe('vizzly namespace module', () => {
  it('exports the public API and nothing internal', async () => {
    assert.deepEqual(Object.keys(vizzly).sort(), ['DEFAULT_VIZZLY_API', 'createSigner', 'grantPermissions', 'identityProvider', 'revokePermissions']);
    const s = vizzly.createSigner({ privateKey: keys.pkcs8, ttlMinutes: 10, projectId: 'prj_1', now: () => NOW });
    const { tokens } = await s.generateTokens({ dashboard: { userReference: 'u' } });
    assert.ok(verifyEs256(tokens.dashboardAccessToken, keys.publicKey));
  });
});
