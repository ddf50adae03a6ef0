// A server instance in its own process (so a test can kill it mid-session): serves the identity
// endpoint on a free loopback port and prints `listening <port>`. Env: REDIS_URL, LOOKER_URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler } from '../../../src/server/node.js';
import { buildInstance } from './instance.js';

const { handler } = await buildInstance(process.env.REDIS_URL!, process.env.LOOKER_URL!);
const server = createServer(toNodeHandler(handler));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
