// Shared by the Vizzly node tests: key pairs made with node:crypto and a verifier independent of the signer.
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';

export interface TestKeys {
  /** `-----BEGIN EC PRIVATE KEY-----` */
  sec1: string;
  /** `-----BEGIN PRIVATE KEY-----` */
  pkcs8: string;
  publicKey: KeyObject;
}

/** A fresh P-256 key pair, the private key exported in both PEM forms. */
export function makeKeys(): TestKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    sec1: privateKey.export({ type: 'sec1', format: 'pem' }) as string,
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey,
  };
}

/** Verifies an ES256 JWT's raw R||S signature with the PUBLIC key (node:crypto, not the signer's code). */
export function verifyEs256(token: string, publicKey: KeyObject): boolean {
  const [header, payload, signature, ...rest] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || rest.length) return false;
  const raw = Buffer.from(signature, 'base64url');
  if (raw.length !== 64) return false;
  return verify('sha256', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw);
}

/** Decodes a JWT segment the way Vizzly's browser client does: plain `atob` (padding added), then JSON.parse. */
export function decodeSegment(segment: string): unknown {
  const padded = segment + '='.repeat((4 - (segment.length % 4)) % 4);
  return JSON.parse(atob(padded));
}

/** The payload of a JWT, decoded with plain atob. */
export function payloadOf(token: string): Record<string, unknown> {
  return decodeSegment(token.split('.')[1]!) as Record<string, unknown>;
}

/** The PEM body (base64 lines) of a key, to check it never appears in an error. */
export function pemBodyChunks(pem: string): string[] {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const chunks: string[] = [];
  for (let i = 0; i + 16 <= body.length; i += 16) chunks.push(body.slice(i, i + 16));
  return chunks;
}
