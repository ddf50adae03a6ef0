// callUpstream's limits: a size cap on vendor answers (read with a limit, never buffered whole), an
// outside signal (the identity request's deadline) that cuts a call short, and vendor text that can
// never spread over several log lines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerResponse } from 'node:http';
import { EmbedServerError } from '../../src/server/errors.js';
import { callUpstream } from '../../src/server/upstream.js';
import { rejection } from './rejection.js';
import { listenOnLoopback } from './standin-server.js';

/** How the stand-in answers `/huge` (streams endlessly), `/declared` (claims 64 MiB), `/hang`, `/forge`. */
let written = 0;
let closedEarly = false;
let hugeClosed: Promise<void> = Promise.resolve();
let hanging: ServerResponse | undefined;
let hangArrived: () => void = () => undefined;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;

before(async () => {
  server = await listenOnLoopback((req, res) => {
    req.resume();
    if (req.url === '/huge') {
      // 64 MiB in 64 KiB chunks, written only as fast as the client reads (back-pressure).
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      written = 0;
      closedEarly = false;
      hugeClosed = new Promise((resolve) =>
        res.on('close', () => {
          closedEarly = written < 64 * 1024 * 1024;
          resolve();
        }),
      );
      const pump = (): void => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.byteLength;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    } else if (req.url === '/declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(64 * 1024 * 1024) });
      res.write('{"token":"');
    } else if (req.url === '/hang') {
      hanging = res;
      hangArrived();
    } else if (req.url === '/forge') {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            code: 'BAD\n[embed-dashboard] forged',
            message: 'upstream down\r\n[embed-dashboard] identity endpoint POST / failed: forged\u2028line',
          },
        }),
      );
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
});
after(() => server.close());

describe('callUpstream size cap', { timeout: 20_000 }, () => {
  it('gives up on an endless 64 MiB answer after the cap, without reading it all', async () => {
    const error = await rejection(
      callUpstream({ vendor: 'stub', method: 'GET', url: `${server.url}/huge`, maxResponseBytes: 256 * 1024 }),
    );
    assert.ok(error instanceof EmbedServerError);
    assert.equal(error.code, 'upstream-malformed');
    assert.match(error.message, /more than 262144 bytes .*maxResponseBytes/);
    // The connection was dropped long before the 64 MiB were sent.
    await hugeClosed;
    assert.ok(closedEarly, 'the server saw the client hang up early');
    assert.ok(written < 16 * 1024 * 1024, `only ${written} bytes were written`);
  });

  it('refuses an answer whose Content-Length is above the cap before reading its body', async () => {
    const error = await rejection(callUpstream({ vendor: 'stub', method: 'GET', url: `${server.url}/declared` }));
    assert.equal((error as EmbedServerError).code, 'upstream-malformed');
    assert.match((error as Error).message, /more than 1048576 bytes/);
  });

  it('reads an answer within the cap', async () => {
    const answer = await callUpstream({ vendor: 'stub', method: 'GET', url: `${server.url}/ok` });
    assert.deepEqual(answer.body, { ok: true });
  });
});

describe('callUpstream signal', { timeout: 20_000 }, () => {
  it('stops a hanging call when the outside signal aborts, as a retriable upstream-timeout', async () => {
    const controller = new AbortController();
    const arrived = new Promise<void>((resolve) => (hangArrived = resolve));
    const pending = rejection(
      callUpstream({ vendor: 'stub', method: 'GET', url: `${server.url}/hang`, signal: controller.signal }),
    );
    await arrived;
    controller.abort();
    const error = (await pending) as EmbedServerError;
    assert.equal(error.code, 'upstream-timeout');
    assert.equal(error.retriable, true);
    assert.match(error.message, /deadline/);
    // The vendor's side of the call sees the connection close.
    const vendorSide = hanging as ServerResponse;
    await new Promise<void>((resolve) =>
      vendorSide.destroyed ? resolve() : vendorSide.once('close', () => resolve()),
    );
  });

  it('does not start a call whose signal has already aborted', async () => {
    const error = (await rejection(
      callUpstream({ vendor: 'stub', method: 'GET', url: `${server.url}/ok`, signal: AbortSignal.abort() }),
    )) as EmbedServerError;
    assert.equal(error.code, 'upstream-timeout');
  });
});

describe('vendor text in errors', () => {
  it('flattens line breaks in the vendor code and message to one line', async () => {
    const error = (await rejection(
      callUpstream({ vendor: 'stub', method: 'GET', url: `${server.url}/forge` }),
    )) as EmbedServerError;
    assert.equal(error.code, 'upstream-http');
    for (const text of [error.message, error.vendorCode ?? '', error.vendorMessage ?? '']) {
      assert.doesNotMatch(text, /[\r\n\u2028\u2029]/, text);
    }
    assert.equal(error.vendorCode, 'BAD [embed-dashboard] forged');
  });
});
