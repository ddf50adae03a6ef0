// Recipe: Express 5. `app.all` so that other methods reach the handler's own 405, and mounted before
// `express.json()`, which would read the body first.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '../../src/server/index.js';
import { identityContract } from './contract.js';
import { identityHandler } from './identity.js';

identityContract('Express 5', async () => {
  const app = express();
  app.all(
    '/api/embed/identity',
    toNodeHandler((request) => identityHandler()(request)),
  );
  app.use(express.json());
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/embed/identity`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
