// The handler bench compares toNodeHandler with a Hono app said to do "the same work": this holds it
// to that, request by request over loopback, so that the comparison cannot quietly lean on a Hono app
// that skips a check. (Only the globals-kept variant runs here: the other replaces this process's
// global Request/Response; it is the same app.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import http from 'node:http';
import { listenerFor } from '../../bench/identity-handler-apps.js';
import { listenOnLoopback } from '../server/standin-server.js';

const PATH = '/api/embed/identity';
const OK_HEADERS = { 'content-type': 'application/json', cookie: 'sid=u-1' };

interface Outcome {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with node:http (fetch cannot send a chunked body of a chosen size or a bad Content-Length). */
function send(base: string, method: string, headers: Record<string, string>, body?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${PATH}`, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const cases: Array<[string, string, Record<string, string>, string | undefined, number]> = [
  ['a signed-in POST', 'POST', OK_HEADERS, '{"vendor":"vizzly","dashboardId":"d","context":{"a":1}}', 200],
  ['no session cookie', 'POST', { 'content-type': 'application/json' }, '{"vendor":"vizzly"}', 401],
  ['not JSON', 'POST', { ...OK_HEADERS, 'content-type': 'text/plain' }, '{"vendor":"vizzly"}', 415],
  [
    'a declared body over 16 KiB',
    'POST',
    OK_HEADERS,
    `{"vendor":"vizzly","context":{"x":"${'a'.repeat(17_000)}"}}`,
    413,
  ],
  [
    'a chunked body over 16 KiB',
    'POST',
    { ...OK_HEADERS, 'transfer-encoding': 'chunked' },
    `{"vendor":"vizzly","context":{"x":"${'a'.repeat(17_000)}"}}`,
    413,
  ],
  ['malformed JSON', 'POST', OK_HEADERS, '{"vendor":', 400],
  ['an unknown field', 'POST', OK_HEADERS, '{"vendor":"vizzly","extra":1}', 400],
  ['an unknown vendor', 'POST', OK_HEADERS, '{"vendor":"nope"}', 400],
  ['a dashboardId that is no string', 'POST', OK_HEADERS, '{"vendor":"vizzly","dashboardId":7}', 400],
  ['a context that is no object', 'POST', OK_HEADERS, '{"vendor":"vizzly","context":[1]}', 400],
  ['an empty action', 'POST', OK_HEADERS, '{"vendor":"vizzly","action":""}', 400],
  ['GET', 'GET', OK_HEADERS, undefined, 405],
];

describe('the Hono app of the handler bench does the same work as the handler', () => {
  const servers: Record<string, { url: string; close: () => Promise<void> }> = {};
  before(async () => {
    for (const mode of ['identity', 'hono-same-work-globals-kept'] as const) {
      const { listener } = await listenerFor(mode);
      servers[mode] = await listenOnLoopback(listener);
    }
  });
  after(async () => {
    for (const server of Object.values(servers)) await server.close();
  });

  for (const [name, method, headers, body, status] of cases) {
    it(`answers ${status} to ${name}, as the handler does, with the same headers`, async () => {
      for (const [mode, server] of Object.entries(servers)) {
        const outcome = await send(server.url, method, headers, body);
        assert.equal(outcome.status, status, `${mode}: ${outcome.body.slice(0, 200)}`);
        assert.equal(outcome.headers['cache-control'], 'no-store', mode);
        assert.equal(outcome.headers['x-content-type-options'], 'nosniff', mode);
        assert.ok(outcome.headers.date, mode);
        assert.match(String(outcome.headers['content-type']), /^application\/json/, mode);
        if (status === 405) assert.equal(outcome.headers.allow, 'POST, OPTIONS', mode);
        const json = JSON.parse(outcome.body) as { tokens?: object; error?: { code: string } };
        if (status === 200) assert.deepEqual(Object.keys(json), ['vendor', 'tokens', 'expiresIn', 'expiresAt'], mode);
        else assert.equal(typeof json.error?.code, 'string', mode);
      }
    });
  }
});
