// toNodeHandler's opt-in overrideGlobalObjects. node:test runs each file in its own process, so the
// globals this file lets the bridge replace are replaced for this file only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIdentityHandler } from '../../src/server/handler.js';
import { toNodeHandler } from '../../src/server/node.js';
import { listenOnLoopback } from './standin-server.js';

const [GlobalRequest, GlobalResponse] = [globalThis.Request, globalThis.Response];

describe('toNodeHandler({overrideGlobalObjects: true})', () => {
  it("answers as usual with @hono/node-server's lightweight Request and Response in place of the globals", async () => {
    const seen: Request[] = [];
    const handler = createIdentityHandler<{ id: string }>({
      authenticate: (request) => {
        seen.push(request);
        return { id: 'u-1' };
      },
      vendors: { stub: async ({ user }) => ({ tokens: { t: `tok-${user.id}` }, expiresIn: 120 }) },
    });
    const { url, close } = await listenOnLoopback(toNodeHandler(handler, { overrideGlobalObjects: true }));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"vendor":"stub"}',
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const body = (await response.json()) as { tokens: unknown; expiresIn: number };
      assert.deepEqual(body.tokens, { t: 'tok-u-1' });
      assert.equal(body.expiresIn, 120);
      assert.notEqual(globalThis.Response, GlobalResponse, 'the global Response was replaced');
      assert.notEqual(globalThis.Request, GlobalRequest, 'the global Request was replaced');
      // Still Web Requests and Responses to the rest of the app.
      assert.ok(seen[0] instanceof GlobalRequest);
      assert.ok(new Response('x') instanceof GlobalResponse);
    } finally {
      await close();
    }
  });

  it('refuses an option that is not a boolean, saying which', () => {
    const handler = async (): Promise<Response> => new Response(null);
    assert.throws(() => toNodeHandler(handler, { overrideGlobalObjects: 'yes' as never }), /overrideGlobalObjects/);
  });
});
