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

test('expiresIn counts from receipt, whatever the clocks say', () => {
  const expiry = resolveExpiry(response({ expiresIn: 600, serverDate: NOW + HOUR }), DEFAULT);
  assert.deepEqual(expiry, { expiresAt: NOW + 600_000, lifetimeMs: 600_000, source: 'expiresIn' });
});

test('expiresIn null and expiresAt null mean never', () => {
  assert.equal(resolveExpiry(response({ expiresIn: null }), DEFAULT).expiresAt, null);
  assert.equal(resolveExpiry(response({ expiresAt: null }), DEFAULT).source, 'never');
});

test('expiresAt is moved onto the client clock using the Date header', () => {
  // Server clock is one hour behind the client: its "12:10" is the client's "13:10".
  const serverNow = NOW - HOUR;
  const expiry = resolveExpiry(
    response({ expiresAt: new Date(serverNow + 600_000).toISOString(), serverDate: serverNow }),
    DEFAULT,
  );
  // The Date header has whole seconds: we assume the end of that second, so we err early.
  assert.equal(expiry.expiresAt, NOW + 600_000 - 999);
  assert.equal(expiry.source, 'expiresAt');
});

test('JWT exp with iat: lifetime from iat, so a client clock an hour off does not matter', () => {
  for (const skew of [HOUR, -HOUR]) {
    const serverNowSec = (NOW + skew) / 1000;
    const token = makeJwt({ iat: serverNowSec, exp: serverNowSec + 900 });
    const expiry = resolveExpiry(response({ tokens: { token } }), DEFAULT);
    assert.equal(expiry.expiresAt, NOW + 900_000, `skew ${skew}`);
    assert.equal(expiry.lifetimeMs, 900_000);
    assert.equal(expiry.source, 'jwt');
  }
});

test('JWT cached by the server: the Date header catches that less life is left than iat suggests', () => {
  const serverNowSec = NOW / 1000;
  const token = makeJwt({ iat: serverNowSec - 600, exp: serverNowSec + 300 });
  const expiry = resolveExpiry(response({ tokens: { token }, serverDate: NOW }), DEFAULT);
  assert.equal(expiry.expiresAt, NOW + 300_000 - 999);
});

test('JWT exp without iat uses the Date header offset', () => {
  const serverNow = NOW + HOUR;
  const token = makeJwt({ exp: serverNow / 1000 + 120 });
  const expiry = resolveExpiry(response({ tokens: { token }, serverDate: serverNow }), DEFAULT);
  assert.equal(expiry.expiresAt, NOW + 120_000 - 999);
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

test('a JWT-shaped token that cannot be decoded is a malformed-token error', () => {
  assert.throws(() => resolveExpiry(response({ tokens: { token: 'abc.def.ghi' } }), DEFAULT), {
    name: 'EmbedError',
    code: 'malformed-token',
  });
});

test('a Vizzly expires claim that is not a date is a malformed-token error', () => {
  const token = makeJwt({ expires: 'tomorrow-ish' });
  assert.throws(() => resolveExpiry(response({ tokens: { token } }), DEFAULT), { code: 'malformed-token' });
});
