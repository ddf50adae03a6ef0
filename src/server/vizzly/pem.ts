import { binaryToBytes } from '../bytes.js';
import { EmbedServerError } from '../errors.js';

/** The two PEM forms a Vizzly private key comes in. */
export type PemKeyForm = 'sec1' | 'pkcs8';

/** A private key block found in PEM text: its form and its DER bytes. */
export interface PemKey {
  form: PemKeyForm;
  der: Uint8Array;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Throws the `invalid-key` error; the message explains what to fix and never contains the key. */
export function invalidKey(message: string): never {
  throw new EmbedServerError('invalid-key', `Vizzly private key: ${message}`, { vendor: 'vizzly' });
}

/**
 * Finds the private key in PEM text: `-----BEGIN EC PRIVATE KEY-----` (SEC1, what Vizzly's CLI writes)
 * or `-----BEGIN PRIVATE KEY-----` (PKCS#8). Other blocks (e.g. `EC PARAMETERS` written by
 * `openssl ecparam -genkey`) are skipped. Literal `\n` sequences, as left by keys pasted into a
 * one-line environment variable, are read as line breaks.
 */
export function readPemKey(text: string): PemKey {
  if (typeof text !== 'string' || !text.trim()) {
    invalidKey(
      'privateKey must be a non-empty PEM string (-----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----).',
    );
  }
  const normalised = text.replace(/\\r/g, '').replace(/\\n/g, '\n');
  const labels: string[] = [];
  for (const match of normalised.matchAll(BLOCK)) {
    const label = match[1]!;
    labels.push(label);
    if (label === 'EC PRIVATE KEY' || label === 'PRIVATE KEY') {
      if (/Proc-Type:\s*4,ENCRYPTED/.test(match[2]!)) {
        invalidKey('the PEM is encrypted with a passphrase; decrypt it first (openssl ec -in key.pem -out plain.pem).');
      }
      return { form: label === 'PRIVATE KEY' ? 'pkcs8' : 'sec1', der: decodeBase64(match[2]!) };
    }
  }
  if (labels.includes('ENCRYPTED PRIVATE KEY')) {
    invalidKey(
      'the PEM is encrypted; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem) and keep it in your secret store.',
    );
  }
  if (labels.includes('RSA PRIVATE KEY')) {
    invalidKey(
      "this is an RSA key; Vizzly needs an EC P-256 key (create one with Vizzly's CLI `create-key-pair` or `openssl ecparam -name prime256v1 -genkey -noout`).",
    );
  }
  if (labels.some((label) => label.includes('PUBLIC KEY') || label === 'CERTIFICATE')) {
    invalidKey(
      'this is a public key or certificate; the signer needs the PRIVATE key (upload the public key to Vizzly instead).',
    );
  }
  return invalidKey(
    labels.length
      ? `no private key block found (saw ${labels.map((label) => `"${label}"`).join(', ')}); expected -----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----.`
      : 'not a PEM private key; expected text starting with -----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----.',
  );
}

/** Standard base64 (PEM body, whitespace allowed) to bytes. */
function decodeBase64(body: string): Uint8Array {
  const clean = body.replace(/\s+/g, '');
  if (!clean || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    invalidKey('the PEM body is not valid base64 (was the key truncated or edited?).');
  }
  return binaryToBytes(atob(clean));
}
