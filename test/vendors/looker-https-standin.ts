// A Looker host for browser tests, on https://127.0.0.1:<port> (Looker's official embed SDK only ever
// loads `https://<host>`): the Looker embed page stand-in (test/vendors/fixtures/looker-embed.*) at
// Looker's own /login/embed/ URLs, the demo's Looker API stand-in, and this package's server half in
// front of it: looker.sdkHandlers (the official SDK's acquire / generate endpoints). Started by the web-test-runner config (looker-https-plugin.mjs) before the browser tests.
import { createHash, createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { createLookerStandin } from '../../demo/standin-apis/looker.js';
import { createClient } from '../../src/server/looker/client.js';
import { sdkHandlers } from '../../src/server/looker/sdk-handlers.js';
import type { LookerEmbedUser } from '../../src/server/looker/types.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const CLIENT_ID = 'https-standin-client';
const CLIENT_SECRET = 'https-standin-secret-9d1e7b';

/** A self-signed certificate for localhost and 127.0.0.1, and the SPKI hash Chromium may trust it by. */
export async function makeCertificate(): Promise<{ key: string; cert: string; spkiHash: string }> {
  const tomorrow = new Date(Date.now() + 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: tomorrow,
  });
  const spki = createPublicKey(pems.public).export({ type: 'spki', format: 'der' });
  return { key: pems.private, cert: pems.cert, spkiHash: createHash('sha256').update(spki).digest('base64') };
}

/** The running host. */
export interface LookerHttpsStandin {
  /** `https://127.0.0.1:<port>`: the Looker host (and the app's server, for the tests). */
  origin: string;
  /** Looker API calls seen so far, by name (`acquire`, `generate_tokens`, …). */
  stats(): Record<string, number>;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers, body });
}

async function send(res: ServerResponse, response: Response, extra: Record<string, string> = {}): Promise<void> {
  const headers: Record<string, string> = { ...extra };
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * Starts the host. `pageOrigin` is the test page's origin (web-test-runner's `http://localhost:<port>`):
 * the only origin the app endpoints answer (CORS) and the embed domain of every session.
 */
export async function startLookerHttpsStandin(
  certificate: { key: string; cert: string },
  pageOrigin: string,
): Promise<LookerHttpsStandin> {
  // Tokens under a minute: Looker's official host then generates on every token request, so its tests
  // see generate_tokens without waiting for the clock.
  const api = createLookerStandin({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenTtlSeconds: 50 });
  const references = new Set<string>();
  // The server half calls the API stand-in in-process (Node's fetch would refuse the self-signed certificate).
  const client = createClient({
    baseUrl: 'https://looker-api.invalid',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const response = (await api.handle(request, new URL(request.url).pathname)) ?? Response.json({}, { status: 404 });
      // Remembered (by the test host only) so /app/end-sessions can end them as a Looker timeout would.
      const reference = (await response
        .clone()
        .json()
        .catch(() => ({}))) as { session_reference_token?: unknown };
      if (typeof reference.session_reference_token === 'string' && reference.session_reference_token)
        references.add(reference.session_reference_token);
      return response;
    },
  });
  const user = (): LookerEmbedUser => ({
    external_user_id: 'browser-test-user',
    session_length: 3600,
    permissions: ['access_data', 'see_user_dashboards'],
    models: ['thelook'],
  });
  const options = { client, embedDomain: pageOrigin, user, authenticate: () => 'browser-test-user', onError: () => {} };
  const sdk = sdkHandlers(options);
  const cors = { 'access-control-allow-origin': pageOrigin, vary: 'Origin' };

  let origin = '';
  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    if (path.startsWith('/login/embed/') || path === '/test/vendors/fixtures/looker-embed.js') {
      const file = path.endsWith('.js') ? 'looker-embed.js' : 'looker-embed.html';
      const type = path.endsWith('.js') ? 'text/javascript' : 'text/html';
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(await readFile(new URL(file, FIXTURES)));
      return;
    }
    if (path.startsWith('/app/') && req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'GET, PUT',
        'access-control-allow-headers': 'content-type',
      });
      res.end();
      return;
    }
    const request = await toRequest(req, origin);
    if (path === '/app/looker/acquire') return send(res, await sdk.acquire(request), cors);
    if (path === '/app/looker/generate') return send(res, await sdk.generate(request), cors);
    if (path === '/app/stats') return send(res, Response.json(api.stats()), cors);
    if (path === '/app/end-sessions' && req.method === 'POST') {
      const userAgent = request.headers.get('user-agent') ?? '';
      for (const reference of references) await client.deleteSession(reference, { userAgent }).catch(() => {});
      references.clear();
      return send(res, new Response(null, { status: 204 }), cors);
    }
    res.writeHead(404).end();
  }

  const server: Server = createServer(certificate, (req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    stats: api.stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
