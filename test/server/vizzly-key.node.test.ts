import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { EmbedServerError } from '../../src/server/errors.js';
import { createSigner } from '../../src/server/vizzly/signer.js';
import { decodeOid, encodeOid, readRoot, readTlv } from '../../src/server/vizzly/der.js';
import { makeKeys, payloadOf, pemBodyChunks, verifyEs256 } from './vizzly-helpers.js';

const claims = { userReference: 'user-1' };
const options = { ttlMinutes: 60, projectId: 'prj_test' };

function pem(label: string, der: Buffer): string {
  return `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;
}

/** Asserts `fn` fails with invalid-key and that no piece of `secret` shows in the message. */
async function assertInvalidKey(fn: () => unknown, secret: string, pattern?: RegExp): Promise<EmbedServerError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof EmbedServerError, `expected EmbedServerError, got ${String(caught)}`);
  assert.equal(caught.code, 'invalid-key');
  assert.equal(caught.vendor, 'vizzly');
  for (const chunk of pemBodyChunks(secret))
    assert.ok(!caught.message.includes(chunk), 'the error message quotes the key');
  if (secret.length >= 8)
    assert.ok(!caught.message.includes(secret.trim().slice(0, 60)), 'the error message quotes the key');
  if (pattern) assert.match(caught.message, pattern);
  return caught;
}

describe('vizzly signer: private key forms', () => {
  const keys = makeKeys();

  for (const form of ['sec1', 'pkcs8'] as const) {
    it(`signs tokens that verify with the public key (${form} PEM)`, async () => {
      const signer = createSigner({ privateKey: keys[form], ...options });
      const token = await signer.signDashboardAccessToken(claims);
      assert.ok(verifyEs256(token, keys.publicKey));
      assert.equal(payloadOf(token).userReference, 'user-1');
    });
  }

  it('produces tokens that do NOT verify with another key (the check is not vacuous)', async () => {
    const other = makeKeys();
    const token = await createSigner({ privateKey: keys.sec1, ...options }).signDashboardAccessToken(claims);
    assert.equal(verifyEs256(token, other.publicKey), false);
    const [h, , s] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payloadOf(token), accessType: 'admin' })).toString('base64url')}.${s}`;
    assert.equal(verifyEs256(tampered, keys.publicKey), false);
  });

  it('verifies with WebCrypto too: header.payload signed, raw 64-byte R||S signature', async () => {
    const token = await createSigner({ privateKey: keys.pkcs8, ...options }).signDashboardAccessToken(claims);
    const [h, p, s] = token.split('.') as [string, string, string];
    const signature = Buffer.from(s, 'base64url');
    assert.equal(signature.length, 64);
    const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
    const publicKey = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'verify',
    ]);
    const ok = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      publicKey,
      signature,
      new TextEncoder().encode(`${h}.${p}`),
    );
    assert.ok(ok);
  });

  it('accepts openssl ecparam output (EC PARAMETERS block first) and one-line env values with literal \\n', async () => {
    const withParams = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${keys.sec1}`;
    const oneLine = keys.pkcs8.trim().replace(/\n/g, '\\n');
    assert.ok(!oneLine.includes('\n'));
    for (const privateKey of [withParams, oneLine, keys.sec1.replace(/\n/g, '\r\n')]) {
      const token = await createSigner({ privateKey, ...options }).signDashboardAccessToken(claims);
      assert.ok(verifyEs256(token, keys.publicKey));
    }
  });

  it('accepts a SEC1 key without the optional public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const d = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const der = Buffer.concat([
      Buffer.from('30310201010420', 'hex'),
      d,
      Buffer.from('a00a06082a8648ce3d030107', 'hex'),
    ]);
    const token = await createSigner({ privateKey: pem('EC PRIVATE KEY', der), ...options }).signDashboardAccessToken(
      claims,
    );
    assert.ok(verifyEs256(token, publicKey));
  });

  it('accepts a WebCrypto CryptoKey and rejects a public or non-P-256 one', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const token = await createSigner({ privateKey: pair.privateKey, ...options }).signDashboardAccessToken(claims);
    const [h, p, s] = token.split('.') as [string, string, string];
    assert.ok(
      await crypto.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.publicKey,
        Buffer.from(s, 'base64url'),
        new TextEncoder().encode(`${h}.${p}`),
      ),
    );
    await assertInvalidKey(() => createSigner({ privateKey: pair.publicKey, ...options }), '', /private ECDSA P-256/);
    const p384 = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, [
      'sign',
    ])) as CryptoKeyPair;
    await assertInvalidKey(() => createSigner({ privateKey: p384.privateKey, ...options }), '', /P-384/);
  });

  it('imports the key once per signer, however many tokens it signs', async () => {
    const subtle = crypto.subtle;
    const original = subtle.importKey;
    let imports = 0;
    subtle.importKey = function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto['importKey']>) {
      imports += 1;
      return original.apply(this, args);
    } as SubtleCrypto['importKey'];
    try {
      const signer = createSigner({ privateKey: keys.sec1, ...options });
      await signer.ready();
      await Promise.all([1, 2, 3, 4, 5].map(() => signer.signDashboardAccessToken(claims)));
      await signer.generateTokens({ dashboard: claims, data: { dataSetIds: '*' }, queryEngine: {} });
      assert.equal(imports, 1);
    } finally {
      subtle.importKey = original;
    }
  });
});

describe('vizzly signer: wrong keys fail with invalid-key, never quoting the key', () => {
  it('rejects garbage, empty and non-string keys at createSigner()', async () => {
    const garbage = 'this is not a key at all, just some secret-looking text 0123456789abcdef';
    await assertInvalidKey(() => createSigner({ privateKey: garbage, ...options }), garbage, /not a PEM private key/);
    await assertInvalidKey(() => createSigner({ privateKey: '', ...options }), '');
    await assertInvalidKey(() => createSigner({ privateKey: 42 as unknown as string, ...options }), '');
    const badBase64 =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg!!!notbase64\n-----END PRIVATE KEY-----';
    await assertInvalidKey(() => createSigner({ privateKey: badBase64, ...options }), badBase64, /base64/);
  });

  it('rejects RSA keys (PKCS#8 and PKCS#1) naming the problem', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    await assertInvalidKey(() => createSigner({ privateKey: pkcs8, ...options }), pkcs8, /RSA key/);
    await assertInvalidKey(() => createSigner({ privateKey: pkcs1, ...options }), pkcs1, /RSA key/);
  });

  it('rejects keys on other curves, in both forms', async () => {
    for (const namedCurve of ['P-384', 'secp256k1']) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve });
      for (const type of ['sec1', 'pkcs8'] as const) {
        const text = privateKey.export({ type, format: 'pem' }) as string;
        await assertInvalidKey(
          () => createSigner({ privateKey: text, ...options }),
          text,
          new RegExp(`${namedCurve}.*needs P-256`),
        );
      }
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    const ed = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    await assertInvalidKey(() => createSigner({ privateKey: ed, ...options }), ed, /Ed25519 key/);
  });

  it('rejects public keys, encrypted keys and truncated keys', async () => {
    const keys = makeKeys();
    const spki = keys.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await assertInvalidKey(() => createSigner({ privateKey: spki, ...options }), spki, /PRIVATE key/);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const encrypted = privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    await assertInvalidKey(() => createSigner({ privateKey: encrypted, ...options }), encrypted, /encrypted/);
    const der = Buffer.from(keys.pkcs8.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const truncated = pem('PRIVATE KEY', der.subarray(0, der.length - 20));
    await assertInvalidKey(() => createSigner({ privateKey: truncated, ...options }), truncated, /not a valid PKCS#8/);
    const sec1Der = Buffer.from(keys.sec1.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const truncatedSec1 = pem('EC PRIVATE KEY', sec1Der.subarray(0, 30));
    await assertInvalidKey(
      () => createSigner({ privateKey: truncatedSec1, ...options }),
      truncatedSec1,
      /not a valid SEC1/,
    );
  });

  it('reports a private value WebCrypto refuses when signing (and from ready())', async () => {
    const der = Buffer.concat([
      Buffer.from('30310201010420', 'hex'),
      Buffer.alloc(32, 0xff),
      Buffer.from('a00a06082a8648ce3d030107', 'hex'),
    ]);
    const text = pem('EC PRIVATE KEY', der);
    const signer = createSigner({ privateKey: text, ...options });
    await assertInvalidKey(() => signer.ready(), text, /WebCrypto rejected/);
    await assertInvalidKey(() => signer.signDashboardAccessToken(claims), text, /WebCrypto rejected/);
  });
});

describe('vizzly DER helpers', () => {
  it('round-trips OIDs', () => {
    for (const oid of ['1.2.840.10045.3.1.7', '1.2.840.10045.2.1', '1.3.132.0.34', '2.999.3']) {
      const der = encodeOid(oid);
      assert.equal(decodeOid(der.subarray(2)), oid);
    }
    assert.deepEqual(
      [...encodeOid('1.2.840.10045.3.1.7')],
      [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
    );
  });

  it('refuses truncated elements and trailing bytes', () => {
    assert.equal(readTlv(Uint8Array.of(0x30, 0x05, 0x01), 0), undefined);
    assert.equal(readTlv(Uint8Array.of(0x30, 0x82, 0x01), 0), undefined);
    assert.equal(readRoot(Uint8Array.of(0x30, 0x00, 0x00)), undefined);
    assert.deepEqual(readRoot(Uint8Array.of(0x30, 0x81, 0x01, 0x05)), { tag: 0x30, start: 3, end: 4 });
  });
});
