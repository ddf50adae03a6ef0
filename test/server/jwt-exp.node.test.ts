import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeBase64Url, readJwtPayload, readJwtTimes } from '../../src/server/jwt-exp.js';
import { b64url, jwt } from './formant-standin.js';

describe('jwt-exp', () => {
  it('reads exp and iat from a JWT, and nothing else', () => {
    assert.deepEqual(readJwtTimes(jwt({ exp: 2000000000, iat: 1900000000, sub: 'x' })), {
      exp: 2000000000,
      iat: 1900000000,
    });
    assert.deepEqual(readJwtTimes(jwt({ sub: 'x', exp: '2000000000' })), {});
  });

  it('decodes base64url payloads with - and _ and non-ASCII text', () => {
    const payload = { name: 'Zoë ~>?? ☃', op: '>=', exp: 1 };
    const token = jwt(payload);
    assert.match(token.split('.')[1] ?? '', /[-_]/);
    assert.deepEqual(readJwtPayload(token), payload);
  });

  it('is not fooled by things that are not JWTs', () => {
    for (const token of [
      '',
      'abc',
      'a.b',
      'a.b.c.d',
      `${b64url({})}.${b64url([1])}.x`,
      `${b64url({})}.not+base64.x`,
      `${b64url({})}.${b64url('s')}.x`,
      `x.${Buffer.from([0xff, 0xfe]).toString('base64url')}.x`,
    ]) {
      assert.equal(readJwtTimes(token), undefined, token);
    }
  });

  it("decodeBase64Url agrees with Node's decoder for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, padded) => {
        const text = Buffer.from(bytes).toString(padded ? 'base64' : 'base64url');
        const urlSafe = padded ? text.replace(/\+/g, '-').replace(/\//g, '_') : text;
        assert.deepEqual(decodeBase64Url(urlSafe), new Uint8Array(bytes));
      }),
    );
    assert.equal(decodeBase64Url('a'), undefined);
    assert.equal(decodeBase64Url('ab+c'), undefined);
  });
});
