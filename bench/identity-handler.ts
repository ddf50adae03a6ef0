/**
 * Identity endpoint throughput: a bare node:http server answering a fixed small JSON versus
 * toNodeHandler(createIdentityHandler(...)) with a Vizzly provider signing real ES256 tokens.
 * Prints figures only; it never fails on timing.
 *
 *   node --import tsx bench/identity-handler.ts [--seconds 5] [--connections 50]
 *
 * Each server runs in its own child process so the load generator does not share its event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createIdentityHandler } from '../src/server/handler.js';
import { toNodeHandler } from '../src/server/node.js';
import type { IdentityProvider } from '../src/server/types.js';

type Mode = 'bare' | 'identity';
interface User {
  id: string;
}

const BODY = JSON.stringify({ vendor: 'vizzly', dashboardId: 'dsh_bench', context: { theme: 'dark' } });
const HEADERS = { 'content-type': 'application/json', cookie: 'sid=bench-user' };

function arg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

function base64url(bytes: Uint8Array | string): string {
  const raw = typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes);
  return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The real Vizzly provider when src/server/vizzly.ts exists, else a WebCrypto ES256 stub. */
async function vizzlyProvider(): Promise<{ provider: IdentityProvider<User>; kind: string }> {
  const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])) as CryptoKeyPair;
  const modulePath = '../src/server/vizzly.js';
  try {
    // A variable path: this file must still load (and type-check) before vizzly.ts exists.
    const vizzly = (await import(modulePath)) as {
      createSigner(options: { privateKey: CryptoKey; ttlMinutes: number; projectId: string }): { ready(): Promise<void> };
      identityProvider(options: { signer: unknown; claims: (user: User) => unknown }): IdentityProvider<User>;
    };
    const signer = vizzly.createSigner({ privateKey, ttlMinutes: 60, projectId: 'prj_bench' });
    await signer.ready();
    const provider = vizzly.identityProvider({
      signer,
      claims: (user) => ({
        dashboard: { userReference: user.id, scope: 'read_write', accessType: 'standard' },
        data: { dataSetIds: '*', secureFilters: {} },
      }),
    });
    return { provider, kind: 'real vizzly.identityProvider + createSigner (dashboard + data tokens, 2 ES256 signatures)' };
  } catch (error) {
    if (!(error instanceof Error) || !/Cannot find module|ERR_MODULE_NOT_FOUND/.test(`${(error as { code?: string }).code} ${error.message}`)) throw error;
    const encoder = new TextEncoder();
    const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT' }));
    const sign = async (payload: object): Promise<string> => {
      const input = `${header}.${base64url(JSON.stringify(payload))}`;
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, encoder.encode(input));
      return `${input}.${base64url(new Uint8Array(signature))}`;
    };
    const provider: IdentityProvider<User> = async ({ user }) => {
      const expires = new Date(Date.now() + 3_600_000).toISOString();
      return {
        tokens: {
          dashboardAccessToken: await sign({ accessType: 'standard', projectId: 'prj_bench', userReference: user.id, scope: 'read_write', expires }),
          dataAccessToken: await sign({ projectId: 'prj_bench', dataSetIds: '*', secureFilters: {}, expires }),
        },
        expiresAt: expires,
      };
    };
    return { provider, kind: 'WebCrypto ES256 stub (src/server/vizzly.ts not found; 2 signatures)' };
  }
}

/** Child process: serve one mode on 127.0.0.1 and report the port and provider kind. */
async function serve(mode: Mode): Promise<void> {
  let listener: http.RequestListener;
  let kind = 'fixed JSON';
  if (mode === 'bare') {
    const payload = JSON.stringify({ vendor: 'vizzly', tokens: { dashboardAccessToken: 'x'.repeat(300) }, expiresIn: 3600 });
    listener = (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(payload) });
        res.end(payload);
      });
    };
  } else {
    const vizzly = await vizzlyProvider();
    kind = vizzly.kind;
    const handler = createIdentityHandler<User>({
      authenticate: (request) => {
        const cookie = request.headers.get('cookie') ?? '';
        return cookie.startsWith('sid=') ? { id: cookie.slice(4) } : null;
      },
      vendors: { vizzly: vizzly.provider },
    });
    listener = toNodeHandler(handler) as http.RequestListener;
  }
  const server = http.createServer(listener);
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as AddressInfo).port, kind });
  });
}

async function startChild(mode: Mode): Promise<{ child: ChildProcess; url: string; kind: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', mode], { execArgv: ['--import', 'tsx'] });
  const { port, kind } = await new Promise<{ port: number; kind: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number; kind: string }));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with code ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/api/embed/identity`, kind };
}

interface Figures {
  requestsPerSecond: number;
  p99: number;
  p50: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, seconds: number, connections: number): Promise<Figures> {
  // autocannon ships no types; a string-typed specifier keeps this file type-checked without them.
  const autocannon = ((await import('autocannon' as string)) as { default: (options: object) => Promise<any> }).default;
  const result = await autocannon({ url, method: 'POST', headers: HEADERS, body: BODY, connections, duration: seconds });
  return {
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 5);
  const connections = arg('connections', 50);
  const results: Partial<Record<Mode, Figures>> = {};
  for (const mode of ['bare', 'identity'] as const) {
    const { child, url, kind } = await startChild(mode);
    try {
      const check = await fetch(url, { method: 'POST', headers: HEADERS, body: BODY });
      const sample = await check.text();
      console.log(`${mode}: ${kind}; sample answer ${check.status}, ${sample.length} bytes`);
      await load(url, 1, connections); // warm-up (JIT, key import), not reported
      results[mode] = await load(url, seconds, connections);
    } finally {
      child.kill();
    }
  }
  console.log(`\nidentity endpoint bench: ${connections} connections, ${seconds} s each, POST ${BODY.length}-byte JSON, Node ${process.version}`);
  for (const [mode, figures] of Object.entries(results)) {
    console.log(
      `  ${mode.padEnd(9)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${figures.p50} ms   p99 ${figures.p99} ms   non-2xx ${figures.non2xx}   errors ${figures.errors}`,
    );
  }
  const { bare, identity } = results;
  if (bare && identity) {
    console.log(`  identity/bare throughput ratio: ${(identity.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}   p99 ratio: ${(identity.p99 / Math.max(bare.p99, 1)).toFixed(2)}`);
  }
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) await serve(process.argv[serveIndex + 1] as Mode);
else await main();
