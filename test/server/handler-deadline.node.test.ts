// One deadline for a whole identity request: past `deadlineMs` the browser gets a retriable 503,
// whatever the providers' own timeouts add up to, and the providers' `signal` aborts their vendor calls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IncomingMessage } from 'node:http';
import { createIdentityHandler } from '../../src/server/handler.js';
import { EmbedServerError } from '../../src/server/errors.js';
import { callUpstream } from '../../src/server/upstream.js';
import { rejection } from './rejection.js';
import { listenOnLoopback } from './standin-server.js';

/** A vendor API that never answers; it records when each call's connection closes. */
let vendor: Awaited<ReturnType<typeof listenOnLoopback>>;
const closed: number[] = [];
let seen = 0;
before(async () => {
  vendor = await listenOnLoopback((req: IncomingMessage) => {
    seen += 1;
    req.resume();
    req.socket.once('close', () => closed.push(Date.now()));
  });
});
after(() => vendor.close());

/** An identity request for the `slow` vendor; `signal` stands for the client (aborted: it went away). */
const post = (signal?: AbortSignal): Request =>
  new Request('https://app.example.com/api/embed/identity', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"vendor":"slow"}',
    ...(signal ? { signal } : {}),
  });

describe('identity request deadline', { timeout: 20_000 }, () => {
  it('answers 503 at the deadline although each vendor call has a longer timeout, and aborts the calls', async () => {
    const errors: unknown[] = [];
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      deadlineMs: 150,
      onError: (error) => errors.push(error),
      vendors: {
        // Like Looker: two calls in a row, 10 s timeout each.
        slow: async ({ signal }) => {
          await callUpstream({ vendor: 'slow', method: 'GET', url: `${vendor.url}/login`, timeoutMs: 10_000, signal });
          await callUpstream({ vendor: 'slow', method: 'GET', url: `${vendor.url}/token`, timeoutMs: 10_000, signal });
          return { tokens: { t: 'x' }, expiresIn: 60 };
        },
      },
    });
    closed.length = 0;
    seen = 0;
    const started = Date.now();
    const response = await handler(post());
    const took = Date.now() - started;
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'upstream-error');
    assert.ok(took < 2_000, `answered after ${took} ms`);
    const [error] = errors as EmbedServerError[];
    assert.equal(error?.code, 'upstream-timeout');
    assert.match(error!.message, /deadlineMs: 150 ms/);
    // The second call never started; the one in flight (if it got through at all) is closed.
    assert.ok(seen <= 1, `${seen} vendor calls`);
    while (closed.length < seen) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(closed.length, seen);
  });

  it('answers 503 at the deadline even when a provider ignores its signal, and releases the timer', async () => {
    let release: (() => void) | undefined;
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      deadlineMs: 50,
      onError: () => undefined,
      vendors: {
        slow: () =>
          new Promise((resolve) => {
            release = () => resolve({ tokens: { t: 'late' }, expiresIn: 60 });
          }),
      },
    });
    const response = await handler(post());
    assert.equal(response.status, 503);
    release?.();
  });

  it('gives the provider a signal that is not aborted on a fast answer', async () => {
    let seen: AbortSignal | undefined;
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      vendors: {
        slow: ({ signal }) => {
          seen = signal;
          return { tokens: { t: 'x' }, expiresIn: 60 };
        },
      },
    });
    assert.equal((await handler(post())).status, 200);
    assert.ok(seen instanceof AbortSignal && !seen.aborted);
  });

  it('gives a provider that reads its signal only after the deadline an aborted one, with the deadline error', async () => {
    let late: AbortSignal | undefined;
    let readLate!: () => void;
    const read = new Promise<void>((resolve) => (readLate = resolve));
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      deadlineMs: 30,
      onError: () => undefined,
      vendors: {
        slow: async (context) => {
          await new Promise((resolve) => setTimeout(resolve, 80));
          late = context.signal;
          readLate();
          return { tokens: { t: 'late' }, expiresIn: 60 };
        },
      },
    });
    assert.equal((await handler(post())).status, 503);
    await read;
    assert.equal(late?.aborted, true);
    assert.equal((late?.reason as EmbedServerError).code, 'upstream-timeout');
  });

  it("gives a provider that reads its signal after the client went away an aborted one, with the client's reason", async () => {
    const client = new AbortController();
    let seen: AbortSignal | undefined;
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      onError: () => undefined,
      vendors: {
        slow: async (context) => {
          client.abort(new Error('gone'));
          seen = context.signal;
          return { tokens: { t: 'x' }, expiresIn: 60 };
        },
      },
    });
    await handler(post(client.signal));
    assert.equal(seen?.aborted, true);
    assert.equal((seen?.reason as Error).message, 'gone');
  });

  it("aborts a provider's signal read earlier when the client goes away while it waits", async () => {
    const client = new AbortController();
    let aborted = false;
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      onError: () => undefined,
      vendors: {
        slow: ({ signal }) =>
          new Promise((_, reject) => {
            signal?.addEventListener('abort', () => {
              aborted = true;
              reject(signal.reason);
            });
            client.abort(new Error('gone'));
          }),
      },
    });
    await handler(post(client.signal));
    assert.equal(aborted, true);
  });

  it('refuses a deadlineMs that is not a positive number', async () => {
    for (const deadlineMs of [0, -1, Number.NaN, '10' as unknown as number]) {
      const error = await rejection(
        (async () =>
          createIdentityHandler({ authenticate: () => null, vendors: { a: () => ({ tokens: {} }) }, deadlineMs }))(),
      );
      assert.equal(error.code, 'invalid-input');
      assert.match(error.message, /deadlineMs/);
    }
  });
});
