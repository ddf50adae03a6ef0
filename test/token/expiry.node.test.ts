import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExpiry } from '../../src/token/expiry.js';
import type { IdentityResponse } from '../../src/token/types.js';
import { makeJwt } from '../helpers/jwt.js';

const NOW = Date.UTC(2026, 10, 25, 12);
const HOUR = 3_600_000;
const DEFAULT = 300_000;

function response(partial: Partial<IdentityResponse>): IdentityResponse {
  return { vendor: 'test', tokens: { token: 'opaque' }, receivedAt: NOW, ...partial };
}

test('expiresIn counts from the server Date, else from when the request was sent, never from receipt', () => {
  const fromDate = resolveExpiry(response({ expiresIn: 600, serverDate: NOW + HOUR }), DEFAULT);
  assert.deepEqual(fromDate, { expiresAt: NOW + HOUR + 600_000, lifetimeMs: 600_000, source: 'expiresIn' });
  // A response that took 15 minutes to arrive (a laptop asleep mid-download) has 15 minutes less.
  const delayed = resolveExpiry(response({ expiresIn: 600, sentAt: NOW - 900_000 }), DEFAULT);
  assert.equal(delayed.expiresAt, NOW - 300_000);
});

test('expiresIn null and expiresAt null mean never', () => {
  assert.equal(resolveExpiry(response({ expiresIn: null }), DEFAULT).expiresAt, null);
  assert.equal(resolveExpiry(response({ expiresAt: null }), DEFAULT).source, 'never');
});

test('expiresAt stays on the server clock; the lifetime is what was left when the server answered', () => {
  const serverNow = NOW - HOUR;
  const expiry = resolveExpiry(
    response({ expiresAt: new Date(serverNow + 600_000).toISOString(), serverDate: serverNow }),
    DEFAULT,
  );
  assert.deepEqual(expiry, { expiresAt: serverNow + 600_000, lifetimeMs: 600_000, source: 'expiresAt' });
});

test('JWT exp with iat and a Date header: exp on the server clock, whatever the client clock says', () => {
  for (const skew of [HOUR, -HOUR]) {
    const serverNow = NOW + skew;
    const token = makeJwt({ iat: serverNow / 1000, exp: serverNow / 1000 + 900 });
    const expiry = resolveExpiry(response({ tokens: { token }, serverDate: serverNow }), DEFAULT);
    assert.deepEqual(expiry, { expiresAt: serverNow + 900_000, lifetimeMs: 900_000, source: 'jwt' }, `skew ${skew}`);
  }
});

test('JWT cached by the server: exp catches that less life is left than iat suggests', () => {
  const token = makeJwt({ iat: NOW / 1000 - 600, exp: NOW / 1000 + 300 });
  const expiry = resolveExpiry(response({ tokens: { token }, serverDate: NOW }), DEFAULT);
  assert.equal(expiry.expiresAt, NOW + 300_000);
  assert.equal(expiry.lifetimeMs, 900_000);
});

test('no Date header: the client clock stands in, so an already-expired JWT with iat is expired', () => {
  // Issued 10 minutes ago for 5 minutes; the client's clock is right.
  const token = makeJwt({ iat: NOW / 1000 - 600, exp: NOW / 1000 - 300 });
  const expiry = resolveExpiry(response({ tokens: { token }, sentAt: NOW }), DEFAULT);
  assert.ok(expiry.expiresAt! <= NOW - 300_000, `expires at ${expiry.expiresAt! - NOW} ms from now`);
});

test('no Date header, client clock slow: the lifetime from iat caps a far exp', () => {
  // The client is an hour slow: exp looks an hour and 5 minutes away, but the token lives 5 minutes.
  const serverNow = NOW + HOUR;
  const token = makeJwt({ iat: serverNow / 1000, exp: serverNow / 1000 + 300 });
  const expiry = resolveExpiry(response({ tokens: { token }, sentAt: NOW }), DEFAULT);
  assert.equal(expiry.expiresAt, NOW + 300_000);
});

test('JWT exp without iat stays on the server clock', () => {
  const serverNow = NOW + HOUR;
  const token = makeJwt({ exp: serverNow / 1000 + 120 });
  const expiry = resolveExpiry(response({ tokens: { token }, serverDate: serverNow }), DEFAULT);
  assert.deepEqual(expiry, { expiresAt: serverNow + 120_000, lifetimeMs: 120_000, source: 'jwt' });
});

test("Vizzly's ISO expires claim", () => {
  const token = makeJwt({ userReference: 'u1', expires: new Date(NOW + 1_800_000).toISOString() });
  const expiry = resolveExpiry(response({ tokens: { dashboardAccessToken: token } }), DEFAULT);
  assert.equal(expiry.expiresAt, NOW + 1_800_000);
  assert.equal(expiry.source, 'vizzly-expires');
});

test('expires_in and *_ttl fields (Looker)', () => {
  const expiry = resolveExpiry(
    response({ tokens: { api_token: 'a', api_token_ttl: 600, navigation_token: 'n', navigation_token_ttl: 540 } }),
    DEFAULT,
  );
  assert.equal(expiry.expiresAt, NOW + 540_000);
  assert.equal(expiry.source, 'ttl');
  assert.equal(
    resolveExpiry(response({ tokens: { access_token: 'x', expires_in: 3600 } }), DEFAULT).expiresAt,
    NOW + HOUR,
  );
});

test('the earliest expiry of several tokens governs', () => {
  const dashboard = makeJwt({ expires: new Date(NOW + 3_600_000).toISOString() });
  const data = makeJwt({ expires: new Date(NOW + 900_000).toISOString() });
  const expiry = resolveExpiry(
    response({ tokens: { dashboardAccessToken: dashboard, dataAccessToken: data } }),
    DEFAULT,
  );
  assert.equal(expiry.expiresAt, NOW + 900_000);
});

test('opaque tokens get the configured default lifetime', () => {
  const expiry = resolveExpiry(response({ tokens: { token: '3f2a9c1e-uuid-like' } }), 120_000);
  assert.deepEqual(expiry, { expiresAt: NOW + 120_000, lifetimeMs: 120_000, source: 'default' });
});

test('a JWT-shaped token that cannot be decoded is a retriable malformed-token error', () => {
  assert.throws(() => resolveExpiry(response({ tokens: { token: 'abc.def.ghi' } }), DEFAULT), {
    name: 'EmbedError',
    code: 'malformed-token',
    retriable: true,
  });
});

test('a Vizzly expires claim that is not a date is a malformed-token error', () => {
  const token = makeJwt({ expires: 'tomorrow-ish' });
  assert.throws(() => resolveExpiry(response({ tokens: { token } }), DEFAULT), { code: 'malformed-token' });
});
