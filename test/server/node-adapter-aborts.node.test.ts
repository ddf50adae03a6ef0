// Under toNodeHandler, a client that goes away is the client's business: `request.signal` aborts
// (so vendor calls stop), and a hang-up mid-body is neither a 500 nor an `onError` report.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import http from 'node:http';
import { createIdentityHandler } from '../../src/server/handler.js';
import { toNodeHandler } from '../../src/server/node.js';
import { listenOnLoopback } from './standin-server.js';

const JSON_HEADERS = { 'content-type': 'application/json', cookie: 'sid=ok' };

/** Sends the head and `firstBytes` of a body that declares more, then destroys the socket. */
function hangUpMidBody(url: string, firstBytes: string, declared: number): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(`${url}/api/embed/identity`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'content-length': String(declared) },
    });
    request.on('error', () => resolve());
    request.on('close', () => resolve());
    request.write(firstBytes, () => setTimeout(() => request.destroy(), 20));
  });
}

describe('toNodeHandler and clients that go away', { timeout: 20_000 }, () => {
  it('aborts request.signal, and the provider signal, when the client disconnects while waiting', async () => {
    let requestSignal: AbortSignal | undefined;
    let providerSignal: AbortSignal | undefined;
    const providerAborted = new Promise<void>((resolve) => {
      const handler = createIdentityHandler({
        authenticate: (request) => {
          requestSignal = request.signal;
          return { id: 'u' };
        },
        onError: () => assert.fail('a client going away is not reported'),
        vendors: {
          slow: ({ signal }) =>
            new Promise((_, reject) => {
              providerSignal = signal;
              signal?.addEventListener('abort', () => {
                resolve();
                reject(new Error('aborted'));
              });
            }),
        },
      });
      void listenOnLoopback(toNodeHandler(handler)).then(({ url, close }) => {
        const request = http.request(`${url}/`, { method: 'POST', headers: JSON_HEADERS });
        request.on('error', () => undefined);
        request.end('{"vendor":"slow"}');
        const timer = setInterval(() => {
          if (providerSignal) {
            clearInterval(timer);
            request.destroy();
          }
        }, 5);
        void providerAborted.then(close);
      });
    });
    await providerAborted;
    assert.equal(requestSignal?.aborted, true);
    assert.equal(providerSignal?.aborted, true);
  });

  it('neither reports nor answers 500 when the client hangs up mid-body', async () => {
    const reported: unknown[] = [];
    const statuses: number[] = [];
    let bodyFailed!: () => void;
    const seen = new Promise<void>((resolve) => (bodyFailed = resolve));
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      onError: (error) => reported.push(error),
      vendors: { stub: () => ({ tokens: { t: 'x' } }) },
    });
    const web = async (request: Request): Promise<Response> => {
      const response = await handler(request);
      statuses.push(response.status);
      bodyFailed();
      return response;
    };
    const original = console.error;
    const logged: string[] = [];
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    const { url, close } = await listenOnLoopback(toNodeHandler(web));
    try {
      await hangUpMidBody(url, '{"vendor":"st', 4000);
      await seen;
      assert.deepEqual(reported, []);
      assert.deepEqual(logged, []);
      assert.equal(statuses.length, 1);
      assert.ok(statuses[0]! < 500, `answered ${statuses[0]}`);
    } finally {
      console.error = original;
      await close();
    }
  });

  it('still answers the next request on the same server normally', async () => {
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      onError: () => undefined,
      vendors: { stub: () => ({ tokens: { t: 'x' }, expiresIn: 60 }) },
    });
    const { url, close } = await listenOnLoopback(toNodeHandler(handler));
    try {
      await hangUpMidBody(url, '{"vendor":"st', 4000);
      const response = await fetch(`${url}/`, { method: 'POST', headers: JSON_HEADERS, body: '{"vendor":"stub"}' });
      assert.equal(response.status, 200);
    } finally {
      await close();
    }
  });
});
