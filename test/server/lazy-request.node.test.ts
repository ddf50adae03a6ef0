// The Request toNodeHandler's fast path hands to `authenticate`, the providers and `onError`: cheap
// for method, URL and headers, and a whole Request for anything else an app may do with it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { lazyRequest } from '../../src/server/handler/lazy-request.js';
import { listenOnLoopback } from './standin-server.js';

function counted(init: Record<string, string>): { build: () => Headers; builds: () => number } {
  let builds = 0;
  return {
    build: () => {
      builds += 1;
      return new Headers(init);
    },
    builds: () => builds,
  };
}

describe('lazyRequest', () => {
  it('is a Request with the given method, URL and headers, and no body', () => {
    const headers = counted({ cookie: 'sid=1', 'content-type': 'application/json' });
    const request = lazyRequest('POST', 'http://app.test/api/id?q=1', headers.build);
    assert.ok(request instanceof Request);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, 'http://app.test/api/id?q=1');
    assert.equal(headers.builds(), 0, 'headers are built only when read');
    assert.equal(request.headers.get('cookie'), 'sid=1');
    assert.equal(request.headers, request.headers, 'the same Headers on every read');
    assert.equal(headers.builds(), 1);
    assert.equal(request.body, null);
    assert.equal(request.bodyUsed, false);
    assert.deepEqual(Object.keys(request), []);
    assert.equal(Object.prototype.toString.call(request), '[object Request]');
  });

  it('answers every other member from one real Request with the same method, URL and headers', async () => {
    const request = lazyRequest('POST', 'http://app.test/x', () => new Headers({ 'x-tag': 'a' }));
    assert.ok(request.signal instanceof AbortSignal);
    assert.equal(request.signal.aborted, false);
    assert.equal(request.signal, request.signal, 'one real Request, built once');
    assert.equal(request.credentials, 'same-origin');
    assert.equal(request.constructor, Request);
    assert.equal(request.clone, request.clone);
    const copy = request.clone();
    assert.ok(copy instanceof Request);
    assert.equal(copy.method, 'POST');
    assert.equal(copy.url, 'http://app.test/x');
    assert.equal(copy.headers.get('x-tag'), 'a');
    assert.equal(await request.text(), '');
    const rebuilt = new Request(request);
    assert.equal(rebuilt.url, 'http://app.test/x');
    assert.equal(rebuilt.headers.get('x-tag'), 'a');
  });

  it('can be passed to fetch like any Request', async () => {
    let seen: { method?: string; tag?: string | string[] } = {};
    const { url, close } = await listenOnLoopback((req, res) => {
      seen = { method: req.method, tag: req.headers['x-tag'] };
      res.end('ok');
    });
    try {
      const response = await fetch(lazyRequest('POST', `${url}/hook`, () => new Headers({ 'x-tag': 'a' })));
      assert.equal(await response.text(), 'ok');
      assert.deepEqual(seen, { method: 'POST', tag: 'a' });
    } finally {
      await close();
    }
  });

  it('shows the request when logged, instead of throwing', () => {
    const request = lazyRequest('POST', 'http://app.test/logged', () => new Headers({ 'x-tag': 'a' }));
    const shown = inspect(request);
    assert.match(shown, /http:\/\/app\.test\/logged/);
    assert.match(shown, /POST/);
  });

  it('keeps method, URL and headers readable for a method a real Request refuses, and refuses the rest as Request would', () => {
    const request = lazyRequest('TRACE', 'http://app.test/', () => new Headers());
    assert.equal(request.method, 'TRACE');
    assert.equal(request.headers.get('x'), null);
    assert.throws(() => request.signal, TypeError);
  });
});
