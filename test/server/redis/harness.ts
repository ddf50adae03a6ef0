// A real redis-server for the Redis store tests: on a free loopback port, no persistence, stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { createClient } from 'redis';
// @ts-expect-error: a plain .mjs script without type declarations.
import { findRedisServer } from '../../../scripts/find-redis.mjs';

/** A running redis-server the test controls. */
export interface RedisServer {
  port: number;
  url: string;
  /** Stops it (SIGTERM to its PID) and waits for it to exit; its data is gone (no persistence). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `PING` gets `+PONG` on the port (polls every 20 ms, for at most 10 s). */
async function waitForPong(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
      socket.once('data', (data) => (socket.destroy(), resolve(data.toString().startsWith('+PONG'))));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts redis-server (found, or installed, by scripts/find-redis.mjs) on a free loopback port. */
export async function startRedisServer(): Promise<RedisServer> {
  const executable: string = process.env.REDIS_SERVER_PATH ?? findRedisServer();
  const port = await freePort();
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    log = '';
    const started = spawn(
      executable,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    started.stdout.on('data', (data: Buffer) => (log += data.toString()));
    started.stderr.on('data', (data: Buffer) => (log += data.toString()));
    child = started;
    const exited = new Promise<never>((_, reject) =>
      started.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${log.slice(-500)}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPong(port), exited]);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}

/**
 * A connected node-redis client as the README advises: commands fail at once while Redis is away
 * (no offline queue), reconnects every 50 ms, and an `error` listener so a lost connection never
 * ends the process.
 */
export async function connectClient(url: string) {
  const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Waits (polling every 20 ms, at most 10 s) until `client` is connected again. */
export async function untilReady(client: { isReady: boolean }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!client.isReady) {
    if (Date.now() > deadline) throw new Error('the Redis client did not reconnect within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
