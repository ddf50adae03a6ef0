/**
 * The identity endpoint's core: from a Request, the answer as a plain object (the handler turns it
 * into a Response). One deadline covers the whole request: authentication, the body and the
 * vendor's calls, whose `signal` it aborts.
 */
import type { IdentityProvider, ProviderContext } from '../types.js';
import { checkDeclaredLength, parseIdentityBody, readBodyText } from './body.js';
import type { CorsPolicy } from './cors.js';
import { toResponseBody } from './expiry.js';
import { withDeadline } from './deadline.js';
import { problemFor, shouldReport } from './failure.js';
import { HttpProblem, jsonAnswer, problemAnswer, type Answer } from './respond.js';

/** Answers one request; never throws (every failure is an error answer). */
export type IdentityCore = (request: Request) => Promise<Answer>;

/** Everything the core needs, already validated by `createIdentityHandler`. */
export interface CoreConfig<User> {
  authenticate: (request: Request) => User | null | undefined | Promise<User | null | undefined>;
  providers: ReadonlyMap<string, IdentityProvider<User>>;
  cors: CorsPolicy;
  maxBodyBytes: number;
  deadlineMs: number;
  onError: (error: unknown, request: Request) => void;
  now: () => number;
}

/** Whether a Content-Type says JSON in UTF-8 (RFC 8259): `application/json`, no other charset. */
export function isMediaTypeJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  if (contentType === 'application/json') return true;
  const [type = '', ...params] = contentType.split(';');
  if (type.trim().toLowerCase() !== 'application/json') return false;
  // JSON is UTF-8 (RFC 8259); refuse a body that says it is anything else.
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() === 'charset' && value.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8')
      return false;
  }
  return true;
}

/** Builds the core of one handler (see `createIdentityHandler` for what it answers). */
export function createIdentityCore<User>(config: CoreConfig<User>): IdentityCore {
  const { authenticate, providers, cors, maxBodyBytes, deadlineMs, onError, now } = config;
  const hasVendor = (name: string): boolean => providers.has(name);

  const report = (error: unknown, request: Request): void => {
    // A client that went away caused whatever failed after it: nothing to fix on the server.
    if (!shouldReport(error) || request.signal.aborted) return;
    try {
      onError(error, request);
    } catch {
      // A failing logger must not turn into a different answer.
    }
  };

  return async function answer(request) {
    const method = request.method;
    const headers = request.headers;
    if (method === 'OPTIONS') return cors.preflight(headers.get('origin'), now());
    const extra = cors.enabled ? cors.extraFor(headers.get('origin')) : null;
    let vendor: string | undefined;
    try {
      if (method !== 'POST') {
        throw new HttpProblem(405, 'method-not-allowed', 'Use POST.', { allow: 'POST, OPTIONS' });
      }
      if (!isMediaTypeJson(headers.get('content-type'))) {
        throw new HttpProblem(415, 'unsupported-media-type', 'Send the body as Content-Type: application/json.');
      }
      checkDeclaredLength(request, maxBodyBytes);
      const { name, result } = await withDeadline(deadlineMs, request, async (scope) => {
        const user = await authenticate(request);
        if (user === null || user === undefined)
          throw new HttpProblem(401, 'unauthenticated', 'Sign in to view this dashboard.');
        const body = parseIdentityBody(await readBodyText(request, maxBodyBytes), hasVendor);
        vendor = body.vendor;
        const provider = providers.get(body.vendor) as IdentityProvider<User>;
        const context: ProviderContext<User> = {
          user,
          request,
          body,
          // A getter, so that a provider that never reads it costs no AbortSignal (see withDeadline).
          get signal() {
            return scope.signal;
          },
        };
        return { name: body.vendor, result: await provider(context) };
      });
      const answeredAt = now();
      return jsonAnswer(200, toResponseBody(name, result, answeredAt), answeredAt, extra);
    } catch (error) {
      report(error, request);
      return problemAnswer(problemFor(error, vendor), now(), extra);
    }
  };
}
