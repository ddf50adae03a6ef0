// toNodeHandler's fast path for createIdentityHandler: taken only for the identity handler, the Request
// it hands to the app (real method, URL and headers, no body), the body read from the socket in its
// different shapes (already whole, arriving late, cut off), and the pieces that keep answers cheap.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import fc from 'fast-check';
import { createIdentityHandler } from '../../src/server/handler.js';
import { IDENTITY_CORE } from '../../src/server/handler/core.js';
import { stringifyResponseBody } from '../../src/server/handler/answer-json.js';
import type { IdentityResponseBody } from '../../src/server/handler/expiry.js';
import { toResponseBody } from '../../src/server/handler/expiry.js';
import { bodylessRequest } from '../../src/server/handler/node-request.js';
import { httpDate } from '../../src/server/handler/respond.js';
import { toNodeHandler } from '../../src/server/node.js';
import { listenOnLoopback } from './standin-server.js';

const JSON_HEADERS = { 'content-type': 'application/json', cookie: 'sid=ok' };

function recordingHandler(authenticateDelayMs?: number) {
  const seen: Request[] = [];
  const errors: unknown[] = [];
  const handler = createIdentityHandler<{ id: string }>({
    authenticate: async (request) => {
      seen.push(request);
      if (authenticateDelayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, authenticateDelayMs));
      return request.headers.get('cookie') === 'sid=ok' ? { id: 'u-1' } : null;
    },
    vendors: { stub: async ({ body }) => ({ tokens: { echo: JSON.stringify(body.context) } }) },
    maxBodyBytes: 1024,
    onError: (error) => errors.push(error),
  });
  return { handler, seen, errors };
}

/** Sends headers at once and the body in `parts`, `gapMs` apart; resolves with the answer. */
function send(
  url: string,
  headers: Record<string, string>,
  parts: string[],
  gapMs = 0,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.on('error', reject);
    request.flushHeaders();
    let index = 0;
    const next = (): void => {
      if (index === parts.length) {
        request.end();
        return;
      }
      request.write(parts[index++]);
      setTimeout(next, gapMs);
    };
    setTimeout(next, gapMs);
  });
}

describe('toNodeHandler fast path', () => {
  it('exposes the core on the handler under a non-enumerable symbol', () => {
    const { handler } = recordingHandler();
    const access = (handler as unknown as Record<symbol, { version: number; maxBodyBytes: number; answer: unknown }>)[
      IDENTITY_CORE
    ];
    assert.equal(access?.version, 1);
    assert.equal(access?.maxBodyBytes, 1024);
    assert.equal(typeof access?.answer, 'function');
    assert.deepEqual(Object.keys(handler), []);
    assert.equal(IDENTITY_CORE, Symbol.for('embed-dashboard.identity-handler'));
  });

  it('is taken for the identity handler: the app sees the real method, URL and headers and no body', async () => {
    const { handler, seen } = recordingHandler();
    const { url, close } = await listenOnLoopback(toNodeHandler(handler));
    try {
      const answer = await send(`${url}/api/id?q=1`, { ...JSON_HEADERS, 'x-tag': 'a' }, [
        '{"vendor":"stub","context":{"k":"v"}}',
      ]);
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text).tokens, { echo: '{"k":"v"}' });
      const request = seen[0]!;
      assert.ok(request instanceof Request);
      assert.equal(request.method, 'POST');
      assert.equal(request.url, `${url}/api/id?q=1`);
      assert.equal(request.headers.get('x-tag'), 'a');
      assert.equal(request.headers.get('content-type'), 'application/json');
      assert.equal(request.body, null, 'the fast path hands the app a bodyless Request');
    } finally {
      await close();
    }
  });

  it('is not taken for a plain Web handler, which still gets the streamed body', async () => {
    const { url, close } = await listenOnLoopback(
      toNodeHandler(
        async (request) =>
          new Response(`${request.body === null ? 'no body' : 'streamed'}:${await request.text()}`, { status: 200 }),
      ),
    );
    try {
      const answer = await send(`${url}/`, { 'content-type': 'text/plain' }, ['hello ', 'world'], 10);
      assert.equal(answer.status, 200);
      assert.equal(answer.text, 'streamed:hello world');
    } finally {
      await close();
    }
  });

  it('combines repeated request headers as the generic path does', async () => {
    const { handler, seen } = recordingHandler();
    const fast = await listenOnLoopback(toNodeHandler(handler));
    const generic = await listenOnLoopback(toNodeHandler((request) => handler(request)));
    try {
      for (const base of [fast.url, generic.url]) {
        const status = await new Promise<number>((resolve, reject) => {
          const request = http.request(
            `${base}/`,
            { method: 'POST', headers: { ...JSON_HEADERS, 'x-tag': ['a', 'b'] } },
            (response) => {
              response.resume();
              resolve(response.statusCode ?? 0);
            },
          );
          request.on('error', reject);
          request.end('{"vendor":"stub"}');
        });
        assert.equal(status, 200);
      }
      assert.equal(seen.length, 2);
      assert.equal(seen[0]!.headers.get('x-tag'), 'a, b');
      // The same headers either way (Host differs only by the two servers' ports).
      const withoutHost = (request: Request) => [...request.headers].filter(([name]) => name !== 'host');
      assert.deepEqual(withoutHost(seen[0]!), withoutHost(seen[1]!));
    } finally {
      await fast.close();
      await generic.close();
    }
  });

  it('reads a body that arrives after the headers, chunk by chunk', async () => {
    const { handler } = recordingHandler();
    const { url, close } = await listenOnLoopback(toNodeHandler(handler));
    try {
      const answer = await send(
        `${url}/`,
        { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
        ['{"vendor":', '"stub","context":{"k":', '"late"}}'],
        15,
      );
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text).tokens, { echo: '{"k":"late"}' });
      // 413 as soon as the streamed bytes pass the limit, even while the client is still sending.
      const tooBig = await send(
        `${url}/`,
        { ...JSON_HEADERS, 'transfer-encoding': 'chunked' },
        ['{"vendor":"stub","context":{"x":"', 'x'.repeat(700), 'x'.repeat(700), '"}}'],
        15,
      );
      assert.equal(tooBig.status, 413);
    } finally {
      await close();
    }
  });

  it('reads a body already whole in the buffer (authenticate awaited first), with the same limits', async () => {
    const { handler } = recordingHandler(20);
    const { url, close } = await listenOnLoopback(toNodeHandler(handler));
    try {
      const ok = await send(`${url}/`, JSON_HEADERS, ['{"vendor":"stub","context":{"k":"buffered"}}']);
      assert.equal(ok.status, 200);
      assert.deepEqual(JSON.parse(ok.text).tokens, { echo: '{"k":"buffered"}' });
      const chunked = await send(`${url}/`, { ...JSON_HEADERS, 'transfer-encoding': 'chunked' }, [
        `{"vendor":"stub","context":{"x":"${'y'.repeat(1100)}"}}`,
      ]);
      assert.equal(chunked.status, 413);
      const notUtf8 = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${url}/`, { method: 'POST', headers: JSON_HEADERS }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end(Buffer.from([0x7b, 0xff, 0x7d]));
      });
      assert.equal(notUtf8, 400);
    } finally {
      await close();
    }
  });

  it(
    'takes a body sent with its headers from the buffer, without stream listeners; the request still ends and keep-alive goes on',
    { timeout: 5000 },
    async () => {
      const { handler } = recordingHandler();
      const node = toNodeHandler(handler);
      const observed: Array<{ dataListeners: number; ended: Promise<unknown> }> = [];
      const { url, close } = await listenOnLoopback((req, res) => {
        void node(req, res).then(() =>
          observed.push({
            dataListeners: req.listenerCount('data'),
            ended: req.readableEnded ? Promise.resolve() : once(req, 'end'),
          }),
        );
      });
      const raw = (context: string): string => {
        const body = `{"vendor":"stub","context":{"k":"${context}"}}`;
        return `POST /id HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nCookie: sid=ok\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      };
      const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
      try {
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received += chunk));
        const answers = async (count: number): Promise<string[]> => {
          while ((received.match(/HTTP\/1\.1 200/g) ?? []).length < count)
            await new Promise((resolve) => setTimeout(resolve, 5));
          return [...received.matchAll(/"echo":"(\{[^}]*\})"/g)].map((match) => match[1]!.replace(/\\"/g, '"'));
        };
        socket.write(raw('one'));
        assert.deepEqual(await answers(1), ['{"k":"one"}']);
        socket.write(raw('two') + raw('three')); // pipelined, one write
        assert.deepEqual(await answers(3), ['{"k":"one"}', '{"k":"two"}', '{"k":"three"}']);
        assert.deepEqual(
          observed.map((entry) => entry.dataListeners),
          [0, 0, 0],
        );
        await Promise.all(observed.map((entry) => entry.ended));
      } finally {
        socket.destroy();
        await close();
      }
    },
  );

  it('reports a client that hangs up midway to onError and keeps serving', { timeout: 5000 }, async () => {
    const { handler, errors } = recordingHandler();
    const { url, close } = await listenOnLoopback(toNodeHandler(handler));
    try {
      await new Promise<void>((resolve) => {
        const request = http.request(`${url}/`, {
          method: 'POST',
          headers: { ...JSON_HEADERS, 'content-length': '500' },
        });
        request.on('error', () => resolve());
        request.write('{"vendor":"stub"');
        setTimeout(() => request.destroy(), 30);
      });
      for (let wait = 0; errors.length === 0 && wait < 100; wait++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(errors.length, 1);
      assert.match(String((errors[0] as Error).message), /closed the connection/);
      const next = await send(`${url}/`, JSON_HEADERS, ['{"vendor":"stub"}']);
      assert.equal(next.status, 200);
    } finally {
      await close();
    }
  });

  it('leaves out a header value WHATWG Headers refuses, as the generic path does', () => {
    const req = {
      method: 'POST',
      url: '/x',
      headers: { host: 'app.test', 'content-length': '17' },
      rawHeaders: ['Host', 'app.test', 'X-Bad', 'a\u0000b', 'Content-Type', 'application/json', 'Content-Length', '17'],
      socket: {},
      readableEnded: false,
    } as unknown as IncomingMessage;
    const head = bodylessRequest(req, undefined);
    assert.equal(head.request.url, 'http://app.test/x');
    assert.equal(head.request.headers.get('x-bad'), null);
    assert.equal(head.request.headers.get('content-type'), 'application/json');
    assert.equal(head.contentLength, '17');
    assert.equal(head.request.body, null);
  });
});

describe('answer building', () => {
  const primitive = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  );
  const bodies = fc.record(
    {
      vendor: fc.string(),
      tokens: fc.dictionary(fc.string(), fc.oneof(primitive, fc.jsonValue())),
      expiresIn: fc.option(fc.nat(), { nil: null }),
      expiresAt: fc.option(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        { nil: null },
      ),
    },
    { requiredKeys: ['vendor', 'tokens'] },
  );

  it('stringifyResponseBody gives exactly JSON.stringify, first time and again', () => {
    fc.assert(
      fc.property(bodies, (body) => {
        const expected = JSON.stringify(body);
        assert.equal(stringifyResponseBody(body as IdentityResponseBody), expected);
        assert.equal(stringifyResponseBody(body as IdentityResponseBody), expected);
      }),
    );
  });

  it('stringifyResponseBody notices tokens changed in place, and unusual tokens objects', () => {
    const tokens: Record<string, unknown> = { a: 'one', b: 2 };
    const body = (): IdentityResponseBody => ({ vendor: 'v', tokens, expiresIn: 60 });
    assert.equal(stringifyResponseBody(body()), JSON.stringify(body()));
    tokens.a = 'two';
    assert.equal(stringifyResponseBody(body()), JSON.stringify(body()));
    tokens.c = { nested: true };
    assert.equal(stringifyResponseBody(body()), JSON.stringify(body()));
    delete tokens.c;
    delete tokens.b;
    assert.equal(stringifyResponseBody(body()), JSON.stringify(body()));
    const withToJson = { vendor: 'v', tokens: { a: 1, toJSON: () => ({ replaced: true }) } };
    assert.equal(stringifyResponseBody(withToJson as IdentityResponseBody), JSON.stringify(withToJson));
    class Tokens {
      a = 1;
    }
    const classy = { vendor: 'v', tokens: new Tokens() as unknown as Record<string, unknown> };
    assert.equal(stringifyResponseBody(classy), JSON.stringify(classy));
  });

  it('httpDate is Date#toUTCString, per second, wherever the clock goes', () => {
    for (const ms of [
      0, 999, 1000, 1_772_366_400_250, 1_772_366_400_999, 1_772_366_401_000, 1_772_366_400_000, -1, -1000, -1001,
    ]) {
      assert.equal(httpDate(ms), new Date(ms).toUTCString(), String(ms));
    }
  });

  it('toResponseBody parses each expiresAt correctly when several alternate', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const a = '2026-03-01T12:10:00Z';
    const b = '2026-03-01T13:00:00.500+01:00';
    for (const expiresAt of [a, b, a, a, b]) {
      const body = toResponseBody('v', { tokens: {}, expiresAt }, now);
      assert.equal(body.expiresAt, new Date(Date.parse(expiresAt)).toISOString());
      assert.equal(body.expiresIn, Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000)));
    }
    assert.throws(() => toResponseBody('v', { tokens: {}, expiresAt: 'tomorrow' }, now), /expiresAt/);
    assert.equal(toResponseBody('v', { tokens: {}, expiresAt: a }, now).expiresAt, '2026-03-01T12:10:00.000Z');
  });
});
