/**
 * Cutting secrets (API tokens, passwords, client secrets, access tokens, session reference tokens,
 * API keys) out of text we pass on: error messages and what vendors echo back to us; and making
 * vendor text safe for one log line.
 */
import { EmbedServerError, withChanges } from './errors.js';

/** What each secret is replaced with. */
export const REDACTED = '[redacted]';

/** The forms a secret takes in text: as is, JSON-escaped, URL-encoded (`%20`) and form-encoded (`+`). */
function formsOf(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
  ];
}

/**
 * Replaces each non-empty secret in `text`, raw, JSON-escaped, URL-encoded and form-encoded, with
 * `[redacted]`. Longer forms go first, so a secret that contains another is cut out whole.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  const forms = [...new Set(secrets.flatMap((secret) => (secret ? formsOf(secret) : [])))];
  forms.sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of forms) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * Returns `error` with every secret cut out of its message, `vendorMessage` and `vendorCode` (a new
 * EmbedServerError when anything changed, with a stack built from the clean message). Anything
 * other than an EmbedServerError is returned unchanged.
 */
export function redactError(error: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (!(error instanceof EmbedServerError)) return error;
  const scrub = (text: string | undefined) => (text === undefined ? undefined : redact(text, secrets));
  const message = redact(error.message, secrets);
  const vendorMessage = scrub(error.vendorMessage);
  const vendorCode = scrub(error.vendorCode);
  if (message === error.message && vendorMessage === error.vendorMessage && vendorCode === error.vendorCode)
    return error;
  return withChanges(error, { message, vendorMessage, vendorCode });
}

/** Line breaks and other control characters (C0, DEL, C1, the Unicode line and paragraph separators). */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * `text` as one line of at most `maxLength` characters: each run of control characters (line
 * breaks included) becomes one space, so a vendor's text can never start a log line of its own.
 */
export function oneLine(text: string, maxLength = 500): string {
  return text.replace(CONTROL, ' ').slice(0, maxLength);
}

/** Vendor-derived text made safe to pass on: secrets cut out first (so none is cut in half), then {@link oneLine}. */
export function vendorText(text: string, secrets: readonly (string | undefined)[], maxLength = 500): string {
  return oneLine(redact(text, secrets), maxLength);
}
