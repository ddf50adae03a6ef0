/**
 * What the browser is told when the app's code or a vendor fails, and what gets logged.
 * The browser only ever sees a fixed message per kind of failure: exception messages, vendor
 * answers and causes stay on the server, where `onError` receives the error itself.
 */
import { EmbedServerError } from '../errors.js';
import { oneLine } from '../redact.js';
import { HttpProblem } from './respond.js';

/** Seconds a browser is asked to wait (`Retry-After`) after a vendor failure that may pass. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * Maps an error thrown by `authenticate` or a provider to the problem the browser sees:
 * - upstream-* retriable (network, timeout, vendor 429/5xx) → 503 `upstream-error` + `Retry-After`;
 * - upstream-* otherwise (vendor refused us, unusable answer) → 502 `upstream-error`;
 * - `session-ended` → 409 `session-ended` (the browser acquires a new session);
 * - `bad-request` → 400 `invalid-request`, `forbidden` → 403 `forbidden`, with the error's own
 *   message (those codes promise a message fit for the browser);
 * - `invalid-input` / `invalid-key` (the app's configuration) → 500 `configuration-error`;
 * - anything else → 500 `internal-error`.
 */
export function problemFor(error: unknown, vendor: string | undefined): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const who = vendor ?? 'The vendor';
  if (error instanceof EmbedServerError) {
    switch (error.code) {
      case 'upstream-http':
      case 'upstream-network':
      case 'upstream-timeout':
      case 'upstream-malformed':
        return error.retriable
          ? new HttpProblem(503, 'upstream-error', `${who} is unavailable right now; try again shortly.`, {
              'retry-after': String(RETRY_AFTER_SECONDS),
            })
          : new HttpProblem(
              502,
              'upstream-error',
              `${who} is unavailable: it refused the server's request. The server log has the details.`,
            );
      case 'session-ended':
        return new HttpProblem(409, 'session-ended', 'The embed session has ended; request a new one.');
      case 'bad-request':
        return new HttpProblem(400, 'invalid-request', error.message);
      case 'forbidden':
        return new HttpProblem(403, 'forbidden', error.message);
      case 'invalid-input':
      case 'invalid-key':
        return new HttpProblem(
          500,
          'configuration-error',
          'The identity endpoint is misconfigured. The server log has the details.',
        );
    }
  }
  return new HttpProblem(500, 'internal-error', 'The identity endpoint failed. The server log has the details.');
}

/** Whether a failure is worth logging: expected outcomes (an ended session) are not. */
export function shouldReport(error: unknown): boolean {
  const expected = ['session-ended', 'bad-request', 'forbidden'];
  return !(error instanceof HttpProblem) && !(error instanceof EmbedServerError && expected.includes(error.code));
}

/**
 * One log line for an error: its code/name and message only, never its cause, stack or vendor
 * body, with line breaks flattened so that no text inside it can forge a log line of its own.
 */
export function describeError(error: unknown): string {
  if (error instanceof EmbedServerError) {
    const where = [error.vendor, error.status, error.vendorCode].filter((part) => part !== undefined).join(' ');
    return oneLine(`EmbedServerError ${error.code}${where ? ` (${where})` : ''}: ${error.message}`, 2000);
  }
  if (error instanceof Error) return oneLine(`${error.name}: ${error.message}`);
  return `non-Error thrown: ${typeof error}`;
}

/** The default `onError`: one console.error line per failure, without causes or stacks. */
export function defaultOnError(error: unknown, request: Request): void {
  let path = '';
  try {
    path = new URL(request.url).pathname;
  } catch {
    path = '';
  }
  console.error(
    `[embed-dashboard] identity endpoint ${oneLine(request.method, 16)} ${oneLine(path, 200)} failed: ${describeError(error)}`,
  );
}
