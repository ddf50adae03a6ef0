/**
 * The offline demo server (`npm start`): one node:http server on 127.0.0.1 that
 * - bundles the page (demo/app.ts + the SDK) with esbuild at start and serves it at /build/;
 * - serves the identity endpoint /api/embed/identity with the REAL server module
 *   (`toNodeHandler(createIdentityHandler({...}))`), one provider per vendor;
 * - serves local stand-ins of the vendors' embeds (/demo/standins/, Looker's /login/embed/) and of
 *   their APIs (/standin-api/<vendor>/), so everything works offline;
 * - switches a vendor to its real service when its environment variables are set (see demo/lib/config.ts).
 *
 * Run: `node --import tsx demo/server.ts` (PORT, DEMO_TOKEN_TTL_SECONDS, … in the environment).
 * Tests: `startDemo({ env, port: 0, log })` in-process.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toNodeHandler, type NodeHandler } from '../src/server/index.js';
import { createStandinApis, STANDIN_API_PREFIX, type StandinApis } from './standin-apis/index.js';
import { buildPageBundle, type PageBundle } from './lib/bundle.js';
import { DemoConfigError, describeModes, readDemoConfig, type DemoConfig, type Env } from './lib/config.js';
import { renderPage } from './lib/page.js';
import { createDemoIdentityHandler } from './lib/providers.js';
import { notFound, send, serveFile } from './lib/static.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_PORT = 8080;
const HOST = '127.0.0.1';

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Environment to read the configuration from (default `process.env`). */
  env?: Env;
  /** Port to listen on, over `PORT` (0 = any free port). */
  port?: number;
  /** Where log lines go (default `console.log`). Lines never hold a secret. */
  log?: (line: string) => void;
}

/** A running demo server. */
export interface DemoServer {
  /** `http://localhost:<port>/`, the page. */
  url: string;
  port: number;
  config: DemoConfig;
  /** The local vendor API stand-ins (their call counts; credentials stay in this process). */
  standins: StandinApis;
  /** Stops the server and drops every connection. */
  close(): Promise<void>;
}

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/** Starts the demo server; resolves once it answers. Throws {@link DemoConfigError} for a bad environment. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const config = readDemoConfig(options.env ?? process.env);
  const standins = createStandinApis({ lookerTokenTtlSeconds: config.tokenTtlSeconds });
  const [bundle, template] = await Promise.all([
    buildPageBundle({ root: ROOT, includeDataBrainPlugin: config.databrain.mode === 'real' }),
    readFile(`${ROOT}/demo/index.html`, 'utf8'),
  ]);

  let port = 0;
  let identity: NodeHandler | null = null;
  const standinApi = toNodeHandler(standins.handler);
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log(`${time()}  server error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, 'Internal error\n', 'text/plain; charset=utf-8');
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only this server's own names: a page elsewhere cannot reach it through DNS rebinding.
    const host = req.headers.host ?? '';
    if (host !== `localhost:${port}` && host !== `127.0.0.1:${port}`) {
      return send(res, 421, `Use http://localhost:${port}/\n`, 'text/plain; charset=utf-8');
    }
    const path = new URL(req.url ?? '/', 'http://demo.invalid').pathname;
    if (path === '/api/embed/identity') {
      if (!identity) return send(res, 503, 'Starting\n', 'text/plain; charset=utf-8', { 'retry-after': '1' });
      return identity(req, res);
    }
    if (path.startsWith(`${STANDIN_API_PREFIX}/`)) return standinApi(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'Method not allowed\n', 'text/plain; charset=utf-8', { allow: 'GET, HEAD' });
    if (path === '/' || path === '/index.html') {
      return send(res, 200, renderPage(template, config, `http://${host}`), 'text/html; charset=utf-8');
    }
    const built = bundle.files.get(path);
    if (built) return send(res, 200, built.contents, built.contentType);
    if (path.startsWith('/demo/standins/'))
      return serveFile(res, `${ROOT}/demo/standins`, path.slice('/demo/standins/'.length));
    if (path === '/demo/standin-apis/databrain-plugin.js')
      return serveFile(res, `${ROOT}/demo/standin-apis`, 'databrain-plugin.js');
    // Looker's cookieless login URL, answered by the Looker embed stand-in the tests also judge
    // against Looker's official host SDK.
    if (path.startsWith('/login/embed/') && config.looker.mode === 'local')
      return serveFile(res, `${ROOT}/test/vendors/fixtures`, 'looker-embed.html');
    if (path === '/test/vendors/fixtures/looker-embed.js')
      return serveFile(res, `${ROOT}/test/vendors/fixtures`, 'looker-embed.js');
    if (path === '/favicon.ico') return send(res, 204, '', 'text/plain');
    return notFound(res);
  }

  const wanted = options.port ?? config.port ?? DEFAULT_PORT;
  try {
    port = await listen(server, wanted);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || wanted === 0) throw error;
    log(`Port ${wanted} is in use; using a free port instead.`);
    port = await listen(server, 0);
  }

  try {
    const handler = await createDemoIdentityHandler({
      config,
      credentials: standins.credentials,
      standinApiBase: `http://${HOST}:${port}${STANDIN_API_PREFIX}`,
      pageOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
      onError: (error) => {
        const { code, message } = error as { code?: string; message?: string };
        log(`${time()}  identity error ${code ?? ''}: ${message ?? String(error)}`);
      },
      onTokens: ({ vendor, action, expiresIn }) => {
        log(
          `${time()}  ${vendor.padEnd(10)} ${action.padEnd(8)} new tokens, expire in ${expiresIn === null ? 'never' : `${expiresIn} s`}`,
        );
      },
    });
    identity = toNodeHandler(handler);
  } catch (error) {
    await closeServer(server);
    throw error;
  }

  const url = `http://localhost:${port}/`;
  printBanner(log, url, config, bundle);
  return { url, port, config, standins, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function printBanner(log: (line: string) => void, url: string, config: DemoConfig, bundle: PageBundle): void {
  log('');
  log('  embed-dashboard demo');
  log('');
  log(`  ➜  Open ${url}`);
  log('');
  for (const line of describeModes(config)) log(`     ${line}`);
  log(`     tokens live ${config.tokenTtlSeconds} s (DEMO_TOKEN_TTL_SECONDS); page built in ${bundle.buildMs} ms`);
  log('     Ctrl+C stops the server.');
  log('');
}

async function main(): Promise<void> {
  let demo: DemoServer;
  try {
    demo = await startDemo();
  } catch (error) {
    const message =
      error instanceof DemoConfigError
        ? `Configuration: ${error.message}`
        : `The demo could not start: ${(error as Error)?.message ?? error}`;
    console.error(message);
    process.exit(1);
  }
  let stopping = false;
  // Ctrl+C can arrive twice (from the terminal and forwarded by scripts/start.mjs): stop once, quietly.
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
