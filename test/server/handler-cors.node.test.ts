import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIdentityHandler } from '../../src/server/handler.js';

const URL_ = 'https://api.example.com/api/embed/identity';
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
];

function handler(allowedOrigins?: string[], allowedHeaders?: string[]) {
  return createIdentityHandler({
    authenticate: () => ({ id: 'u' }),
    vendors: { stub: async () => ({ tokens: { t: 'x' }, expiresIn: 60 }) },
    allowedOrigins,
    allowedHeaders,
    onError: () => undefined,
  });
}

function preflight(origin: string | null, requestHeaders = 'content-type'): Request {
  const headers: Record<string, string> = {
    'access-control-request-method': 'POST',
    'access-control-request-headers': requestHeaders,
  };
  if (origin) headers.origin = origin;
  return new Request(URL_, { method: 'OPTIONS', headers });
}

function post(origin: string | null): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (origin) headers.origin = origin;
  return new Request(URL_, { method: 'POST', headers, body: '{"vendor":"stub"}' });
}

function corsHeadersOf(response: Response): string[] {
  return CORS_HEADERS.filter((name) => response.headers.has(name));
}

describe('CORS', () => {
  it('grants a preflight from an allowed origin: 204 with exact origin, POST, headers, credentials, Vary, Max-Age', async () => {
    const response = await handler([APP], ['Authorization'])(preflight(APP, 'content-type, authorization'));
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.equal(response.headers.get('access-control-allow-methods'), 'POST');
    assert.equal(response.headers.get('access-control-allow-headers'), 'content-type, authorization');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-max-age'), '600');
    assert.equal(await response.text(), '');
  });

  it('refuses a preflight from any other origin with 403 and no CORS headers', async () => {
    for (const origin of [EVIL, 'https://app.example.com.evil.net', 'http://app.example.com', 'null', `${APP}:443x`]) {
      const response = await handler([APP])(preflight(origin));
      assert.equal(response.status, 403, origin);
      assert.deepEqual(corsHeadersOf(response), [], origin);
    }
  });

  it('refuses every preflight when no origins are configured (same-origin only)', async () => {
    const response = await handler()(preflight(APP));
    assert.equal(response.status, 403);
    assert.deepEqual(corsHeadersOf(response), []);
  });

  it('answers a plain OPTIONS (no Origin) with 204 and Allow, without CORS headers', async () => {
    const response = await handler([APP])(preflight(null));
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('allow'), 'POST, OPTIONS');
    assert.deepEqual(corsHeadersOf(response), []);
  });

  it('adds allow-origin and credentials to an actual request from an allowed origin, plus Vary', async () => {
    const response = await handler([APP, 'http://localhost:5173'])(post(APP));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(response.headers.get('vary'), 'Origin');
    // The element reads Date for clock skew and Retry-After for backoff.
    assert.equal(response.headers.get('access-control-expose-headers'), 'Date, Retry-After');
  });

  it('adds no CORS headers for another origin or no origin (Vary still says the answer depends on it)', async () => {
    for (const origin of [EVIL, null]) {
      const response = await handler([APP])(post(origin));
      assert.deepEqual(corsHeadersOf(response), [], String(origin));
      assert.equal(response.headers.get('vary'), 'Origin');
    }
  });

  it('keeps CORS headers on error answers for an allowed origin, so the page can read the error', async () => {
    const response = await handler([APP])(
      new Request(URL_, { method: 'POST', headers: { origin: APP, 'content-type': 'text/plain' }, body: 'x' }),
    );
    assert.equal(response.status, 415);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
  });

  it('never reflects a wildcard, even with many origins configured', async () => {
    const response = await handler([APP, 'https://b.example.com'])(post(EVIL));
    assert.notEqual(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  });
});
