// The identity handler answers the same whichever way it is served: called directly as a Web handler,
// through toNodeHandler's fast path (the handler's core, no Web streams), or through toNodeHandler's
// generic path (any `(Request) => Promise<Response>`). Each scenario runs all three ways on a real
// node:http server and compares status, headers and JSON body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createIdentityHandler } from '../../src/server/handler.js';
import { EmbedServerError } from '../../src/server/errors.js';
import { toNodeHandler } from '../../src/server/node.js';
import { listenOnLoopback } from './standin-server.js';

const NOW = Date.parse('2026-03-01T12:00:00.250Z');
const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const JSON_HEADERS = { 'content-type': 'application/json', cookie: 'sid=ok' };

/** Headers whose values must agree between the paths (Date included: the clock is fixed). */
const COMPARED = [
  'content-type',
  'cache-control',
  'date',
  'x-content-type-options',
  'allow',
  'retry-after',
  'vary',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
];

const handler = createIdentityHandler<{ id: string }>({
  authenticate: (request) => (request.headers.get('cookie') === 'sid=ok' ? { id: 'u-1' } : null),
  vendors: {
    stub: async ({ user, body }) => ({
      tokens: { token: `for-${user.id}`, dashboard: body.dashboardId ?? null },
      expiresIn: 600,
    }),
    down: async () => {
      throw new EmbedServerError('upstream-http', 'vendor answered 401', { vendor: 'down', status: 401 });
    },
    busy: async () => {
      throw new EmbedServerError('upstream-http', 'vendor answered 503', {
        vendor: 'busy',
        status: 503,
        retriable: true,
      });
    },
    ended: async () => {
      throw new EmbedServerError('session-ended', 'session over', { vendor: 'ended' });
    },
    broken: async () => {
      throw new TypeError('bug');
    },
  },
  allowedOrigins: [APP],
  allowedHeaders: ['authorization'],
  maxBodyBytes: 1024,
  now: () => NOW,
  onError: () => undefined,
});

/** One request, as bytes on the wire (chunks: sent chunked, without Content-Length). */
interface Scenario {
  name: string;
  method: string;
  path?: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  chunks?: string[];
  /** The expected status, so that a scenario cannot pass by all paths being equally wrong. */
  status: number;
  code?: string;
}

const big = `{"vendor":"stub","context":{"x":"${'a'.repeat(2000)}"}}`;
const scenarios: Scenario[] = [
  {
    name: '200 with tokens',
    method: 'POST',
    path: '/api/embed/identity?x=1',
    headers: JSON_HEADERS,
    body: '{"vendor":"stub","dashboardId":"d-1","context":{"a":1}}',
    status: 200,
  },
  {
    name: '200 from a chunked body within the limit',
    method: 'POST',
    headers: JSON_HEADERS,
    chunks: ['{"vendor":', '"stub"', '}'],
    status: 200,
  },
  {
    name: '401 without a session',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"vendor":"stub"}',
    status: 401,
    code: 'unauthenticated',
  },
  { name: '405 for GET', method: 'GET', headers: { cookie: 'sid=ok' }, status: 405, code: 'method-not-allowed' },
  {
    name: '405 for PUT with a body',
    method: 'PUT',
    headers: JSON_HEADERS,
    body: '{"vendor":"stub"}',
    status: 405,
    code: 'method-not-allowed',
  },
  {
    name: '415 for text/plain',
    method: 'POST',
    headers: { ...JSON_HEADERS, 'content-type': 'text/plain' },
    body: '{"vendor":"stub"}',
    status: 415,
    code: 'unsupported-media-type',
  },
  {
    name: '413 for a declared Content-Length over the limit',
    method: 'POST',
    headers: JSON_HEADERS,
    body: big,
    status: 413,
    code: 'payload-too-large',
  },
  {
    name: '413 for a chunked body streaming past the limit',
    method: 'POST',
    headers: JSON_HEADERS,
    chunks: ['{"vendor":"stub","context":{"x":"', ...Array<string>(8).fill('b'.repeat(256)), '"}}'],
    status: 413,
    code: 'payload-too-large',
  },
  {
    name: '400 for malformed JSON',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"stub"',
    status: 400,
    code: 'invalid-request',
  },
  {
    name: '400 for a body that is not UTF-8',
    method: 'POST',
    headers: JSON_HEADERS,
    body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    status: 400,
    code: 'invalid-request',
  },
  {
    name: '400 for an empty body',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '',
    status: 400,
    code: 'invalid-request',
  },
  {
    name: '400 for an unknown field',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"stub","userReference":"admin"}',
    status: 400,
    code: 'invalid-request',
  },
  {
    name: '400 for an unknown vendor',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"nope"}',
    status: 400,
    code: 'unknown-vendor',
  },
  {
    name: 'CORS: allowed origin gets the grant',
    method: 'POST',
    headers: { ...JSON_HEADERS, origin: APP },
    body: '{"vendor":"stub"}',
    status: 200,
  },
  {
    name: 'CORS: other origin gets no grant',
    method: 'POST',
    headers: { ...JSON_HEADERS, origin: EVIL },
    body: '{"vendor":"stub"}',
    status: 200,
  },
  {
    name: 'CORS: error answers keep the grant',
    method: 'POST',
    headers: { origin: APP, 'content-type': 'text/plain' },
    body: 'x',
    status: 415,
    code: 'unsupported-media-type',
  },
  {
    name: 'CORS: preflight from an allowed origin',
    method: 'OPTIONS',
    headers: {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
    status: 204,
  },
  {
    name: 'CORS: preflight from another origin',
    method: 'OPTIONS',
    headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    status: 403,
  },
  { name: 'plain OPTIONS', method: 'OPTIONS', headers: {}, status: 204 },
  {
    name: '502 for a vendor that refused us',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"down"}',
    status: 502,
    code: 'upstream-error',
  },
  {
    name: '503 + Retry-After for a vendor that may recover',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"busy"}',
    status: 503,
    code: 'upstream-error',
  },
  {
    name: '409 for an ended session',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"ended"}',
    status: 409,
    code: 'session-ended',
  },
  {
    name: '500 for a provider bug',
    method: 'POST',
    headers: JSON_HEADERS,
    body: '{"vendor":"broken"}',
    status: 500,
    code: 'internal-error',
  },
];

/** What the comparison looks at. */
interface Outcome {
  status: number;
  headers: Record<string, string | null>;
  json: unknown;
}

function outcome(status: number, header: (name: string) => string | null, text: string): Outcome {
  const headers: Record<string, string | null> = {};
  for (const name of COMPARED) headers[name] = header(name);
  return { status, headers, json: text === '' ? null : JSON.parse(text) };
}

/** Sends a scenario over node:http and reads the whole answer. */
function overHttp(base: string, scenario: Scenario): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...scenario.headers };
    if (scenario.chunks) headers['transfer-encoding'] = 'chunked';
    const request = http.request(`${base}${scenario.path ?? '/'}`, { method: scenario.method, headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (chunk: Buffer) => parts.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        if (text !== '') {
          // The node paths always say how long a JSON answer is.
          assert.equal(
            response.headers['content-length'],
            String(Buffer.byteLength(text)),
            `${scenario.name}: Content-Length`,
          );
        }
        const header = (name: string): string | null => {
          const value = response.headers[name];
          return value === undefined ? null : String(value);
        };
        resolve(outcome(response.statusCode ?? 0, header, text));
      });
    });
    request.on('error', reject);
    if (scenario.chunks) {
      for (const chunk of scenario.chunks) request.write(chunk);
      request.end();
    } else {
      request.end(scenario.body === undefined ? undefined : scenario.body);
    }
  });
}

/** Calls the Web handler directly with the same request. */
async function direct(base: string, scenario: Scenario): Promise<Outcome> {
  const headers: Record<string, string> = { ...scenario.headers };
  let body: BodyInit | undefined;
  if (scenario.chunks) {
    const encoder = new TextEncoder();
    const chunks = scenario.chunks;
    body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
        controller.close();
      },
    });
  } else if (scenario.body !== undefined) {
    const bytes = typeof scenario.body === 'string' ? new TextEncoder().encode(scenario.body) : scenario.body;
    // node:http declares the length of a whole body; so does this request.
    headers['content-length'] = String(bytes.byteLength);
    body = new Uint8Array(bytes);
  }
  const response = await handler(
    new Request(`${base}${scenario.path ?? '/'}`, {
      method: scenario.method,
      headers,
      body,
      duplex: 'half',
    } as RequestInit),
  );
  return outcome(response.status, (name) => response.headers.get(name), await response.text());
}

describe('identity handler: the same answers directly, through the node fast path and the generic path', () => {
  let fast: Awaited<ReturnType<typeof listenOnLoopback>>;
  let generic: Awaited<ReturnType<typeof listenOnLoopback>>;
  before(async () => {
    fast = await listenOnLoopback(toNodeHandler(handler));
    // A wrapper is a plain Web handler: toNodeHandler serves it with Request/Response streams.
    generic = await listenOnLoopback(toNodeHandler((request) => handler(request)));
  });
  after(async () => {
    await fast.close();
    await generic.close();
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const viaWeb = await direct(fast.url, scenario);
      const viaFast = await overHttp(fast.url, scenario);
      const viaGeneric = await overHttp(generic.url, scenario);
      assert.equal(viaWeb.status, scenario.status, 'expected status');
      if (scenario.code) assert.equal((viaWeb.json as { error: { code: string } }).error.code, scenario.code);
      assert.deepEqual(viaFast, viaWeb, 'node fast path = Web handler');
      assert.deepEqual(viaGeneric, viaWeb, 'node generic path = Web handler');
    });
  }

  it('the 200 answer carries the tokens, expiry and headers the scenarios compare', async () => {
    const answer = await overHttp(fast.url, scenarios[0]!);
    assert.deepEqual(answer.json, {
      vendor: 'stub',
      tokens: { token: 'for-u-1', dashboard: 'd-1' },
      expiresIn: 600,
      expiresAt: '2026-03-01T12:10:00.250Z',
    });
    assert.equal(answer.headers.date, 'Sun, 01 Mar 2026 12:00:00 GMT');
    assert.equal(answer.headers.vary, 'Origin');
  });
});

/** Like express.json(): reads the body, sets req.body and the `_body` flag. */
function jsonBodyParser(req: IncomingMessage, done: () => void): void {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk));
  req.on('end', () => {
    Object.assign(req, { body: JSON.parse(text), _body: true });
    done();
  });
}

describe('identity handler behind a body parser (Express req.body): same answers as the Web handler', () => {
  const cases: Scenario[] = [
    { name: '200', method: 'POST', headers: JSON_HEADERS, body: '{"vendor":"stub","dashboardId":"d-2"}', status: 200 },
    {
      name: '413 for a re-serialised body over the limit',
      method: 'POST',
      headers: JSON_HEADERS,
      body: big,
      status: 413,
      code: 'payload-too-large',
    },
    {
      name: '400 for an unknown vendor',
      method: 'POST',
      headers: JSON_HEADERS,
      body: '{"vendor":"nope"}',
      status: 400,
      code: 'unknown-vendor',
    },
    {
      name: '401',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"vendor":"stub"}',
      status: 401,
      code: 'unauthenticated',
    },
  ];
  for (const scenario of cases) {
    it(scenario.name, async () => {
      const listen = (node: ReturnType<typeof toNodeHandler>) => (req: IncomingMessage, res: ServerResponse) =>
        jsonBodyParser(req, () => void node(req, res));
      const fast = await listenOnLoopback(listen(toNodeHandler(handler)));
      const generic = await listenOnLoopback(listen(toNodeHandler((request) => handler(request))));
      try {
        const viaWeb = await direct(fast.url, scenario);
        assert.equal(viaWeb.status, scenario.status);
        if (scenario.code) assert.equal((viaWeb.json as { error: { code: string } }).error.code, scenario.code);
        assert.deepEqual(await overHttp(fast.url, scenario), viaWeb);
        assert.deepEqual(await overHttp(generic.url, scenario), viaWeb);
      } finally {
        await fast.close();
        await generic.close();
      }
    });
  }

  it('measures the re-serialised body, not the declared one, on both node paths', async () => {
    const listen = (node: ReturnType<typeof toNodeHandler>) => (req: IncomingMessage, res: ServerResponse) =>
      jsonBodyParser(req, () => void node(req, res));
    const fast = await listenOnLoopback(listen(toNodeHandler(handler)));
    const generic = await listenOnLoopback(listen(toNodeHandler((request) => handler(request))));
    try {
      // 1,500 bytes on the wire (over maxBodyBytes), 17 once parsed and serialised again.
      const padded: Scenario = {
        name: 'padded',
        method: 'POST',
        headers: JSON_HEADERS,
        body: `{"vendor":"stub"${' '.repeat(1483)}}`,
        status: 200,
      };
      const viaFast = await overHttp(fast.url, padded);
      assert.equal(viaFast.status, 200);
      assert.deepEqual(await overHttp(generic.url, padded), viaFast);
    } finally {
      await fast.close();
      await generic.close();
    }
  });
});
