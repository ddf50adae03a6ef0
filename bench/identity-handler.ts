/**
 * Identity endpoint throughput, servers on the same work (bench/identity-handler-apps.ts has them):
 * `identity` is `toNodeHandler(createIdentityHandler(...))` with the real Vizzly provider. It is
 * compared with three Hono apps asking the same provider for the same answer:
 * - `hono-same-work`: what a careful engineer writes with Hono for the same wire contract (POST only,
 *   Content-Type 415, Hono's `bodyLimit` 413, 401, JSON and shape checks 400, `Cache-Control` and
 *   `nosniff`, Hono's `timeout` 503), in Hono's usual setup (@hono/node-server replaces the global
 *   Request/Response with its lightweight ones). It still does a little less than the handler (its
 *   deadline aborts nothing, `context` is not copied), so the comparison leans towards Hono.
 * - `hono-same-work-globals-kept`: the same app on the bridge setup toNodeHandler uses
 *   (`overrideGlobalObjects: false`: a library must not replace an app's globals, so every answer is a
 *   real Response whose body is a web stream).
 * - `hono`: Hono as usually written, with none of those checks (cookie, `c.req.json()`, the provider,
 *   `c.json()`), in its usual setup: reported too, so that nobody mistakes the other figures for it.
 * And `bare`, node:http answering a fixed JSON (the floor). Prints figures only; it never fails on timing.
 *
 *   node --import tsx bench/identity-handler.ts [--seconds 3] [--rounds 5] [--connections 50] [--profile] [--only hono-same-work,identity]
 *
 * The servers stay up and are loaded in alternating rounds; the summary gives medians and the
 * median of the per-round throughput ratios, so one slow spell of a shared machine does not decide it.
 * Each server runs in its own child process so the load generator does not share its event loop.
 * Besides throughput it prints the server's own CPU time per request (user + system, from
 * `process.cpuUsage()` in the server process): steadier than req/s on a busy machine, where the
 * load generator and other jobs compete for the same cores.
 * `--profile` writes a V8 CPU profile of each server (open it in Chrome DevTools) to
 * node_modules/.cache/embed-dashboard-bench/profiles/<mode>.cpuprofile.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { listenerFor, MODES, type Mode } from './identity-handler-apps.js';
import { compiledCopy } from './compiled.js';

const BODY = JSON.stringify({ vendor: 'vizzly', dashboardId: 'dsh_bench', context: { theme: 'dark' } });
const HEADERS = { 'content-type': 'application/json', cookie: 'sid=bench-user' };

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Child process: serve one mode on 127.0.0.1 and report the port and what it serves. */
async function serve(mode: Mode): Promise<void> {
  const { listener, kind } = await listenerFor(mode);
  const server = http.createServer(listener);
  // Exit normally when the bench is done, so that --cpu-prof gets to write its profile.
  process.once('SIGTERM', () => process.exit(0));
  process.on('message', (message) => {
    if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  });
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port, kind });
  });
}

async function startChild(
  script: string,
  mode: Mode,
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; url: string; kind: string }> {
  const child = fork(script, ['--serve', mode], { execArgv });
  const { port, kind } = await new Promise<{ port: number; kind: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number; kind: string }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with code ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/api/embed/identity`, kind };
}

/** The server process's CPU time so far (µs, user + system). */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown): void => {
      const cpu = (message as { cpu?: NodeJS.CpuUsage }).cpu;
      if (!cpu) return;
      child.off('message', onMessage);
      resolve(cpu.user + cpu.system);
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}

interface Figures {
  requestsPerSecond: number;
  requests: number;
  /** Server CPU µs per request; filled in by the caller. */
  cpuPerRequest: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, seconds: number, connections: number): Promise<Figures> {
  // autocannon ships no types; a string-typed specifier keeps this file type-checked without them.
  const autocannon = ((await import('autocannon' as string)) as { default: (options: object) => Promise<any> }).default;
  const result = await autocannon({
    url,
    method: 'POST',
    headers: HEADERS,
    body: BODY,
    connections,
    duration: seconds,
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    cpuPerRequest: Number.NaN,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function describeFigures(label: string, figures: Figures): string {
  return (
    `  ${label.padEnd(36)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} req/s   server CPU ${figures.cpuPerRequest.toFixed(0).padStart(4)} µs/req   ` +
    `p50 ${figures.p50} ms   p99 ${figures.p99} ms   non-2xx ${figures.non2xx}   errors ${figures.errors}`
  );
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 3);
  const connections = arg('connections', 50);
  const rounds = arg('rounds', 5);
  const script = await compiledCopy(import.meta.url, 'identity-handler');
  const profileDir = fileURLToPath(new URL('../node_modules/.cache/embed-dashboard-bench/profiles/', import.meta.url));
  const profile = process.argv.includes('--profile');
  const only = process.argv.indexOf('--only') >= 0 ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const modes = MODES.filter((name) => only === undefined || only.split(',').includes(name));
  const servers = new Map<Mode, { child: ChildProcess; url: string }>();
  const results = new Map<Mode, Figures[]>(modes.map((mode) => [mode, []]));
  try {
    for (const mode of modes) {
      const execArgv = profile
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${mode}.cpuprofile`]
        : [];
      const { child, url, kind } = await startChild(script, mode, execArgv);
      servers.set(mode, { child, url });
      const check = await fetch(url, { method: 'POST', headers: HEADERS, body: BODY });
      const sample = await check.text();
      console.log(`${mode}: ${kind}; sample answer ${check.status}, ${sample.length} bytes`);
      await load(url, 1, connections); // warm-up (JIT, key import), not reported
    }
    // Rounds alternate the servers, so a slow spell of a shared machine hits both sides alike.
    for (let round = 1; round <= rounds; round += 1) {
      for (const [mode, { child, url }] of servers) {
        const cpuBefore = await cpuOf(child);
        const figures = await load(url, seconds, connections);
        figures.cpuPerRequest = ((await cpuOf(child)) - cpuBefore) / Math.max(figures.requests, 1);
        results.get(mode)?.push(figures);
      }
    }
  } finally {
    for (const { child } of servers.values()) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  }
  console.log(
    `\nidentity endpoint bench: ${connections} connections, ${rounds} alternating rounds of ${seconds} s, POST ${BODY.length}-byte JSON, Node ${process.version}`,
  );
  for (const [mode, list] of results)
    list.forEach((figures, index) => console.log(describeFigures(`${mode} round ${index + 1}`, figures)));
  const medianOf = (list: Figures[], pick: (figures: Figures) => number): number => median(list.map(pick));
  for (const mode of modes) {
    const list = results.get(mode) ?? [];
    console.log(
      `  median ${mode}: ${medianOf(list, (f) => f.requestsPerSecond).toFixed(0)} req/s (p99 ${medianOf(list, (f) => f.p99)} ms, ${medianOf(list, (f) => f.cpuPerRequest).toFixed(0)} µs CPU/req)`,
    );
  }
  // Each pair runs on the same bridge setup where it can: identity (globals kept) against every other
  // server, and identity with the globals replaced against the Hono same-work app in Hono's usual setup.
  const pairs: Array<[Mode, Mode]> = [
    ...MODES.filter((mode) => !mode.startsWith('identity')).map((other): [Mode, Mode] => ['identity', other]),
    ['identity-globals-replaced', 'hono-same-work'],
  ];
  for (const [ours, other] of pairs) {
    const mine = results.get(ours) ?? [];
    const against = results.get(other) ?? [];
    if (mine.length === 0 || against.length === 0) continue;
    const ratios = mine.map(
      (figures, index) => figures.requestsPerSecond / (against[index] as Figures).requestsPerSecond,
    );
    console.log(
      `  ${ours}/${other} throughput ratio: median ${median(ratios).toFixed(2)} (rounds ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')})`,
    );
  }
  if (profile) console.log(`CPU profiles (${modes.join(', ')}) written to ${profileDir}`);
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) await serve(process.argv[serveIndex + 1] as Mode);
else await main();
