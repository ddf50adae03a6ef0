/**
 * The identity endpoint under load on loopback: 1,000 concurrent connections (one user each) send
 * 100,000 requests in all to `http.createServer(toNodeHandler(createIdentityHandler(...)))` with the real
 * Vizzly provider (ES256 signing, token reuse as configured by default). Prints connection errors,
 * timeouts, non-2xx answers, latency percentiles, and the server's RSS before and after (each after a
 * full GC) and its peak. The run is bounded: autocannon stops after the set number of requests, and a
 * watchdog ends everything after WATCHDOG_MS. Figures only; it never fails on them.
 *
 *   node --import tsx bench/load.ts [--json]   (--json: a last line with the figures as JSON)
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIdentityHandler } from '../src/server/handler.js';
import { toNodeHandler } from '../src/server/node.js';
import * as vizzly from '../src/server/vizzly.js';
import { compiledCopy } from './compiled.js';

const CONNECTIONS = 1_000;
const REQUESTS = 100_000;
const WARM_UP_REQUESTS = 2_000;
const WATCHDOG_MS = 180_000;
// The element's identity request timeout (15 s).
const ELEMENT_TIMEOUT_S = 15;
const BODY = JSON.stringify({ vendor: 'vizzly', dashboardId: 'dsh_bench', context: {} });
const HEADERS = { 'content-type': 'application/json' };

interface Memory {
  rss: number;
  heapUsed: number;
  peakRss: number;
}

/** Child process: the endpoint as an app serves it, plus a memory probe for the bench. */
async function serve(): Promise<void> {
  const signer = vizzly.createSigner({
    privateKey: (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])).privateKey,
    ttlMinutes: 60,
    projectId: 'prj_bench',
  });
  const handler = createIdentityHandler<{ id: string }>({
    authenticate: (request) => {
      const cookie = request.headers.get('cookie') ?? '';
      return cookie.startsWith('sid=') ? { id: cookie.slice(4) } : null;
    },
    vendors: {
      vizzly: vizzly.identityProvider<{ id: string }>({
        signer,
        claims: (user) => ({ dashboard: { userReference: user.id }, data: { dataSetIds: '*', secureFilters: {} } }),
      }),
    },
  });
  const server = http.createServer(toNodeHandler(handler) as http.RequestListener);
  let peakRss = 0;
  setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100).unref();
  process.on('message', (message) => {
    if (message === 'reset-peak') peakRss = process.memoryUsage.rss();
    if (message !== 'memory') return;
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send?.({ memory: { rss, heapUsed, peakRss: Math.max(peakRss, rss) } });
  });
  process.once('SIGTERM', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

/** Resolves to the `key` of the server's next message that has one (after sending `message`, if any). */
function ask<T>(child: ChildProcess, key: string, message?: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (answer: unknown): void => {
      if (!(answer && typeof answer === 'object' && key in answer)) return;
      child.off('message', onMessage);
      resolve((answer as Record<string, T>)[key]!);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

/** `amount` requests over `connections` connections; connection `i` is signed in as user `i`. */
async function load(url: string, connections: number, amount: number): Promise<any> {
  // autocannon ships no types; a string-typed specifier keeps this file type-checked without them.
  const autocannon = ((await import('autocannon' as string)) as { default: (options: object) => Promise<any> }).default;
  let nextUser = 0;
  return autocannon({
    url,
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    connections,
    amount,
    // A request unanswered this long counts as an error: the element gives up on it then too.
    timeout: ELEMENT_TIMEOUT_S,
    setupClient: (client: { setHeaders(headers: object): void }) =>
      client.setHeaders({ ...HEADERS, cookie: `sid=user-${(nextUser += 1)}` }),
  });
}

async function main(): Promise<void> {
  const child = fork(await compiledCopy(import.meta.url, 'load'), ['--serve'], { execArgv: ['--expose-gc'] });
  const watchdog = setTimeout(() => {
    console.log(`load bench: stopped by its ${WATCHDOG_MS / 1000} s watchdog`);
    child.kill();
    process.exit(0);
  }, WATCHDOG_MS);
  try {
    const port = await ask<number>(child, 'port');
    const url = `http://127.0.0.1:${port}/api/embed/identity`;
    await load(url, 50, WARM_UP_REQUESTS); // JIT, key import, the users' first tokens: not reported
    const before = await ask<Memory>(child, 'memory', 'memory');
    child.send('reset-peak');
    const started = performance.now();
    const result = await load(url, CONNECTIONS, REQUESTS);
    const seconds = (performance.now() - started) / 1000;
    const after = await ask<Memory>(child, 'memory', 'memory');
    const figures = {
      connections: CONNECTIONS,
      requests: result.requests.total as number,
      seconds,
      errors: result.errors as number,
      timeouts: result.timeouts as number,
      non2xx: result.non2xx as number,
      p50Ms: result.latency.p50 as number,
      p99Ms: result.latency.p99 as number,
      maxMs: result.latency.max as number,
      rssBeforeMb: before.rss / 2 ** 20,
      rssAfterMb: after.rss / 2 ** 20,
      rssPeakMb: after.peakRss / 2 ** 20,
      heapBeforeMb: before.heapUsed / 2 ** 20,
      heapAfterMb: after.heapUsed / 2 ** 20,
    };
    const mb = (value: number): string => `${value.toFixed(1)} MB`;
    console.log(
      `identity endpoint (Vizzly, toNodeHandler), ${CONNECTIONS.toLocaleString('en')} concurrent connections (one user each), Node ${process.version}:`,
    );
    console.log(
      `  ${figures.requests.toLocaleString('en')} requests in ${seconds.toFixed(1)} s: ${figures.errors} errors ` +
        `(${figures.timeouts} unanswered within ${ELEMENT_TIMEOUT_S} s), ${figures.non2xx} non-2xx; latency p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms`,
    );
    console.log(
      `  server RSS ${mb(figures.rssBeforeMb)} before → ${mb(figures.rssAfterMb)} after (peak ${mb(figures.rssPeakMb)}); ` +
        `heap used ${mb(figures.heapBeforeMb)} → ${mb(figures.heapAfterMb)} (each after a full GC)`,
    );
    if (process.argv.includes('--json')) console.log(JSON.stringify({ load: figures }));
  } finally {
    clearTimeout(watchdog);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
