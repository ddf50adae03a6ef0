// Recipe: node:http. As in the README's server section.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '../../src/server/index.js';
import { identityContract } from './contract.js';
import { identityHandler } from './identity.js';

identityContract('node:http', async () => {
  const server = http.createServer(toNodeHandler((request) => identityHandler()(request)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/embed/identity`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
});
