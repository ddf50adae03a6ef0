import { EmbedServerError } from '../errors.js';
import { vendorText } from '../redact.js';
import { asRecord } from '../validate.js';

const VENDOR = 'databrain';

/** The error codes DataBrain documents for the guest-token API (`AUTHENTICATION_ERR` is normalised). */
export type DataBrainErrorCode =
  | 'AUTHENTICATION_ERROR'
  | 'INVALID_REQUEST_BODY'
  | 'CLIENT_ID_ERROR'
  | 'WORKSPACE_ID_ERROR'
  | 'DASHBOARD_PARAM_ERROR'
  | 'APP_FILTER_PARAM_ERROR'
  | 'RLS_SETTINGS_PARAM_ERROR'
  | 'INTERNAL_SERVER_ERROR';

/** What to fix, for each documented code. */
export const ERROR_HINTS: Readonly<Record<DataBrainErrorCode, string>> = {
  AUTHENTICATION_ERROR:
    "DataBrain did not accept the API token: check apiToken (create one in DataBrain's settings) and that baseUrl points at the DataBrain instance it belongs to (cloud or self-hosted).",
  INVALID_REQUEST_BODY:
    'DataBrain rejected the request body: check clientId, workspaceName (v1) or dataAppName (v2), params, permissions, expiryTime and datasourceName, and that apiVersion matches your DataBrain setup.',
  CLIENT_ID_ERROR:
    'Check clientId: it must be a client id of the workspace\'s tenancy, or the string "None" when the datasource/datamart has no tenancy.',
  WORKSPACE_ID_ERROR:
    'Check workspaceName (apiVersion v1) or dataAppName (v2): it must match the name in DataBrain exactly, and the API token must have access to it.',
  DASHBOARD_PARAM_ERROR:
    'Check params.dashboard.id: it must be the id of a dashboard that exists in this workspace (see "Dashboard ID" in DataBrain).',
  APP_FILTER_PARAM_ERROR:
    "Check params.appFilters and params.dashboardAppFilters: each metricId / dashboardId must exist, and each key of values must be an app filter defined on it, with a value of the filter's type.",
  RLS_SETTINGS_PARAM_ERROR:
    'Check params.rlsSettings: each entry must match an RLS setting configured in DataBrain for that metric.',
  INTERNAL_SERVER_ERROR:
    'DataBrain failed internally; try again later. If it keeps failing, check datasourceName and the datasource connection in DataBrain.',
};

/** Maps DataBrain's spellings to the documented code (`AUTHENTICATION_ERR` → `AUTHENTICATION_ERROR`). */
export function normaliseErrorCode(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const upper = code.trim().toUpperCase();
  return upper === 'AUTHENTICATION_ERR' ? 'AUTHENTICATION_ERROR' : upper;
}

/**
 * Builds the error for a DataBrain error answer (any status, including a 2xx carrying `{error}`): a message
 * saying what to fix, with `vendorCode` normalised. `secrets` are cut out of the vendor's code and message
 * (answers from callUpstream arrive with them already cut out).
 */
export function dataBrainError(
  answer: { status: number; code?: string; message?: string },
  secrets: readonly string[] = [],
): EmbedServerError {
  // Redacted before normalising: upper-casing would hide a secret from redact, not remove it.
  const code = normaliseErrorCode(answer.code === undefined ? undefined : vendorText(answer.code, secrets, 100));
  const vendorMessage = answer.message === undefined ? undefined : vendorText(answer.message, secrets);
  let hint = code && code in ERROR_HINTS ? ERROR_HINTS[code as DataBrainErrorCode] : undefined;
  if (!hint && (answer.status === 401 || answer.status === 403)) hint = ERROR_HINTS.AUTHENTICATION_ERROR;
  if (!hint && answer.status === 429)
    hint = 'DataBrain is rate limiting guest-token requests; try again later and cache tokens for their lifetime.';
  const retriable = code === 'INTERNAL_SERVER_ERROR' || answer.status === 429 || answer.status >= 500;
  const parts = [`DataBrain refused to create a guest token (HTTP ${answer.status}${code ? `, ${code}` : ''})`];
  if (hint) parts.push(hint.replace(/\.$/, ''));
  if (vendorMessage) parts.push(`DataBrain said: ${vendorMessage}`);
  return new EmbedServerError('upstream-http', parts.join('. '), {
    vendor: VENDOR,
    status: answer.status,
    vendorCode: code,
    vendorMessage,
    retriable,
  });
}

/** Reads `{error: {code, message}}` (or `{error: "CODE"}`) from a DataBrain answer, if it is one. */
export function readErrorBody(body: unknown): { code?: string; message?: string } | undefined {
  if (!body || typeof body !== 'object' || !('error' in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (error === null || error === undefined || error === false) return undefined;
  if (typeof error === 'string') return { code: error };
  if (typeof error !== 'object') return {};
  const record = asRecord(error);
  return {
    code: typeof record.code === 'string' ? record.code : undefined,
    message: typeof record.message === 'string' ? record.message : undefined,
  };
}

/**
 * Reads a 2xx guest-token answer: `{token}` or `{guest_token}`. An `{error}` body becomes the mapped
 * `upstream-http` error (DataBrain sometimes answers errors with 200); anything else is `upstream-malformed`.
 */
export function readGuestTokenAnswer(status: number, body: unknown, secrets: readonly string[] = []): string {
  const error = readErrorBody(body);
  if (error) throw dataBrainError({ status, ...error }, secrets);
  const record = asRecord(body);
  const token = typeof record.token === 'string' && record.token ? record.token : record.guest_token;
  if (typeof token === 'string' && token) return token;
  // The keys are the vendor's text too: a key may be the API token echoed back.
  const keys = body && typeof body === 'object' ? Object.keys(body).slice(0, 10) : [];
  const shape =
    body && typeof body === 'object'
      ? `an object with keys ${keys.map((key) => JSON.stringify(vendorText(key, secrets, 40))).join(', ') || '(none)'}`
      : typeof body === 'string'
        ? 'text'
        : `${body}`;
  throw new EmbedServerError(
    'upstream-malformed',
    `DataBrain answered HTTP ${status} without a guest token (expected {"token": "…"}; got ${shape}). Check baseUrl points at DataBrain's API.`,
    { vendor: VENDOR, status },
  );
}
