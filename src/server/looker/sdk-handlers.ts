/**
 * The two endpoints Looker's official browser SDK (`@looker/embed-sdk`, `initCookieless`) calls,
 * served by the same cookieless provider as the identity endpoint, so an app that keeps Looker's SDK
 * in the browser uses this server half unchanged:
 * - acquire: `GET` → the flat JSON of the seven non-secret session fields;
 * - generate tokens: `PUT {api_token, navigation_token}` → the five fields the iframe needs.
 * Web `Request` → `Response`, like the identity handler.
 */
import { EmbedServerError } from '../errors.js';
import { defaultOnError, problemFor, shouldReport } from '../handler/failure.js';
import type { IdentityRequestBody } from '../types.js';
import { identityProvider, type LookerProviderOptions } from './provider.js';

/** Options of {@link sdkHandlers}: the provider's, plus who is asking. */
export interface LookerSdkHandlerOptions<User> extends LookerProviderOptions<User> {
  /** Your session check: the signed-in user, or `null` / `undefined` (→ 401). */
  authenticate(request: Request): User | null | undefined | Promise<User | null | undefined>;
  /** Told about every unexpected failure (default: one `console.error` line, never a secret). */
  onError?: (error: unknown, request: Request) => void;
}

/** The two handlers; mount them where your `initCookieless(host, acquireUrl, generateUrl)` points. */
export interface LookerSdkHandlers {
  /** `GET`: acquires (or rejoins) the user's cookieless session for this browser. */
  acquire(request: Request): Promise<Response>;
  /** `PUT {api_token, navigation_token}`: fresh tokens for that session. */
  generate(request: Request): Promise<Response>;
}

/** What generate answers for a session that is over: Looker's own `session_reference_token_ttl: 0`. */
const ENDED = {
  api_token: '',
  api_token_ttl: 0,
  navigation_token: '',
  navigation_token_ttl: 0,
  session_reference_token_ttl: 0,
};

/** Largest generate body read (the SDK sends two tokens). */
const MAX_BODY_BYTES = 16 * 1024;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function badRequest(message: string): EmbedServerError {
  return new EmbedServerError('bad-request', message, { vendor: 'looker' });
}

/** Reads the SDK's generate body: a JSON object whose api_token and navigation_token are strings. */
async function readGenerateBody(request: Request): Promise<void> {
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) {
    throw badRequest('looker.sdkHandlers: generate takes Content-Type: application/json.');
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw badRequest('looker.sdkHandlers: the generate body is too large.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const record = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const isToken = (value: unknown) => value === undefined || value === null || typeof value === 'string';
  if (!record || !isToken(record['api_token']) || !isToken(record['navigation_token'])) {
    throw badRequest('looker.sdkHandlers: generate takes the JSON {api_token, navigation_token} the Looker SDK sends.');
  }
  // The tokens themselves are not needed: the server keeps the session's current ones.
}

/**
 * Creates the acquire and generate handlers for Looker's official embed SDK, e.g.
 * `app.get('/looker/acquire', …)` and `app.put('/looker/generate', …)` with
 * `getEmbedSDK().initCookieless(host, '/looker/acquire', '/looker/generate')` in the browser.
 * Sessions are the provider's (same user callback, embed domain rules and `sessionStore`), so the
 * session reference token never leaves the server. An ended session answers generate with
 * `session_reference_token_ttl: 0`, which makes the SDK tell Looker the session expired.
 */
export function sdkHandlers<User = unknown>(options: LookerSdkHandlerOptions<User>): LookerSdkHandlers {
  if (!options || typeof options.authenticate !== 'function') {
    throw new EmbedServerError(
      'invalid-input',
      'looker.sdkHandlers: authenticate must be a function (request) => user.',
      {
        vendor: 'looker',
      },
    );
  }
  const provider = identityProvider<User>(options);
  const onError = options.onError ?? defaultOnError;

  async function serve(request: Request, method: string, action: 'acquire' | 'refresh'): Promise<Response> {
    try {
      if (request.method !== method) {
        return json(405, { error: { code: 'method-not-allowed', message: `Use ${method}.` } }, { allow: method });
      }
      const user = await options.authenticate(request);
      if (user === null || user === undefined) {
        return json(401, { error: { code: 'unauthenticated', message: 'Sign in to view this dashboard.' } });
      }
      if (action === 'refresh') await readGenerateBody(request);
      const body: IdentityRequestBody = { vendor: 'looker', context: {}, action };
      const { tokens } = await provider({ user, request, body });
      return json(200, tokens);
    } catch (error) {
      if (action === 'refresh' && error instanceof EmbedServerError && error.code === 'session-ended') {
        return json(200, ENDED);
      }
      if (shouldReport(error)) onError(error, request);
      const problem = problemFor(error, 'Looker');
      return json(problem.status, { error: { code: problem.code, message: problem.message } }, problem.headers);
    }
  }

  return {
    acquire: (request) => serve(request, 'GET', 'acquire'),
    generate: (request) => serve(request, 'PUT', 'refresh'),
  };
}
