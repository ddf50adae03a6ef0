import { bytesToBinary, bytesToHex } from '../bytes.js';
import { check } from '../errors.js';
import { validateEmbedDomain, validateEmbedUser } from './cookieless.js';
import type { LookerEmbedUser } from './types.js';

const VENDOR = 'looker';

/** Options of {@link signEmbedUrl}. */
export interface SignEmbedUrlOptions {
  /** The Looker host the browser loads, e.g. `example.looker.com` (with `:port` if needed; no scheme). */
  host: string;
  /** The embed secret (Admin → Embed). Stays on the server. */
  secret: string;
  /** The embed path to show, e.g. `/embed/dashboards/7` (query allowed: `/embed/dashboards/7?Date=1%20years`). */
  src: string;
  /** The embed user; decide every field on the server. */
  user: LookerEmbedUser;
  /** Single-use random value (default: 16 random bytes from the platform CSPRNG, hex). Looker rejects a repeat within an hour. */
  nonce?: string;
  /** Unix time in seconds (default: now). Looker rejects URLs more than 5 minutes off. */
  time?: number;
  /** Log out any Looker session already in the browser first (default: `user.force_logout_login`, else true). */
  forceLogoutLogin?: boolean;
  /**
   * The host page's origin, e.g. `https://app.example.com`. When given, `embed_domain=<origin>` is added to
   * `src`'s query (so it is covered by the signature), which Looker needs to let the iframe talk to the page.
   */
  embedDomain?: string;
}

/** The values covered by the signature, already JSON-encoded where Looker expects JSON. */
export interface SignedUrlFields {
  host: string;
  embedPath: string;
  nonce: string;
  time: string;
  session_length: string;
  external_user_id: string;
  permissions: string;
  models: string;
  group_ids?: string;
  external_group_id?: string;
  user_attributes?: string;
  access_filters: string;
}

/**
 * Looker's string to sign: host and embed path as they are, then the JSON-encoded nonce, time,
 * session_length, external_user_id, permissions, models, the optional group_ids, external_group_id
 * and user_attributes (each only when present), then access_filters (`{}` when absent), joined by `\n`.
 */
export function embedUrlStringToSign(fields: SignedUrlFields): string {
  const parts = [
    fields.host,
    fields.embedPath,
    fields.nonce,
    fields.time,
    fields.session_length,
    fields.external_user_id,
    fields.permissions,
    fields.models,
  ];
  for (const optional of [fields.group_ids, fields.external_group_id, fields.user_attributes])
    if (optional !== undefined) parts.push(optional);
  parts.push(fields.access_filters);
  return parts.join('\n');
}

/** A hex nonce of `bytes` random bytes (default 16) from `crypto.getRandomValues`. */
export function createNonce(bytes = 16): string {
  check(
    Number.isInteger(bytes) && bytes >= 16 && bytes <= 64,
    `createNonce: bytes must be 16 to 64, got ${String(bytes)}.`,
    VENDOR,
  );
  return bytesToHex(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** HMAC-SHA1 of `message` (UTF-8) with `secret`, base64 (what Looker verifies). */
export async function hmacSha1Base64(secret: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
  return btoa(bytesToBinary(signature));
}

// A lone UTF-16 surrogate has no UTF-8 form, so it cannot be URL-encoded (JSON.stringify escapes it
// in the user fields, but src is only URL-encoded).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Builds a signed embed URL (Looker's "signed embedding" flow):
 * `https://{host}/login/embed/{encodeURIComponent(src)}?nonce=…&time=…&…&signature=…`.
 * Each URL works once, within 5 minutes of `time`; a session cannot be refreshed in place, so sign a new
 * URL (a new iframe) before `session_length` runs out. Prefer cookieless sessions where available.
 */
export async function signEmbedUrl(options: SignEmbedUrlOptions): Promise<string> {
  const where = 'looker.signEmbedUrl';
  check(options && typeof options === 'object', `${where}: pass { host, secret, src, user }.`, VENDOR);
  const { host, secret, user } = options;
  check(
    typeof host === 'string' && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host),
    `${where}: host must be the Looker host name, e.g. 'example.looker.com' (no https://, no path), got ${JSON.stringify(host)}.`,
    VENDOR,
  );
  check(typeof secret === 'string' && secret !== '', `${where}: secret must be the Looker embed secret.`, VENDOR);
  check(
    typeof options.src === 'string' && options.src.startsWith('/'),
    `${where}: src must be an embed path such as '/embed/dashboards/7', got ${JSON.stringify(options.src)}.`,
    VENDOR,
  );
  check(
    !LONE_SURROGATE.test(options.src),
    `${where}: src contains a broken Unicode character (a lone surrogate).`,
    VENDOR,
  );
  validateEmbedUser(user, where);
  const nonce = options.nonce ?? createNonce();
  check(
    typeof nonce === 'string' && nonce !== '' && nonce.length <= 255,
    `${where}: nonce must be a non-empty string of at most 255 characters.`,
    VENDOR,
  );
  const time = options.time ?? Math.floor(Date.now() / 1000);
  check(
    Number.isInteger(time) && time > 0,
    `${where}: time must be Unix time in whole seconds, got ${String(time)}.`,
    VENDOR,
  );

  let src = options.src;
  if (options.embedDomain !== undefined) {
    validateEmbedDomain(options.embedDomain, where);
    src += `${src.includes('?') ? '&' : '?'}embed_domain=${options.embedDomain}`;
  }
  const embedPath = `/login/embed/${encodeURIComponent(src)}`;

  const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
  const signed = {
    nonce: JSON.stringify(nonce),
    time: JSON.stringify(time),
    session_length: JSON.stringify(user.session_length),
    external_user_id: JSON.stringify(user.external_user_id),
    permissions: JSON.stringify(user.permissions),
    models: JSON.stringify(user.models),
    group_ids: json(user.group_ids),
    external_group_id: json(user.external_group_id),
    user_attributes: json(user.user_attributes),
    access_filters: JSON.stringify(user.access_filters ?? {}),
  };
  const stringToSign = embedUrlStringToSign({ host, embedPath, ...signed });
  const signature = await hmacSha1Base64(secret, stringToSign);

  // Not signed, but read by Looker from the same query.
  const unsigned = {
    first_name: json(user.first_name),
    last_name: json(user.last_name),
    user_timezone: json(user.user_timezone),
    force_logout_login: JSON.stringify(options.forceLogoutLogin ?? user.force_logout_login ?? true),
  };
  const query = Object.entries({ ...signed, ...unsigned, signature })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return `https://${host}${embedPath}?${query}`;
}
