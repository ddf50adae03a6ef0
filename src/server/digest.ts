/**
 * SHA-256 hex digests of short texts (store keys), remembered for recent texts.
 *
 * A WebCrypto digest is a trip to another thread on Node and costs more than the rest of a reused
 * answer, so recent results are kept. The promise itself is kept, so concurrent requests for the
 * same text share one digest and resume in the order they asked: single-flight maps keyed by the
 * digest then see each other, however long the digest takes.
 */
import { LRUCache } from 'lru-cache';
import { bytesToHex } from './bytes.js';

const digests = new LRUCache<string, Promise<string>>({
  max: 10_000,
  maxSize: 8_000_000,
  sizeCalculation: (_digest, text) => text.length + 64,
});

async function digestOf(text: string): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
}

/** The SHA-256 digest of `text` (UTF-8) in lower-case hex. */
export function sha256Hex(text: string): Promise<string> {
  let digest = digests.get(text);
  if (digest === undefined) {
    digest = digestOf(text);
    digests.set(text, digest);
    // A failed digest is not remembered.
    digest.catch(() => digests.delete(text));
  }
  return digest;
}
