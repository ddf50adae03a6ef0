/**
 * The servers bench/identity-handler.ts loads, each a node:http request listener (see that file's header):
 * - `bare`: node:http answering a fixed JSON, the floor;
 * - `hono`: Hono as it is usually written, doing only the provider work (cookie, `c.req.json()`, the
 *   provider, `c.json()`), in Hono's usual setup (globals replaced by the bridge's lightweight ones);
 * - `hono-same-work`: the Hono app a careful engineer writes for the same wire contract, in Hono's usual setup;
 * - `hono-same-work-globals-kept`: the same app on the bridge setup toNodeHandler uses (globals kept);
 * - `identity`: `toNodeHandler(createIdentityHandler(...))`;
 * - `identity-globals-replaced`: the same with toNodeHandler's opt-in `overrideGlobalObjects: true`, the
 *   setup `hono-same-work` runs in.
 * All but `bare` ask the same real Vizzly provider, which reuses tokens per claims as in production.
 */
import type http from 'node:http';
import type { Context } from 'hono';
import { createIdentityHandler } from '../src/server/handler.js';
import { toNodeHandler } from '../src/server/node.js';
import type { IdentityProvider, IdentityRequestBody } from '../src/server/types.js';
import * as vizzly from '../src/server/vizzly.js';

export const MODES = [
  'bare',
  'hono',
  'hono-same-work',
  'hono-same-work-globals-kept',
  'identity',
  'identity-globals-replaced',
] as const;
export type Mode = (typeof MODES)[number];

interface User {
  id: string;
}

/** The user of a `sid=<id>` cookie, as every app here authenticates. */
const userOf = (cookie: string | null | undefined): User | null =>
  cookie?.startsWith('sid=') ? { id: cookie.slice(4) } : null;

/** The real Vizzly provider: 2 ES256 tokens per user (dashboard + data), reused per claims as in production. */
async function vizzlyProvider(): Promise<IdentityProvider<User>> {
  const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
  ])) as CryptoKeyPair;
  const signer = vizzly.createSigner({ privateKey, ttlMinutes: 60, projectId: 'prj_bench' });
  await signer.ready();
  return vizzly.identityProvider<User>({
    signer,
    claims: (user) => ({
      dashboard: { userReference: user.id, scope: 'read_write', accessType: 'standard' },
      data: { dataSetIds: '*', secureFilters: {} },
    }),
  });
}
const PROVIDER_KIND = 'real vizzly.identityProvider + createSigner (dashboard + data tokens)';

function bareListener(): http.RequestListener {
  const payload = JSON.stringify({
    vendor: 'vizzly',
    tokens: { dashboardAccessToken: 'x'.repeat(300) },
    expiresIn: 3600,
  });
  return (req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
    });
  };
}

/** Hono as usually written: no Content-Type, size or shape checks, no deadline, no extra headers. */
/** The provider's tokens as the wire contract's answer, as both Hono apps send it. */
async function answer(provider: IdentityProvider<User>, user: User, c: Context, body: IdentityRequestBody) {
  const result = await provider({ user, request: c.req.raw, body });
  return { vendor: body.vendor, tokens: result.tokens, expiresIn: result.expiresIn, expiresAt: result.expiresAt };
}

async function honoAsIs(provider: IdentityProvider<User>) {
  const { Hono } = await import('hono');
  const app = new Hono();
  app.post('/api/embed/identity', async (c) => {
    const user = userOf(c.req.header('cookie'));
    if (!user) return c.json({ error: { code: 'unauthenticated' } }, 401);
    const body = (await c.req.json()) as IdentityRequestBody;
    c.header('cache-control', 'no-store');
    return c.json(await answer(provider, user, c, body));
  });
  return app;
}

const MAX_BODY_BYTES = 16 * 1024;
const DEADLINE_MS = 10_000;
const BODY_FIELDS = new Set(['vendor', 'dashboardId', 'context', 'action']);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body's shape, as a careful hand-written check would have it: a message naming the field, or the body. */
function checkBody(value: unknown, vendors: ReadonlySet<string>): string | IdentityRequestBody {
  if (!isObject(value)) return 'The body must be a JSON object.';
  for (const key of Object.keys(value)) if (!BODY_FIELDS.has(key)) return `Unknown field ${JSON.stringify(key)}.`;
  const { vendor, dashboardId, context = {}, action } = value;
  if (typeof vendor !== 'string' || !vendors.has(vendor)) return '"vendor" must name a configured vendor.';
  if (dashboardId !== undefined && (typeof dashboardId !== 'string' || dashboardId === '' || dashboardId.length > 256))
    return '"dashboardId" must be a string of 1 to 256 characters.';
  if (!isObject(context)) return '"context" must be a JSON object.';
  if (action !== undefined && (typeof action !== 'string' || action === '' || action.length > 64))
    return '"action" must be a string of 1 to 64 characters.';
  return { vendor, context, ...(dashboardId === undefined ? {} : { dashboardId }), ...(action ? { action } : {}) };
}

/**
 * The Hono app a careful engineer writes for the same wire contract: POST only, `application/json`
 * (415), the size capped before reading (413: the declared length, else Hono's `bodyLimit`), the user first
 * (401), JSON and shape checked (400 naming the field), the same `Cache-Control` and `nosniff`
 * headers (node:http adds `Date`), and a deadline with Hono's `timeout` (503). What it still does
 * less than the handler, so that the comparison leans towards Hono: its deadline aborts nothing
 * (hono/timeout only answers), its Content-Type check ignores a `charset`, and `context` is taken
 * as parsed (no copy refusing `__proto__` keys or deep nesting).
 */
async function honoSameWork(provider: IdentityProvider<User>) {
  const { Hono } = await import('hono');
  const { HTTPException } = await import('hono/http-exception');
  const { bodyLimit } = await import('hono/body-limit');
  const { timeout } = await import('hono/timeout');
  const vendors = new Set(['vizzly']);
  const problem = (c: Context, status: 400 | 401 | 405 | 413 | 415 | 500 | 503, code: string, message: string) => {
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    return c.json({ error: { code, message } }, status);
  };
  const app = new Hono();
  app.use(
    '/api/embed/identity',
    timeout(
      DEADLINE_MS,
      (c) => new HTTPException(503, { res: problem(c, 503, 'upstream-error', 'Try again shortly.') }),
    ),
  );
  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/api/embed/identity', (c) => {
    c.header('allow', 'POST, OPTIONS');
    return problem(c, 405, 'method-not-allowed', 'Use POST.');
  });
  const streamedLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => problem(c, 413, 'payload-too-large', 'Too large.'),
  });
  app.post(
    '/api/embed/identity',
    // bodyLimit reads `c.req.raw.body`, which makes the Node bridge build a full Request with a web
    // stream (it more than doubled this app's CPU per request): a declared length is checked here,
    // and only a body without one (chunked) goes through it.
    (c, next) => {
      const declared = c.req.header('content-length');
      if (declared === undefined || !/^\d+$/.test(declared) || c.req.header('transfer-encoding') !== undefined)
        return streamedLimit(c, next);
      return Number(declared) > MAX_BODY_BYTES ? problem(c, 413, 'payload-too-large', 'Too large.') : next();
    },
    async (c) => {
      const type = c.req.header('content-type')?.toLowerCase();
      if (type !== 'application/json' && !type?.startsWith('application/json;'))
        return problem(c, 415, 'unsupported-media-type', 'Send application/json.');
      const user = userOf(c.req.header('cookie'));
      if (!user) return problem(c, 401, 'unauthenticated', 'Sign in.');
      let parsed: unknown;
      try {
        parsed = await c.req.json();
      } catch {
        return problem(c, 400, 'invalid-request', 'The body is not valid JSON.');
      }
      const body = checkBody(parsed, vendors);
      if (typeof body === 'string') return problem(c, 400, 'invalid-request', body);
      c.header('cache-control', 'no-store');
      c.header('x-content-type-options', 'nosniff');
      return c.json(await answer(provider, user, c, body));
    },
  );
  app.onError((error, c) =>
    error instanceof HTTPException ? error.getResponse() : problem(c, 500, 'internal-error', 'Failed.'),
  );
  return app;
}

/** The request listener and a description of one mode. */
export async function listenerFor(mode: Mode): Promise<{ listener: http.RequestListener; kind: string }> {
  if (mode === 'bare') return { listener: bareListener(), kind: 'fixed JSON' };
  const provider = await vizzlyProvider();
  if (mode === 'identity' || mode === 'identity-globals-replaced') {
    const handler = createIdentityHandler<User>({
      authenticate: (request) => userOf(request.headers.get('cookie')),
      vendors: { vizzly: provider },
    });
    const overrideGlobalObjects = mode === 'identity-globals-replaced';
    return {
      listener: toNodeHandler(handler, { overrideGlobalObjects }) as http.RequestListener,
      kind: `toNodeHandler (globals ${overrideGlobalObjects ? 'replaced' : 'kept'}), ${PROVIDER_KIND}`,
    };
  }
  const { getRequestListener } = await import('@hono/node-server');
  const app = mode === 'hono' ? await honoAsIs(provider) : await honoSameWork(provider);
  const overrideGlobalObjects = mode !== 'hono-same-work-globals-kept';
  return {
    listener: getRequestListener(app.fetch, { overrideGlobalObjects }) as http.RequestListener,
    kind: `Hono app (${mode === 'hono' ? 'as usually written' : 'same work'}, globals ${overrideGlobalObjects ? 'replaced' : 'kept'}), ${PROVIDER_KIND}`,
  };
}
