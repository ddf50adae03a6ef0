// Recipe: the Next.js App Router route module (next-route/route.ts), loaded without any secret in
// the environment (as `next build` does), then served the way Next serves a route module: each
// exported method is called with the Web Request; a method it does not export gets Next's own 405.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '../../src/server/index.js';
import { identityContract } from './contract.js';

type RouteModule = Record<string, unknown>;

it('the route module loads without VIZZLY_PRIVATE_KEY (as during next build)', async () => {
  delete process.env.VIZZLY_PRIVATE_KEY;
  const route = (await import('./next-route/route.js')) as RouteModule;
  assert.equal(typeof route.POST, 'function');
  assert.equal(typeof route.OPTIONS, 'function');
});

identityContract('Next.js App Router route handler', async () => {
  const route = (await import('./next-route/route.js')) as RouteModule;
  const dispatch = async (request: Request): Promise<Response> => {
    const method = route[request.method];
    if (typeof method !== 'function') return new Response(null, { status: 405 });
    return (method as (request: Request) => Promise<Response>)(request);
  };
  const server = http.createServer(toNodeHandler(dispatch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/embed/identity`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
