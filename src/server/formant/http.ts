import { check, EmbedServerError } from '../errors.js';
import { readJwtTimes } from '../jwt-exp.js';
import { redact } from '../redact.js';
import { callUpstream } from '../upstream.js';
import { asRecord, isPositiveInteger, kind, readApiBaseUrl } from '../validate.js';
import type { FormantConnection } from './types.js';

const VENDOR = 'formant';

/** Formant's cloud API. */
export const DEFAULT_API_BASE_URL = 'https://api.formant.io';

/** Builds `{apiBaseUrl}{path}`; throws `invalid-input` when the base is not an http(s) URL. */
export function formantUrl(apiBaseUrl: string | undefined, path: string): string {
  const base = readApiBaseUrl(apiBaseUrl ?? DEFAULT_API_BASE_URL);
  check(
    base !== undefined,
    'formant: apiBaseUrl must be an http(s) URL without query or fragment, e.g. "https://api.formant.io".',
    VENDOR,
  );
  return `${base}${path}`;
}

/** What to check, by HTTP status of a refused auth call. */
export function statusHint(status: number, operation: string): string | undefined {
  if (status === 400) return `Check the ${operation} request: scope, roleId and tokenExpirationSeconds`;
  if (status === 401)
    return "Check the service account's email and password (or that the refresh token is still valid)";
  if (status === 403) {
    return 'The service account lacks a permission: with roleId it needs viewer permission on that role and administrator permission on users';
  }
  if (status === 404) return 'Check apiBaseUrl (and roleId, if set)';
  if (status === 429) return 'Formant is rate limiting logins; try again later and reuse tokens for their lifetime';
  if (status >= 500) return 'Formant failed; try again later';
  return undefined;
}

/** Rebuilds a refusal from callUpstream (secrets already cut out) with a hint saying what to fix. */
export function formantError(error: unknown, operation: string): unknown {
  if (!(error instanceof EmbedServerError) || error.code !== 'upstream-http' || error.status === undefined)
    return error;
  const vendorMessage = error.vendorMessage?.slice(0, 500);
  const { vendorCode } = error;
  const parts = [`Formant refused ${operation} (HTTP ${error.status}${vendorCode ? `, ${vendorCode}` : ''})`];
  const hint = statusHint(error.status, operation);
  if (hint) parts.push(hint);
  if (vendorMessage) parts.push(`Formant said: ${vendorMessage}`);
  return new EmbedServerError('upstream-http', parts.join('. '), {
    vendor: VENDOR,
    status: error.status,
    vendorCode,
    vendorMessage,
    retriable: error.retriable,
  });
}

/** POSTs JSON to a Formant auth endpoint and returns the 2xx body; errors say what to fix and hold no secret. */
export async function postFormant(
  connection: FormantConnection,
  path: string,
  body: Record<string, unknown>,
  operation: string,
  secrets: readonly string[],
): Promise<{ status: number; body: unknown }> {
  const url = formantUrl(connection.apiBaseUrl, path);
  try {
    return await callUpstream({
      vendor: VENDOR,
      method: 'POST',
      url,
      body,
      timeoutMs: connection.timeoutMs,
      fetch: connection.fetch,
      secrets,
    });
  } catch (error) {
    throw formantError(error, operation);
  }
}

/** A 2xx Formant answer we cannot use: says what was expected, never echoing tokens. */
export function malformed(
  status: number,
  operation: string,
  problem: string,
  body: unknown,
  secrets: readonly string[],
): EmbedServerError {
  const { message } = asRecord(body);
  const said = typeof message === 'string' ? ` Formant said: ${redact(message, secrets).slice(0, 300)}` : '';
  return new EmbedServerError(
    'upstream-malformed',
    `Formant answered ${operation} with HTTP ${status} but ${problem}.${said}`,
    { vendor: VENDOR, status },
  );
}

/**
 * Reads the expiry of a Formant access token from its JWT `exp` claim, as an ISO time.
 * Returns `undefined` when the token is not a JWT with a numeric `exp`.
 */
export function tokenExpiry(accessToken: string): string | undefined {
  const exp = readJwtTimes(accessToken)?.exp;
  if (exp === undefined) return undefined;
  const date = new Date(exp * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Validates `tokenExpirationSeconds` (a positive whole number) when present. */
export function checkTokenExpiration(value: unknown): void {
  check(
    value === undefined || isPositiveInteger(value),
    `formant: tokenExpirationSeconds must be a positive whole number of seconds, e.g. 3600 (got ${typeof value === 'number' ? value : kind(value)}).`,
    VENDOR,
  );
}
