/** One entry of a Looker 422 `errors` array. */
interface LookerValidationError {
  field?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * Folds a Looker error body's `errors[]` (422 Validation Failed) into its `message`, e.g.
 * `Validation Failed: external_user_id [missing]: can't be blank`, so the one-line error a developer
 * sees names the field to fix. Returns `undefined` when the body has no such list.
 */
export function describeLookerError(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as { message?: unknown; errors?: unknown };
  if (!Array.isArray(record.errors) || record.errors.length === 0) return undefined;
  const details = (record.errors as LookerValidationError[]).map((entry) => {
    const field = typeof entry?.field === 'string' && entry.field ? entry.field : '(request)';
    const code = typeof entry?.code === 'string' && entry.code ? ` [${entry.code}]` : '';
    const message = typeof entry?.message === 'string' && entry.message ? `: ${entry.message}` : '';
    return `${field}${code}${message}`;
  });
  const head = typeof record.message === 'string' && record.message ? record.message : 'Validation failed';
  return `${head}: ${details.join('; ')}`;
}

/**
 * Wraps a fetch so that Looker error bodies carrying `errors[]` reach `callUpstream` with those
 * details already in `message` (callUpstream only reads `message`). Successful answers pass through.
 */
export function withLookerErrorDetails(baseFetch: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    if (response.ok) return response;
    const text = await response.text();
    let message: string | undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
      message = describeLookerError(parsed);
    } catch {
      // Not JSON: callUpstream reports the raw text itself.
    }
    const body = message ? JSON.stringify({ ...(parsed as object), message }) : text;
    // The body is already decoded and may have changed length: drop the headers describing the old one.
    const headers = new Headers(response.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}
