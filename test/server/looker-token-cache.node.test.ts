import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLookerError, withLookerErrorDetails } from '../../src/server/looker/errors.js';
import { redact } from '../../src/server/redact.js';
import { createTokenCache } from '../../src/server/looker/token-cache.js';
import type { IssuedToken } from '../../src/server/looker/token-cache.js';

describe('looker token cache', () => {
  it('invalidate drops only that token, not a newer one fetched meanwhile', async () => {
    let n = 0;
    const cache = createTokenCache(
      async () => ({ token: `t${++n}`, expiresIn: 3600 }),
      () => 0,
    );
    const first = await cache.get('k');
    cache.invalidate(first);
    const second = await cache.get('k');
    assert.equal(second, 't2');
    cache.invalidate(first); // a late 401 for the old token
    assert.equal(await cache.get('k'), 't2');
  });

  it('a synchronously throwing issuer is not cached as a pending request', async () => {
    let fail = true;
    const issue = ((): Promise<IssuedToken> => {
      if (fail) throw new Error('boom');
      return Promise.resolve({ token: 'ok', expiresIn: 60 });
    }) as (key: string) => Promise<IssuedToken>;
    const cache = createTokenCache(issue, () => 0);
    await assert.rejects(cache.get('k'), /boom/);
    fail = false;
    assert.equal(await cache.get('k'), 'ok');
  });

  it('a token living 10 s or less serves its own callers only', async () => {
    let n = 0;
    const cache = createTokenCache(
      async () => ({ token: `t${++n}`, expiresIn: 10 }),
      () => 0,
    );
    const [a, b] = await Promise.all([cache.get('k'), cache.get('k')]);
    assert.equal(a, 't1');
    assert.equal(b, 't1');
    assert.equal(await cache.get('k'), 't2');
  });

  it('keeps at most maxEntries tokens', async () => {
    let n = 0;
    const cache = createTokenCache(
      async (key) => ({ token: `${key}-${++n}`, expiresIn: 3600 }),
      () => 0,
      { maxEntries: 2 },
    );
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    assert.equal(await cache.get('c'), 'c-3');
    assert.equal(await cache.get('a'), 'a-4', 'the oldest was dropped');
  });
});

describe('looker error bodies', () => {
  it('describeLookerError folds errors[] into the message; nothing to fold → undefined', () => {
    assert.equal(
      describeLookerError({
        message: 'Validation Failed',
        errors: [{ field: 'models', code: 'invalid' }, { message: 'bad' }],
      }),
      'Validation Failed: models [invalid]; (request): bad',
    );
    assert.equal(describeLookerError({ message: 'Not found' }), undefined);
    assert.equal(describeLookerError('text'), undefined);
  });

  it('withLookerErrorDetails leaves successes and non-JSON errors as they are', async () => {
    const wrapped = withLookerErrorDetails(async (input) =>
      String(input).endsWith('ok')
        ? new Response('{"a":1}', { status: 200 })
        : new Response('<html>Bad gateway</html>', { status: 502 }),
    );
    assert.equal(await (await wrapped('https://x/ok')).text(), '{"a":1}');
    const failed = await wrapped('https://x/fail');
    assert.equal(failed.status, 502);
    assert.equal(await failed.text(), '<html>Bad gateway</html>');
  });

  it('redact blanks raw and URL-encoded secrets', () => {
    assert.equal(redact('a s3cr+t/x b s3cr%2Bt%2Fx', ['s3cr+t/x']), 'a [redacted] b [redacted]');
  });
});
