import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createIdentityHandler, RETRY_AFTER_SECONDS } from '../../src/server/handler.js';
import { EmbedServerError } from '../../src/server/errors.js';

const URL_ = 'http://app.test/api/embed/identity';

function failing(error: unknown, onError?: (error: unknown, request: Request) => void) {
  return createIdentityHandler({
    authenticate: () => ({ id: 'u' }),
    vendors: {
      vizzly: async () => {
        throw error;
      },
    },
    onError: onError ?? (() => undefined),
  });
}

function post(): Request {
  return new Request(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"vendor":"vizzly"}',
  });
}

async function answer(error: unknown, onError?: (error: unknown, request: Request) => void) {
  const response = await failing(error, onError)(post());
  const text = await response.text();
  return { response, text, error: (JSON.parse(text) as { error: { code: string; message: string } }).error };
}

const SECRET_DETAILS = {
  vendor: 'vizzly',
  status: 401,
  vendorCode: 'SECRET-CODE',
  vendorMessage: 'bad key SECRET-KEY-123',
  cause: new Error('SECRET cause'),
};

describe('error answers', () => {
  it('turns a non-retriable upstream error into 502 upstream-error with a safe message', async () => {
    const { response, text, error } = await answer(
      new EmbedServerError(
        'upstream-http',
        'vizzly API answered 401 [SECRET-CODE]: bad key SECRET-KEY-123',
        SECRET_DETAILS,
      ),
    );
    assert.equal(response.status, 502);
    assert.equal(error.code, 'upstream-error');
    assert.match(error.message, /^vizzly is unavailable/);
    assert.ok(!text.includes('SECRET'), text);
    assert.equal(response.headers.get('retry-after'), null);
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('turns a retriable upstream error (network, timeout, 5xx) into 503 with Retry-After', async () => {
    for (const code of ['upstream-network', 'upstream-timeout', 'upstream-http'] as const) {
      const { response, text, error } = await answer(
        new EmbedServerError(code, 'vizzly API could not be reached: SECRET', {
          ...SECRET_DETAILS,
          status: 503,
          retriable: true,
        }),
      );
      assert.equal(response.status, 503, code);
      assert.equal(error.code, 'upstream-error');
      assert.equal(response.headers.get('retry-after'), String(RETRY_AFTER_SECONDS));
      assert.ok(!text.includes('SECRET'), text);
    }
  });

  it('turns upstream-malformed into 502', async () => {
    const { response, error } = await answer(
      new EmbedServerError('upstream-malformed', 'no token in SECRET body', { vendor: 'vizzly' }),
    );
    assert.equal(response.status, 502);
    assert.equal(error.code, 'upstream-error');
  });

  it('turns session-ended into 409 session-ended, without logging it', async () => {
    const logged: unknown[] = [];
    const { response, error } = await answer(
      new EmbedServerError('session-ended', 'Looker session SECRET-REF ended', { vendor: 'looker' }),
      (e) => logged.push(e),
    );
    assert.equal(response.status, 409);
    assert.equal(error.code, 'session-ended');
    assert.ok(!error.message.includes('SECRET'));
    assert.equal(logged.length, 0);
  });

  it('turns bad-request into 400 and forbidden into 403, with the message the provider wrote for the browser', async () => {
    const cases = [
      ['bad-request', 400, 'invalid-request'],
      ['forbidden', 403, 'forbidden'],
    ] as const;
    for (const [code, status, wire] of cases) {
      const logged: unknown[] = [];
      const { response, error } = await answer(
        new EmbedServerError(code, `dashboard "d-9" is not allowed (${code})`, { vendor: 'databrain' }),
        (e) => logged.push(e),
      );
      assert.equal(response.status, status);
      assert.equal(error.code, wire);
      assert.match(error.message, /"d-9" is not allowed/);
      assert.equal(logged.length, 0, 'an expected refusal is not logged as a failure');
    }
  });

  it('turns invalid-input / invalid-key from a provider into 500 configuration-error and hands the error to onError', async () => {
    for (const code of ['invalid-input', 'invalid-key'] as const) {
      const logged: Array<[unknown, Request]> = [];
      const thrown = new EmbedServerError(code, 'privateKey SECRET-PEM is not P-256', { vendor: 'vizzly' });
      const request = post();
      const response = await failing(thrown, (e, r) => logged.push([e, r]))(request);
      const text = await response.text();
      assert.equal(response.status, 500);
      assert.equal(JSON.parse(text).error.code, 'configuration-error');
      assert.ok(!text.includes('SECRET'), text);
      assert.equal(logged.length, 1);
      assert.equal(logged[0]![0], thrown);
      assert.equal(logged[0]![1], request);
    }
  });

  it('turns any other throw into 500 internal-error without its message', async () => {
    for (const thrown of [new TypeError('cannot read SECRET of undefined'), 'SECRET string', { secret: 'SECRET' }]) {
      const { response, text, error } = await answer(thrown);
      assert.equal(response.status, 500);
      assert.equal(error.code, 'internal-error');
      assert.ok(!text.includes('SECRET'), text);
    }
  });

  it('answers normally even when onError itself throws', async () => {
    const { response, error } = await answer(new Error('x'), () => {
      throw new Error('logger down');
    });
    assert.equal(response.status, 500);
    assert.equal(error.code, 'internal-error');
  });

  it('logs by default with console.error: code and message only, never the cause or vendor code', async () => {
    const lines: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    try {
      const handler = createIdentityHandler({
        authenticate: () => ({ id: 'u' }),
        vendors: {
          vizzly: async () => {
            throw new EmbedServerError('invalid-key', 'privateKey is not a P-256 key', {
              vendor: 'vizzly',
              cause: new Error('-----BEGIN PRIVATE KEY----- SECRET'),
            });
          },
        },
      });
      const response = await handler(post());
      assert.equal(response.status, 500);
    } finally {
      console.error = original;
    }
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /invalid-key/);
    assert.match(lines[0]!, /not a P-256 key/);
    assert.ok(!lines[0]!.includes('SECRET'), lines[0]);
    assert.ok(!lines[0]!.includes('BEGIN'), lines[0]);
  });
});

describe('prototype pollution', () => {
  function capture() {
    const bodies: unknown[] = [];
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      vendors: {
        stub: async ({ body }) => {
          bodies.push(body);
          // A provider that merges context naively must not be able to pollute anything either.
          Object.assign({}, body.context);
          return { tokens: {} };
        },
      },
      onError: () => undefined,
    });
    return { handler, bodies };
  }
  const send = (handler: (r: Request) => Promise<Response>, text: string) =>
    handler(new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }));

  const attacks = [
    '{"vendor":"stub","__proto__":{"polluted":"yes"}}',
    '{"vendor":"stub","constructor":{"prototype":{"polluted":"yes"}}}',
    '{"vendor":"stub","context":{"__proto__":{"polluted":"yes"}}}',
    '{"vendor":"stub","context":{"a":{"b":[{"__proto__":{"polluted":"yes"}}]}}}',
    '{"vendor":"stub","context":{"constructor":{"prototype":{"polluted":"yes"}}}}',
    '{"vendor":"stub","context":{"prototype":{"polluted":"yes"}}}',
  ];
  for (const attack of attacks) {
    it(`refuses ${attack} with 400 and pollutes nothing`, async () => {
      const { handler, bodies } = capture();
      const response = await send(handler, attack);
      assert.equal(response.status, 400);
      assert.equal((await response.json()).error.code, 'invalid-request');
      assert.equal(bodies.length, 0);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    });
  }

  it('hands the provider a context made of fresh plain objects', async () => {
    const { handler, bodies } = capture();
    const response = await send(handler, '{"vendor":"stub","context":{"filters":{"region":"eu"},"list":[{"a":1}]}}');
    assert.equal(response.status, 200);
    const body = bodies[0] as { context: { filters: object; list: object[] } };
    assert.equal(Object.getPrototypeOf(body.context), Object.prototype);
    assert.equal(Object.getPrototypeOf(body.context.filters), Object.prototype);
    assert.deepEqual(body.context, { filters: { region: 'eu' }, list: [{ a: 1 }] });
  });

  it('refuses context nested too deep (400, not a stack overflow)', async () => {
    const { handler } = capture();
    const deep = '{"a":'.repeat(2000) + '1' + '}'.repeat(2000);
    const response = await send(handler, `{"vendor":"stub","context":${deep}}`);
    assert.equal(response.status, 400);
    assert.match((await response.json()).error.message, /nested/);
  });
});
