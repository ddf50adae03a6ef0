// Recipe: Hono (here on @hono/node-server; the same route works on Bun, Deno and Workers).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { identityContract } from './contract.js';
import { identityHandler } from './identity.js';

identityContract('Hono', async () => {
  const app = new Hono();
  // `all`: the handler answers OPTIONS (CORS preflight) and other methods (405) itself.
  app.all('/api/embed/identity', (c) => identityHandler()(c.req.raw));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/embed/identity`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
