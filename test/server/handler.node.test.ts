import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIdentityHandler, MAX_BODY_BYTES_LIMIT, type IdentityHandlerOptions } from '../../src/server/handler.js';
import { EmbedServerError } from '../../src/server/errors.js';
import type { ProviderContext, VendorTokens } from '../../src/server/types.js';

const URL_ = 'http://app.test/api/embed/identity';
const NOW = Date.parse('2026-03-01T12:00:00.000Z');

interface User {
  id: string;
}

function handlerWith(overrides: Partial<IdentityHandlerOptions<User>> = {}) {
  const calls: ProviderContext<User>[] = [];
  const handler = createIdentityHandler<User>({
    authenticate: (request) => (request.headers.get('cookie') === 'session=ok' ? { id: 'u-1' } : null),
    vendors: {
      stub: async (context) => {
        calls.push(context);
        return { tokens: { token: `for-${context.user.id}` }, expiresIn: 600 };
      },
    },
    now: () => NOW,
    onError: () => undefined,
    ...overrides,
  });
  return { handler, calls };
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'session=ok', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const json = (await response.json()) as { error: { code: string; message: string } };
  return json.error;
}

describe('createIdentityHandler: configuration', () => {
  const provider = async (): Promise<VendorTokens> => ({ tokens: {} });
  it('refuses a missing authenticate, empty or non-function vendors, bad origins', () => {
    const cases: unknown[] = [
      undefined,
      { vendors: { a: provider } },
      { authenticate: () => null },
      { authenticate: () => null, vendors: {} },
      { authenticate: () => null, vendors: { a: 'nope' } },
      { authenticate: () => null, vendors: { a: provider }, allowedOrigins: ['*'] },
      { authenticate: () => null, vendors: { a: provider }, allowedOrigins: ['https://app.example.com/'] },
      { authenticate: () => null, vendors: { a: provider }, maxBodyBytes: 0 },
    ];
    for (const options of cases) {
      assert.throws(
        () => createIdentityHandler(options as IdentityHandlerOptions<unknown>),
        (error: unknown) => error instanceof EmbedServerError && error.code === 'invalid-input',
        JSON.stringify(options),
      );
    }
  });
});

describe('createIdentityHandler: request checks', () => {
  it('answers 401 unauthenticated when authenticate returns null, without calling the provider', async () => {
    const { handler, calls } = handlerWith();
    const response = await handler(post('{"vendor":"stub"}', { cookie: 'session=nope' }));
    assert.equal(response.status, 401);
    assert.equal((await errorOf(response)).code, 'unauthenticated');
    assert.equal(calls.length, 0);
  });

  it('answers 500 internal-error when authenticate throws, without its message', async () => {
    const seen: unknown[] = [];
    const { handler } = handlerWith({
      authenticate: () => {
        throw new Error('db password=SECRET-PW refused');
      },
      onError: (error) => seen.push(error),
    });
    const response = await handler(post('{"vendor":"stub"}'));
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.equal(JSON.parse(text).error.code, 'internal-error');
    assert.ok(!text.includes('SECRET'), text);
    assert.equal(seen.length, 1, 'onError receives the failure');
  });

  it('answers 405 with Allow for methods other than POST', async () => {
    const { handler } = handlerWith();
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await handler(new Request(URL_, { method, headers: { cookie: 'session=ok' } }));
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'POST, OPTIONS');
      assert.equal((await errorOf(response)).code, 'method-not-allowed');
    }
  });

  it('answers 415 unless the body is declared application/json (the CSRF guard)', async () => {
    const { handler, calls } = handlerWith();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/jsonx',
    ]) {
      const response = await handler(post('{"vendor":"stub"}', { 'content-type': type }));
      assert.equal(response.status, 415, type);
      assert.equal((await errorOf(response)).code, 'unsupported-media-type');
    }
    const noType = await handler(
      new Request(URL_, { method: 'POST', headers: { cookie: 'session=ok' }, body: new Uint8Array([123, 125]) }),
    );
    assert.equal(noType.status, 415);
    assert.equal(calls.length, 0);
    const ok = await handler(post('{"vendor":"stub"}', { 'content-type': 'Application/JSON; charset="UTF-8"' }));
    assert.equal(ok.status, 200);
  });

  it('answers 413 for a declared Content-Length over the limit, before authenticating', async () => {
    let authenticated = 0;
    const { handler } = handlerWith({
      maxBodyBytes: 100,
      authenticate: () => {
        authenticated++;
        return { id: 'u' };
      },
    });
    const response = await handler(post('{"vendor":"stub"}', { 'content-length': '101' }));
    assert.equal(response.status, 413);
    assert.equal((await errorOf(response)).code, 'payload-too-large');
    assert.equal(authenticated, 0);
  });

  it('answers 413 for a streamed body that grows over the limit, and stops reading it', async () => {
    const { handler, calls } = handlerWith({ maxBodyBytes: 1024 });
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(' '.repeat(300)));
      },
      cancel() {
        cancelled = true;
      },
    });
    const response = await handler(post(endless));
    assert.equal(response.status, 413);
    assert.ok(cancelled, 'the body stream is cancelled');
    assert.ok(pulled < 10, `stopped reading early (pulled ${pulled} chunks)`);
    assert.equal(calls.length, 0);
  });

  it('accepts a maxBodyBytes of 1 MiB and refuses a larger one, naming the limit', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES_LIMIT - 40);
    const { handler } = handlerWith({ maxBodyBytes: MAX_BODY_BYTES_LIMIT });
    const response = await handler(post(`{"vendor":"stub","context":{"x":"${big}"}}`));
    assert.equal(response.status, 200);
    assert.throws(
      () => handlerWith({ maxBodyBytes: MAX_BODY_BYTES_LIMIT + 1 }),
      (error: unknown) =>
        error instanceof EmbedServerError &&
        error.code === 'invalid-input' &&
        /maxBodyBytes.*1048576/.test(error.message),
    );
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const { handler } = handlerWith({ maxBodyBytes: 64 });
    const base = '{"vendor":"stub"}';
    const response = await handler(post(base + ' '.repeat(64 - base.length)));
    assert.equal(response.status, 200);
  });

  const badBodies: Array<[string, string, RegExp]> = [
    ['', 'invalid-request', /empty/],
    ['{"vendor":"stub"', 'invalid-request', /not valid JSON/],
    ['[{"vendor":"stub"}]', 'invalid-request', /JSON object/],
    ['null', 'invalid-request', /JSON object/],
    ['"stub"', 'invalid-request', /JSON object/],
    ['{}', 'invalid-request', /"vendor"/],
    ['{"vendor":42}', 'invalid-request', /"vendor"/],
    ['{"vendor":"stub","dashboardId":7}', 'invalid-request', /"dashboardId"/],
    [`{"vendor":"stub","dashboardId":"${'d'.repeat(257)}"}`, 'invalid-request', /"dashboardId"/],
    ['{"vendor":"stub","context":[1]}', 'invalid-request', /"context"/],
    ['{"vendor":"stub","context":"x"}', 'invalid-request', /"context"/],
    ['{"vendor":"stub","action":false}', 'invalid-request', /"action"/],
    ['{"vendor":"stub","userReference":"admin"}', 'invalid-request', /Unknown field "userReference"/],
    ['{"vendor":"stub","extra":1}', 'invalid-request', /Unknown field "extra"/],
    ['{"vendor":"nope"}', 'unknown-vendor', /"nope"/],
    ['{"vendor":"constructor"}', 'unknown-vendor', /"constructor"/],
    ['{"vendor":"toString"}', 'unknown-vendor', /"toString"/],
    ['{"vendor":"__proto__"}', 'unknown-vendor', /"__proto__"/],
  ];
  for (const [body, code, message] of badBodies) {
    it(`answers 400 ${code} for ${body.slice(0, 50) || '(empty)'}`, async () => {
      const { handler, calls } = handlerWith();
      const response = await handler(post(body));
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.equal(calls.length, 0);
    });
  }

  it('answers 400 for a body that is not UTF-8', async () => {
    const { handler } = handlerWith();
    const response = await handler(post(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])));
    assert.equal(response.status, 400);
    assert.match((await errorOf(response)).message, /UTF-8/);
  });
});

describe('createIdentityHandler: provider call', () => {
  it('passes the validated body only as `body`; access fields in context are not turned into anything', async () => {
    const { handler, calls } = handlerWith();
    const context = {
      userReference: 'admin',
      clientId: 'other-tenant',
      scope: 'read_write',
      permissions: [{ dashboard: '*' }],
      theme: 'dark',
    };
    const response = await handler(
      post(JSON.stringify({ vendor: 'stub', dashboardId: 'dsh_1', context, action: 'refresh' })),
    );
    assert.equal(response.status, 200);
    assert.equal(calls.length, 1);
    const call = calls[0]!;
    assert.deepEqual(Object.keys(call).sort(), ['body', 'request', 'signal', 'user']);
    assert.ok(call.signal instanceof AbortSignal && !call.signal.aborted, 'a live deadline signal');
    assert.deepEqual(call.user, { id: 'u-1' }, 'the user is what authenticate returned, untouched');
    assert.deepEqual(call.body, { vendor: 'stub', dashboardId: 'dsh_1', context, action: 'refresh' });
    assert.equal(call.request.headers.get('cookie'), 'session=ok');
    const json = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(json.tokens, { token: 'for-u-1' }, 'tokens come from the provider alone');
    assert.deepEqual(Object.keys(json).sort(), ['expiresAt', 'expiresIn', 'tokens', 'vendor']);
  });

  it('defaults context to {} and omits absent optional fields', async () => {
    const { handler, calls } = handlerWith();
    await handler(post('{"vendor":"stub"}'));
    assert.deepEqual(calls[0]!.body, { vendor: 'stub', context: {} });
  });

  it('routes to the named vendor among several', async () => {
    const { handler } = handlerWith({
      vendors: {
        a: async () => ({ tokens: { from: 'a' } }),
        b: async () => ({ tokens: { from: 'b' } }),
      },
    });
    const json = (await (await handler(post('{"vendor":"b"}'))).json()) as { vendor: string; tokens: unknown };
    assert.deepEqual(json, { vendor: 'b', tokens: { from: 'b' } });
  });

  it('takes an answer given at once as well as a promise; a synchronous throw fails like a rejection', async () => {
    const errors: unknown[] = [];
    const { handler } = handlerWith({
      vendors: {
        now: () => ({ tokens: { from: 'now' }, expiresIn: 60 }),
        broken: () => {
          throw new EmbedServerError('upstream-network', 'vendor down', { retriable: true, vendor: 'broken' });
        },
      },
      onError: (error) => errors.push(error),
    });
    const json = (await (await handler(post('{"vendor":"now"}'))).json()) as { tokens: unknown; expiresIn: number };
    assert.deepEqual(json.tokens, { from: 'now' });
    assert.equal(json.expiresIn, 60);
    const failed = await handler(post('{"vendor":"broken"}'));
    assert.equal(failed.status, 503);
    assert.equal((await errorOf(failed)).code, 'upstream-error');
    assert.equal(errors.length, 1);
  });
});

describe('createIdentityHandler: success response', () => {
  async function answer(result: VendorTokens, now = NOW) {
    const { handler } = handlerWith({ vendors: { stub: async () => result }, now: () => now });
    const response = await handler(post('{"vendor":"stub"}'));
    return { response, json: (await response.json()) as Record<string, unknown> };
  }

  it('sets Content-Type, Cache-Control: no-store, Date from the clock and nosniff', async () => {
    const { response } = await answer({ tokens: { t: 1 }, expiresIn: 60 });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('date'), 'Sun, 01 Mar 2026 12:00:00 GMT');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('vary'), null, 'no Vary without allowedOrigins');
  });

  it('computes expiresIn from expiresAt with the injected clock (whole seconds, never negative)', async () => {
    assert.deepEqual((await answer({ tokens: {}, expiresAt: '2026-03-01T12:10:00.900Z' })).json, {
      vendor: 'stub',
      tokens: {},
      expiresIn: 600,
      expiresAt: '2026-03-01T12:10:00.900Z',
    });
    const later = await answer({ tokens: {}, expiresAt: '2026-03-01T12:10:00Z' }, NOW + 5 * 60_000);
    assert.equal(later.json.expiresIn, 300);
    const past = await answer({ tokens: {}, expiresAt: '2026-03-01T11:00:00Z' });
    assert.equal(past.json.expiresIn, 0);
  });

  it('computes expiresAt from expiresIn', async () => {
    const { json } = await answer({ tokens: {}, expiresIn: 3600 });
    assert.equal(json.expiresIn, 3600);
    assert.equal(json.expiresAt, '2026-03-01T13:00:00.000Z');
  });

  it('keeps null as "never expires" in both fields, and omits both when neither is given', async () => {
    const never = await answer({ tokens: {}, expiresIn: null });
    assert.equal(never.json.expiresIn, null);
    assert.equal(never.json.expiresAt, null);
    const neverAt = await answer({ tokens: {}, expiresAt: null });
    assert.equal(neverAt.json.expiresIn, null);
    assert.equal(neverAt.json.expiresAt, null);
    const unknown = await answer({ tokens: { jwt: 'x' } });
    assert.deepEqual(unknown.json, { vendor: 'stub', tokens: { jwt: 'x' } });
  });

  it('answers 500 configuration-error for a malformed provider answer', async () => {
    for (const result of [
      null,
      { tokens: 'x' },
      { tokens: {}, expiresIn: -1 },
      { tokens: {}, expiresIn: Number.NaN },
      { tokens: {}, expiresAt: 'tomorrow' },
      { tokens: {}, expiresIn: null, expiresAt: '2026-03-01T13:00:00Z' },
    ]) {
      const { response, json } = await answer(result as VendorTokens);
      assert.equal(response.status, 500, JSON.stringify(result));
      assert.equal((json.error as { code: string }).code, 'configuration-error');
    }
  });
});
