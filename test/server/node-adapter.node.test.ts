import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createIdentityHandler } from '../../src/server/handler.js';
import { toNodeHandler, type NodeHandler } from '../../src/server/node.js';
import type { ProviderContext } from '../../src/server/types.js';
import { listenOnLoopback } from './standin-server.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

// Taken before any request: the bridge would replace them at its first request if told to.
const [GlobalRequest, GlobalResponse] = [globalThis.Request, globalThis.Response];

const calls: Array<ProviderContext<{ id: string }>> = [];
const identity = createIdentityHandler<{ id: string }>({
  authenticate: (request) => (request.headers.get('cookie') === 'sid=ok' ? { id: 'u-7' } : null),
  vendors: {
    stub: async (context) => {
      calls.push(context);
      return { tokens: { t: `tok-${context.user.id}` }, expiresIn: 120 };
    },
  },
  maxBodyBytes: 1024,
  onError: () => undefined,
});

const json = { 'content-type': 'application/json', cookie: 'sid=ok' };

describe('toNodeHandler with node:http', () => {
  let url = '';
  let closeServer: () => Promise<void>;
  before(async () => {
    ({ url, close: closeServer } = await listenOnLoopback(toNodeHandler(identity)));
  });
  after(() => closeServer());

  it('serves the identity handler: status, JSON body, headers', async () => {
    calls.length = 0;
    const response = await fetch(`${url}/api/embed/identity?x=1`, {
      method: 'POST',
      headers: json,
      body: '{"vendor":"stub","context":{"a":1}}',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(response.headers.get('date'));
    const body = (await response.json()) as { tokens: unknown; expiresIn: number };
    assert.deepEqual(body.tokens, { t: 'tok-u-7' });
    assert.equal(body.expiresIn, 120);
    assert.equal(response.headers.get('content-length'), String(JSON.stringify(body).length));
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.request.url, `${url}/api/embed/identity?x=1`);
    assert.deepEqual(calls[0]!.body, { vendor: 'stub', context: { a: 1 } });
  });

  it('passes headers through to authenticate (401 without the cookie)', async () => {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"vendor":"stub"}',
    });
    assert.equal(response.status, 401);
  });

  it('answers 413 for a declared oversized body and keeps serving on the same server', async () => {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: json,
      body: `{"vendor":"stub","context":{"x":"${'a'.repeat(20_000)}"}}`,
    });
    assert.equal(response.status, 413);
    await response.arrayBuffer();
    const next = await fetch(`${url}/`, { method: 'POST', headers: json, body: '{"vendor":"stub"}' });
    assert.equal(next.status, 200);
  });

  it('answers 413 for a chunked body (no Content-Length) that streams past the limit', async () => {
    const result = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        `${url}/`,
        { method: 'POST', headers: { ...json, 'transfer-encoding': 'chunked' } },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.write('{"vendor":"stub","context":{"x":"');
      for (let i = 0; i < 8; i++) request.write('b'.repeat(256));
      request.end('"}}');
    });
    assert.equal(result.status, 413);
    assert.equal(JSON.parse(result.body).error.code, 'payload-too-large');
  });

  it(
    'closes the connection when the client goes on sending a large unread body after the answer',
    { timeout: 5000 },
    async () => {
      const { url: drainUrl, close: closeDrain } = await listenOnLoopback(toNodeHandler(identity));
      try {
        const declared = 64 * 1024 * 1024;
        let written = 0;
        const outcome = await new Promise<{ status: number; closed: boolean }>((resolve) => {
          let status = 0;
          const request = http.request(
            `${drainUrl}/`,
            { method: 'POST', headers: { ...json, 'content-length': String(declared) } },
            (response) => {
              status = response.statusCode ?? 0;
              response.resume();
              // The answer arrived while the upload goes on: keep sending past the drain limit.
              const timer = setInterval(() => {
                written += 8192;
                request.write('c'.repeat(8192));
              }, 2);
              request.socket?.once('close', () => {
                clearInterval(timer);
                resolve({ status, closed: true });
              });
            },
          );
          request.on('error', () => undefined);
          request.write('{"vendor":"stub"');
        });
        assert.equal(outcome.status, 413);
        assert.ok(outcome.closed);
        assert.ok(written < declared / 4, `closed after ${written} of ${declared} bytes`);
      } finally {
        await closeDrain();
      }
    },
  );

  it('answers 405 for GET, with Allow', async () => {
    const response = await fetch(`${url}/`);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST, OPTIONS');
  });

  it("leaves the app's global Request and Response as they were", async () => {
    const response = await fetch(`${url}/`, { method: 'POST', headers: json, body: '{"vendor":"stub"}' });
    assert.equal(response.status, 200);
    assert.equal(globalThis.Request, GlobalRequest);
    assert.equal(globalThis.Response, GlobalResponse);
    assert.equal(calls.at(-1)?.request instanceof GlobalRequest, true);
  });
});

describe('toNodeHandler options and generic handlers', () => {
  it('builds the URL from the Host header and the path', async () => {
    let seen = '';
    const { url, close } = await listenOnLoopback(
      toNodeHandler(async (request) => {
        seen = request.url;
        return new Response(null, { status: 204 });
      }),
    );
    try {
      const response = await fetch(`${url}/api/id?q=2`, { method: 'POST', body: 'x' });
      assert.equal(response.status, 204);
      assert.equal(seen, `${url}/api/id?q=2`);
    } finally {
      await close();
    }
  });

  it('writes several Set-Cookie headers apart and streams a non-JSON body', async () => {
    const { url, close } = await listenOnLoopback(
      toNodeHandler(async () => {
        const headers = new Headers({ 'content-type': 'text/plain' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode('hello '));
            controller.enqueue(encoder.encode('world'));
            controller.close();
          },
        });
        return new Response(body, { status: 201, headers });
      }),
    );
    try {
      const response = await fetch(`${url}/`, { method: 'POST', body: '' });
      assert.equal(response.status, 201);
      assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(await response.text(), 'hello world');
    } finally {
      await close();
    }
  });

  it('writes a sized answer whole: status, every header, both Set-Cookie values, the exact body', async () => {
    const { url, close } = await listenOnLoopback(
      toNodeHandler(async () => {
        const headers = new Headers({ 'content-type': 'application/json', 'content-length': '11', 'x-a': '1' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response('{"ok":true}', { status: 202, headers });
      }),
    );
    try {
      const response = await fetch(`${url}/`, { method: 'POST', body: '' });
      assert.equal(response.status, 202);
      assert.equal(response.headers.get('x-a'), '1');
      assert.equal(response.headers.get('content-length'), '11');
      assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(await response.text(), '{"ok":true}');
    } finally {
      await close();
    }
  });

  it('answers 500 internal-error when a handler throws and there is no next, without its message', async () => {
    const original = console.error;
    console.error = () => undefined;
    const { url, close } = await listenOnLoopback(
      toNodeHandler(async () => {
        throw new Error('SECRET');
      }),
    );
    try {
      const response = await fetch(`${url}/`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 500);
      const text = await response.text();
      assert.equal(JSON.parse(text).error.code, 'internal-error');
      assert.ok(!text.includes('SECRET'));
    } finally {
      console.error = original;
      await close();
    }
  });
});

/** A tiny Connect-style app: middlewares called in order with `next`, then an error handler. */
function connectApp(
  middlewares: Array<(req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void>,
): Listener {
  return (req, res) => {
    let index = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined) {
        res.statusCode = 599;
        res.end(`next got: ${(error as Error).message}`);
        return;
      }
      const middleware = middlewares[index++];
      if (!middleware) {
        res.statusCode = 404;
        res.end('no route');
        return;
      }
      middleware(req, res, next);
    };
    next();
  };
}

/** Like express.json(): reads the body, sets req.body and the `_body` flag, calls next. */
function jsonBodyParser(req: IncomingMessage, _res: ServerResponse, next: (error?: unknown) => void): void {
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return next();
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (text += chunk));
  req.on('end', () => {
    Object.assign(req, { body: JSON.parse(text), _body: true });
    next();
  });
}

describe('toNodeHandler as Connect/Express middleware', () => {
  it('calls next with an error saying what to do when a body parser already read the body', async () => {
    calls.length = 0;
    let seen: unknown;
    const handler: NodeHandler = toNodeHandler(identity);
    const { url, close } = await listenOnLoopback(
      connectApp([
        jsonBodyParser,
        (req, res, next) => {
          void handler(req, res, (error) => {
            seen = error;
            next(error);
          });
        },
      ]),
    );
    try {
      const response = await fetch(`${url}/identity`, {
        method: 'POST',
        headers: json,
        body: '{"vendor":"stub","dashboardId":"d-1"}',
      });
      assert.equal(response.status, 599);
      assert.match(String((seen as Error).message), /already read by earlier middleware.*before body parsers/);
      assert.equal(calls.length, 0);

      // A request the parser skipped (not JSON) streams through and meets the handler's own checks.
      const text = await fetch(`${url}/identity`, {
        method: 'POST',
        headers: { ...json, 'content-type': 'text/plain' },
        body: '{"vendor":"stub"}',
      });
      assert.equal(text.status, 415);
    } finally {
      await close();
    }
  });

  it('does not call next when the handler answers', async () => {
    let nextCalled = false;
    const handler = toNodeHandler(identity);
    const { url, close } = await listenOnLoopback(
      connectApp([(req, res) => void handler(req, res, () => (nextCalled = true))]),
    );
    try {
      const response = await fetch(`${url}/identity`, { method: 'POST', headers: json, body: '{"vendor":"stub"}' });
      assert.equal(response.status, 200);
      assert.equal(nextCalled, false);
    } finally {
      await close();
    }
  });

  it('calls next(error) when the handler throws', async () => {
    const { url, close } = await listenOnLoopback(
      connectApp([
        (req, res, next) =>
          void toNodeHandler(async () => {
            throw new Error('boom');
          })(req, res, next),
      ]),
    );
    try {
      const response = await fetch(`${url}/`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 599);
      assert.equal(await response.text(), 'next got: boom');
    } finally {
      await close();
    }
  });
});
