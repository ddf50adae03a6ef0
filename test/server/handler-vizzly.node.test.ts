// The handler end to end with the real Vizzly provider: the token's claims come from the app's
// callback for the authenticated user, never from what the page put in the body.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIdentityHandler } from '../../src/server/handler.js';
import * as vizzly from '../../src/server/vizzly.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('createIdentityHandler + vizzly.identityProvider', () => {
  it('signs tokens for the authenticated user; body fields do not reach the claims', async () => {
    const { privateKey, publicKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const signer = vizzly.createSigner({ privateKey, ttlMinutes: 60, projectId: 'prj_test', now: () => NOW });
    const handler = createIdentityHandler<{ id: string }>({
      authenticate: () => ({ id: 'user-42' }),
      vendors: {
        vizzly: vizzly.identityProvider<{ id: string }>({
          signer,
          claims: (user) => ({ dashboard: { userReference: user.id, scope: 'read', accessType: 'standard' } }),
        }),
      },
      now: () => NOW + 1_500,
      onError: () => undefined,
    });
    const response = await handler(
      new Request('http://app.test/identity', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          vendor: 'vizzly',
          context: { userReference: 'admin', scope: 'read_write', accessType: 'admin', projectId: 'prj_other' },
        }),
      }),
    );
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      vendor: string;
      tokens: { dashboardAccessToken: string };
      expiresIn: number;
      expiresAt: string;
    };
    assert.equal(body.vendor, 'vizzly');
    assert.equal(body.expiresAt, '2026-03-01T13:00:00.000Z');
    assert.equal(body.expiresIn, 3600, "the provider's own expiresIn is kept");
    const [header, payload, signature] = body.tokens.dashboardAccessToken.split('.') as [string, string, string];
    const valid = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      publicKey,
      Buffer.from(signature, 'base64url'),
      new TextEncoder().encode(`${header}.${payload}`),
    );
    assert.ok(valid, 'the token verifies with the public key');
    const claims = decodePart(payload);
    assert.equal(claims.userReference, 'user-42');
    assert.equal(claims.scope, 'read');
    assert.equal(claims.accessType, 'standard');
    assert.equal(claims.projectId, 'prj_test');
  });
});
