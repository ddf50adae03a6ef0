import {
  TAG_CONTEXT_0,
  TAG_INTEGER,
  TAG_OCTET_STRING,
  TAG_OID,
  TAG_SEQUENCE,
  concat,
  contents,
  decodeOid,
  encodeOid,
  encodeTlv,
  readChildren,
  readRoot,
} from './der.js';
import { invalidKey, readPemKey } from './pem.js';

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_P256 = '1.2.840.10045.3.1.7';

/** Names for the OIDs people most often paste by mistake, so the error can say what the key is. */
const KNOWN_OIDS: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'secp256k1',
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.110': 'X25519',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const HOW_TO_CREATE =
  "create one with Vizzly's CLI `create-key-pair` or `openssl ecparam -name prime256v1 -genkey -noout`";

function nameOf(oid: string): string {
  return KNOWN_OIDS[oid] ?? `OID ${oid}`;
}

/** The parts of a SEC1 ECPrivateKey we check: the named curve (when the key carries one) and the scalar size. */
interface Sec1Info {
  curve: string | undefined;
  scalarLength: number;
}

/** Reads a SEC1 ECPrivateKey (RFC 5915): version 1, a 32-byte scalar, optional [0] curve, optional [1] public key. */
function readSec1(der: Uint8Array): Sec1Info | undefined {
  const root = readRoot(der);
  if (!root || root.tag !== TAG_SEQUENCE) return undefined;
  const [version, scalar, ...rest] = readChildren(der, root) ?? [];
  if (!version || version.tag !== TAG_INTEGER || version.end - version.start !== 1 || der[version.start] !== 1)
    return undefined;
  if (!scalar || scalar.tag !== TAG_OCTET_STRING) return undefined;
  let curve: string | undefined;
  const params = rest.find((tlv) => tlv.tag === TAG_CONTEXT_0);
  if (params) {
    const [oid] = readChildren(der, params) ?? [];
    if (!oid || oid.tag !== TAG_OID) return undefined;
    curve = decodeOid(contents(der, oid));
  }
  return { curve, scalarLength: scalar.end - scalar.start };
}

/** Checks the curve (when named) and then the scalar size, so a P-384 key is reported as such. */
function checkSec1(info: Sec1Info): void {
  if (info.curve) requireP256(info.curve);
  if (info.scalarLength !== 32)
    invalidKey(`the private value is ${info.scalarLength} bytes, a P-256 key has 32; ${HOW_TO_CREATE}.`);
}

function requireP256(curve: string): void {
  if (curve !== OID_P256)
    invalidKey(
      `the key is on curve ${nameOf(curve)}; Vizzly signs with ES256, which needs P-256 (prime256v1): ${HOW_TO_CREATE}.`,
    );
}

/** Wraps a SEC1 key into PKCS#8 PrivateKeyInfo: SEQUENCE { 0, SEQUENCE { ecPublicKey, P-256 }, OCTET STRING sec1 }. */
function wrapSec1(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const info = readSec1(der);
  if (!info) return invalidKey('the EC PRIVATE KEY block is not a valid SEC1 key (was it truncated or edited?).');
  if (!info.curve)
    return invalidKey('the EC PRIVATE KEY does not name its curve; export it again with its parameters (P-256).');
  checkSec1(info);
  const algorithm = encodeTlv(TAG_SEQUENCE, concat(encodeOid(OID_EC_PUBLIC_KEY), encodeOid(OID_P256)));
  const version = encodeTlv(TAG_INTEGER, Uint8Array.of(0));
  return toArrayBufferView(encodeTlv(TAG_SEQUENCE, concat(version, algorithm, encodeTlv(TAG_OCTET_STRING, der))));
}

/** Checks a PKCS#8 PrivateKeyInfo holds an EC P-256 key, so a wrong key fails with a clear message. */
function checkPkcs8(der: Uint8Array): Uint8Array<ArrayBuffer> {
  const malformed = 'the PRIVATE KEY block is not a valid PKCS#8 key (was it truncated or edited?).';
  const root = readRoot(der);
  if (!root || root.tag !== TAG_SEQUENCE) return invalidKey(malformed);
  const [version, algorithm, privateKey] = readChildren(der, root) ?? [];
  if (!version || version.tag !== TAG_INTEGER || !algorithm || algorithm.tag !== TAG_SEQUENCE)
    return invalidKey(malformed);
  if (!privateKey || privateKey.tag !== TAG_OCTET_STRING) return invalidKey(malformed);
  const [algOid, curveOid] = readChildren(der, algorithm) ?? [];
  if (!algOid || algOid.tag !== TAG_OID) return invalidKey(malformed);
  const alg = decodeOid(contents(der, algOid));
  if (alg !== OID_EC_PUBLIC_KEY) {
    return invalidKey(
      `this is a ${nameOf(alg)} key; Vizzly signs with ES256, which needs an EC P-256 key: ${HOW_TO_CREATE}.`,
    );
  }
  if (!curveOid || curveOid.tag !== TAG_OID) return invalidKey('the EC key does not name its curve (P-256 expected).');
  requireP256(decodeOid(contents(der, curveOid)));
  const inner = readSec1(contents(der, privateKey));
  if (!inner) return invalidKey(malformed);
  checkSec1(inner);
  return toArrayBufferView(der);
}

function toArrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/**
 * Reads a PEM private key (SEC1 `EC PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) and returns PKCS#8 DER,
 * checking it is an EC P-256 key. Throws `invalid-key` (never quoting the key) otherwise.
 */
export function pemToPkcs8(pem: string): Uint8Array<ArrayBuffer> {
  const { form, der } = readPemKey(pem);
  return form === 'sec1' ? wrapSec1(der) : checkPkcs8(der);
}

/** Imports PKCS#8 DER as a non-extractable ECDSA P-256 signing key with WebCrypto. */
export async function importSigningKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  } catch {
    // The runtime's own message adds nothing a user can act on, and we never attach key material.
    return invalidKey(
      `WebCrypto rejected the P-256 key (its private value is not valid for the curve); ${HOW_TO_CREATE}.`,
    );
  }
}

/** Checks a ready-made CryptoKey is a private ECDSA P-256 key allowed to sign. */
export function checkCryptoKey(key: CryptoKey): CryptoKey {
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm>;
  if (
    key.type !== 'private' ||
    algorithm.name !== 'ECDSA' ||
    algorithm.namedCurve !== 'P-256' ||
    !key.usages.includes('sign')
  ) {
    invalidKey(
      `the CryptoKey must be a private ECDSA P-256 key with the "sign" usage (got ${key.type} ${algorithm.name ?? '?'} ${algorithm.namedCurve ?? ''}, usages [${key.usages.join(', ')}]).`,
    );
  }
  return key;
}

/** True for a WebCrypto CryptoKey (duck-typed: runtimes and realms differ in their classes). */
export function isCryptoKey(value: unknown): value is CryptoKey {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Partial<CryptoKey>;
  return (
    typeof candidate.type === 'string' && typeof candidate.algorithm === 'object' && Array.isArray(candidate.usages)
  );
}
