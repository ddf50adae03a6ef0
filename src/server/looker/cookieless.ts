import { EmbedServerError, check } from '../errors.js';
import { asRecord, isRecord } from '../validate.js';
import type { CookielessSession, CookielessTokens, LookerEmbedUser } from './types.js';

const VENDOR = 'looker';
/** Looker's upper bound for `session_length`: 30 days. */
export const MAX_SESSION_LENGTH = 2_592_000;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Throws `invalid-input` naming the first field of `user` Looker would reject or misread. */
export function validateEmbedUser(user: LookerEmbedUser, where: string): void {
  check(
    user && typeof user === 'object',
    `${where}: the embed user must be an object with external_user_id, session_length, permissions and models.`,
    VENDOR,
  );
  check(
    typeof user.external_user_id === 'string' && user.external_user_id !== '',
    `${where}: external_user_id must be a non-empty string (your system's stable user id).`,
    VENDOR,
  );
  check(
    Number.isInteger(user.session_length) && user.session_length > 0 && user.session_length <= MAX_SESSION_LENGTH,
    `${where}: session_length must be a whole number of seconds from 1 to ${MAX_SESSION_LENGTH}, got ${String(user.session_length)}.`,
    VENDOR,
  );
  check(
    isStringArray(user.permissions),
    `${where}: permissions must be an array of Looker permission names, e.g. ['access_data', 'see_user_dashboards'].`,
    VENDOR,
  );
  check(isStringArray(user.models), `${where}: models must be an array of LookML model names.`, VENDOR);
  check(
    user.group_ids === undefined || Array.isArray(user.group_ids),
    `${where}: group_ids must be an array of Looker group ids when given.`,
    VENDOR,
  );
  for (const key of ['user_attributes', 'access_filters'] as const) {
    const value = user[key];
    check(value === undefined || isRecord(value), `${where}: ${key} must be an object when given.`, VENDOR);
  }
}

/** Throws `invalid-input` unless `origin` is a bare origin like `https://app.example.com` (no path, no trailing slash). */
export function validateEmbedDomain(origin: string, where: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  check(
    parsed !== undefined && (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.origin === origin,
    `${where}: embed domain must be the page's origin, e.g. 'https://app.example.com' (scheme and host, no path or trailing slash), got ${JSON.stringify(origin)}.`,
    VENDOR,
  );
}

/** The JSON body of `POST /embed/cookieless_session/acquire`: the embed user plus domain and optional session to rejoin. */
export function buildAcquireBody(
  user: LookerEmbedUser,
  embedDomain: string,
  sessionReferenceToken?: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(user)) if (value !== undefined) body[key] = value;
  body.embed_domain = embedDomain;
  if (sessionReferenceToken) body.session_reference_token = sessionReferenceToken;
  return body;
}

function malformed(what: string, missing: string[]): EmbedServerError {
  // Only field names: the body holds tokens that must not end up in logs.
  return new EmbedServerError(
    'upstream-malformed',
    `looker API answered ${what} without the expected fields: ${missing.join(', ')}.`,
    { vendor: VENDOR },
  );
}

function readFields<T>(body: unknown, what: string, strings: string[], numbers: string[]): T {
  const record = asRecord(body);
  const missing = [
    ...strings.filter((key) => typeof record[key] !== 'string' || record[key] === ''),
    ...numbers.filter((key) => typeof record[key] !== 'number' || !Number.isFinite(record[key])),
  ];
  if (missing.length) throw malformed(what, missing);
  const picked: Record<string, unknown> = {};
  for (const key of [...strings, ...numbers]) picked[key] = record[key];
  return picked as T;
}

/** Validates Looker's acquire answer and keeps exactly the documented fields. */
export function parseAcquireResponse(body: unknown): CookielessSession {
  return readFields<CookielessSession>(
    body,
    'cookieless_session/acquire',
    ['authentication_token', 'navigation_token', 'api_token', 'session_reference_token'],
    ['authentication_token_ttl', 'navigation_token_ttl', 'api_token_ttl', 'session_reference_token_ttl'],
  );
}

/** The error for a cookieless session Looker says is over; the browser should acquire a new one. */
export function sessionEnded(detail: string): EmbedServerError {
  return new EmbedServerError(
    'session-ended',
    `The Looker embed session has ended (${detail}); acquire a new session.`,
    { vendor: VENDOR },
  );
}

/**
 * Validates Looker's generate_tokens answer. `session_reference_token_ttl: 0` (Looker's way of saying
 * the session is over, with a 200) becomes a `session-ended` error. A missing reference token in an
 * otherwise valid answer keeps `previousReference`.
 */
export function parseGenerateTokensResponse(body: unknown, previousReference: string): CookielessTokens {
  const record = asRecord(body);
  if (record.session_reference_token_ttl === 0) throw sessionEnded('session_reference_token_ttl is 0');
  const reference =
    typeof record.session_reference_token === 'string' && record.session_reference_token
      ? record.session_reference_token
      : previousReference;
  return readFields<CookielessTokens>(
    { ...record, session_reference_token: reference },
    'cookieless_session/generate_tokens',
    ['navigation_token', 'api_token', 'session_reference_token'],
    ['navigation_token_ttl', 'api_token_ttl', 'session_reference_token_ttl'],
  );
}
