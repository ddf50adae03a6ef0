import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EmbedServerError } from '../../src/server/errors.js';
import {
  grantPermissions,
  permissionsRequest,
  revokePermissions,
  type PermissionsOptions,
} from '../../src/server/vizzly/sharing.js';
import { closedUrl, startStandin, type RecordedRequest, type Standin } from './standin-server.js';

const API_KEY = 'vizzly_project_api_key_a481e4a9d5:::s3cr3t-rest-of-the-key';
const PATH = '/api/v3/project/end-user/permissions';

type Recorded = RecordedRequest<unknown>;

/** A local stand-in for Vizzly's permissions API: records requests, answers with `reply`. */
let server: Standin<unknown>;
let baseUrl: string;
let recorded: Recorded[] = [];
let reply: { status: number; body: string } = { status: 200, body: '{"ok":true}' };

before(async () => {
  server = await startStandin<unknown>(
    () => ({ status: reply.status, raw: reply.body }),
    (text) => (text ? JSON.parse(text) : undefined),
  );
  baseUrl = server.url;
  recorded = server.requests;
});
after(() => server.close());
beforeEach(() => {
  recorded.length = 0;
  reply = { status: 200, body: '{"ok":true}' };
});

const permissions = [
  { dashboardId: 'dsh_1', scope: 'read', userReference: 'user-a' },
  { dashboardId: 'dsh_2', scope: 'read_write', userReference: 'user-b' },
] as const;
const options = (): PermissionsOptions => ({
  apiKey: API_KEY,
  permissions: permissions.map((p) => ({ ...p })),
  baseUrl,
});
const wireBody = {
  permissions: [
    { dashboard_id: 'dsh_1', scope: 'read', user_reference: 'user-a' },
    { dashboard_id: 'dsh_2', scope: 'read_write', user_reference: 'user-b' },
  ],
};

function assertNoKey(error: EmbedServerError): void {
  for (const text of [error.message, error.vendorMessage, error.vendorCode, String(error.stack)]) {
    assert.ok(!text?.includes(API_KEY) && !text?.includes('s3cr3t'), 'the API key leaked into the error');
  }
}

describe('vizzly sharing API', () => {
  it('grants with PUT, the auth: Api-Key header and the snake_case body', async () => {
    const response = await grantPermissions(options());
    assert.deepEqual(response, { status: 200, body: { ok: true } });
    assert.equal(recorded.length, 1);
    const [request] = recorded as [Recorded];
    assert.equal(request.method, 'PUT');
    assert.equal(request.path, PATH);
    assert.equal(request.headers.auth, `Api-Key ${API_KEY}`);
    assert.equal(request.headers.authorization, undefined);
    assert.match(String(request.headers['content-type']), /^application\/json/);
    assert.deepEqual(request.body, wireBody);
  });

  it('revokes with DELETE and the same body; an empty 204 answer is fine', async () => {
    reply = { status: 204, body: '' };
    const response = await revokePermissions(options());
    assert.equal(response.status, 204);
    const [request] = recorded as [Recorded];
    assert.equal(request.method, 'DELETE');
    assert.equal(request.path, PATH);
    assert.equal(request.headers.auth, `Api-Key ${API_KEY}`);
    assert.deepEqual(request.body, wireBody);
  });

  it('keeps a base path, drops a trailing slash and does not double an "Api-Key " prefix', async () => {
    await grantPermissions({ ...options(), baseUrl: `${baseUrl}/proxy/vizzly/`, apiKey: `Api-Key ${API_KEY}` });
    assert.equal(recorded[0]!.path, `/proxy/vizzly${PATH}`);
    assert.equal(recorded[0]!.headers.auth, `Api-Key ${API_KEY}`);
  });

  it('defaults to https://api.vizzly.co', () => {
    const request = permissionsRequest('PUT', { apiKey: API_KEY, permissions: [...permissions] });
    assert.equal(request.url, `https://api.vizzly.co${PATH}`);
    assert.deepEqual(request.body, wireBody);
  });

  it('validates input before calling Vizzly, without quoting the API key', async () => {
    const cases: [Partial<PermissionsOptions> & Record<string, unknown>, RegExp][] = [
      [{ permissions: [] }, /non-empty list/],
      [
        { permissions: [{ dashboardId: '', scope: 'read', userReference: 'u' }] },
        /permissions\[0\]: dashboardId must be a non-empty string/,
      ],
      [
        { permissions: [{ dashboardId: 'dsh_1', scope: 'write' as never, userReference: 'u' }] },
        /scope must be "read_write" or "read"/,
      ],
      [{ permissions: [{ dashboardId: 'dsh_1', userReference: 'u' } as never] }, /scope is required/],
      [
        { permissions: [{ dashboardId: 'dsh_1', scope: 'read', userReference: ' ' }] },
        /userReference must be a non-empty string/,
      ],
      [
        { permissions: [{ dashboard_id: 'dsh_1', scope: 'read', userReference: 'u' } as never] },
        /unknown key "dashboard_id"/,
      ],
      [{ apiKey: '' }, /apiKey must be your non-empty Vizzly project API key/],
      [{ apiKey: `${API_KEY}\nx-evil: 1` }, /apiKey contains spaces, line breaks/],
      [{ baseUrl: 'ftp://example.com' }, /baseUrl must be an http\(s\) URL/],
    ];
    for (const [override, pattern] of cases) {
      await assert.rejects(grantPermissions({ ...options(), ...override }), (error: unknown) => {
        assert.ok(error instanceof EmbedServerError);
        assert.equal(error.code, 'invalid-input');
        assert.match(error.message, pattern);
        assertNoKey(error);
        return true;
      });
    }
    assert.equal(recorded.length, 0);
  });

  it("turns a 401 into upstream-http with status and Vizzly's message, never the key", async () => {
    reply = { status: 401, body: JSON.stringify({ message: 'Invalid API key' }) };
    await assert.rejects(revokePermissions(options()), (error: unknown) => {
      assert.ok(error instanceof EmbedServerError);
      assert.equal(error.code, 'upstream-http');
      assert.equal(error.vendor, 'vizzly');
      assert.equal(error.status, 401);
      assert.equal(error.vendorMessage, 'Invalid API key');
      assert.match(error.message, /401.*Invalid API key/);
      assert.equal(error.retriable, false);
      assertNoKey(error);
      return true;
    });
  });

  it('cuts the key out when Vizzly echoes it back, and marks 5xx retriable', async () => {
    reply = {
      status: 503,
      body: JSON.stringify({ error: { code: 'BAD_KEY', message: `key ${API_KEY} is not allowed` } }),
    };
    await assert.rejects(grantPermissions(options()), (error: unknown) => {
      assert.ok(error instanceof EmbedServerError);
      assert.equal(error.status, 503);
      assert.equal(error.vendorCode, 'BAD_KEY');
      assert.equal(error.vendorMessage, 'key [redacted] is not allowed');
      assert.equal(error.retriable, true);
      assertNoKey(error);
      return true;
    });
  });

  it('reports an unreachable API as upstream-network without the key', async () => {
    await assert.rejects(grantPermissions({ ...options(), baseUrl: await closedUrl() }), (error: unknown) => {
      assert.ok(error instanceof EmbedServerError);
      assert.equal(error.code, 'upstream-network');
      assertNoKey(error);
      return true;
    });
  });
});
