// A local stand-in for the Looker API, below `/api/4.0`:
// - `POST /login` (form client_id, client_secret) → `{access_token, token_type, expires_in}`;
// - `DELETE /logout` revokes the bearer token (204);
// - `POST /embed/cookieless_session/acquire` (embed user + embed_domain, the browser's User-Agent;
//   `session_reference_token` rejoins a live session) → the four tokens and their `*_ttl`;
// - `PUT /embed/cookieless_session/generate_tokens` → fresh api/navigation tokens, or
//   `session_reference_token_ttl: 0` (a 200) once the session has ended;
// - `DELETE /embed/cookieless_session/{ref}` ends a session (204).
// Errors are `{message, documentation_url}` (422 adds `errors[]`), like Looker's.
import {
  asRecord,
  bearerToken,
  createCounters,
  json,
  randomSecret,
  readJson,
  sameSecret,
  type StandinApi,
} from './common.js';

/** Options of {@link createLookerStandin}. */
export interface LookerStandinOptions {
  /** The API key the stand-in accepts (the demo generates one at start). */
  clientId: string;
  clientSecret: string;
  /** Lifetime of the api and navigation tokens, in seconds (Looker's are about 10 minutes). */
  tokenTtlSeconds: number;
  /** Lifetime of the API access tokens `login` issues (default 3600). */
  accessTokenTtlSeconds?: number;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

interface Session {
  userAgent: string;
  embedDomain: string;
  externalUserId: string;
  endsAt: number;
  apiToken: string;
  navigationToken: string;
  /** The pair before the last rotation: a tab that has not caught up yet may still present it. */
  previous: [string, string] | null;
}

const DOCS = 'https://cloud.google.com/looker/docs/r/err/4.0/';
const AUTHENTICATION_TOKEN_TTL = 30;
const MAX_SESSION_LENGTH = 2_592_000;
const MAX_SESSIONS = 500;

/** One entry of a 422 answer's `errors[]`. */
type FieldError = { field: string; code: string; message: string };

function problem(status: number, message: string, errors?: FieldError[]): Response {
  return json(status, { message, documentation_url: DOCS, ...(errors ? { errors } : {}) });
}

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** What Looker would refuse in an acquire body, as 422 `errors[]`. */
function acquireErrors(body: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  const missing = (field: string, message: string) => errors.push({ field, code: 'invalid', message });
  if (typeof body.external_user_id !== 'string' || body.external_user_id === '')
    missing('external_user_id', 'must be a non-empty string');
  const length = body.session_length;
  if (!(typeof length === 'number' && Number.isInteger(length) && length > 0 && length <= MAX_SESSION_LENGTH))
    missing('session_length', 'must be 1 to 2592000 seconds');
  if (!isStringArray(body.permissions)) missing('permissions', 'must be an array of permission names');
  if (!isStringArray(body.models)) missing('models', 'must be an array of model names');
  let origin: string | undefined;
  try {
    origin = typeof body.embed_domain === 'string' ? new URL(body.embed_domain).origin : undefined;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin !== body.embed_domain)
    missing('embed_domain', 'must be an origin without a trailing slash');
  return errors;
}

/** Creates the Looker API stand-in. */
export function createLookerStandin(options: LookerStandinOptions): StandinApi {
  const now = options.now ?? Date.now;
  const counters = createCounters();
  const accessTokens = new Map<string, number>(); // token → expires at (ms)
  const sessions = new Map<string, Session>();
  const ttl = options.tokenTtlSeconds;

  function authorized(request: Request): boolean {
    const token = bearerToken(request);
    const expiresAt = token === undefined ? undefined : accessTokens.get(token);
    return expiresAt !== undefined && expiresAt > now();
  }

  function rotate(session: Session): void {
    session.previous = [session.apiToken, session.navigationToken];
    session.apiToken = randomSecret('api_');
    session.navigationToken = randomSecret('nav_');
  }

  function sessionTtl(session: Session): number {
    return Math.max(0, Math.floor((session.endsAt - now()) / 1000));
  }

  /** A session's current token pair and reference, as acquire and generate_tokens both answer them. */
  function sessionTokens(session: Session, reference: string): Record<string, unknown> {
    return {
      navigation_token: session.navigationToken,
      navigation_token_ttl: ttl,
      api_token: session.apiToken,
      api_token_ttl: ttl,
      session_reference_token: reference,
      session_reference_token_ttl: sessionTtl(session),
    };
  }

  async function login(request: Request): Promise<Response> {
    const form = new URLSearchParams(await request.text());
    if (
      !sameSecret(form.get('client_id'), options.clientId) ||
      !sameSecret(form.get('client_secret'), options.clientSecret)
    ) {
      return problem(404, 'Not found');
    }
    const expiresIn = options.accessTokenTtlSeconds ?? 3600;
    const token = randomSecret('lk_');
    accessTokens.set(token, now() + expiresIn * 1000);
    for (const [old, at] of accessTokens) if (at <= now()) accessTokens.delete(old);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  }

  async function acquire(request: Request): Promise<Response> {
    const body = asRecord(await readJson(request));
    const userAgent = request.headers.get('user-agent');
    const errors = acquireErrors(body);
    if (!userAgent)
      errors.push({ field: 'user_agent', code: 'missing', message: 'the browser User-Agent header is required' });
    if (errors.length) return problem(422, 'Validation Failed', errors);
    let reference = typeof body.session_reference_token === 'string' ? body.session_reference_token : '';
    const existing = sessions.get(reference); // '' is never a reference
    let session: Session;
    if (
      existing &&
      sessionTtl(existing) > 0 &&
      existing.userAgent === userAgent &&
      existing.externalUserId === body.external_user_id
    ) {
      counters.bump('session rejoined');
      session = existing;
      rotate(session);
    } else {
      counters.bump('session started');
      reference = randomSecret('ref_');
      session = {
        userAgent: userAgent as string,
        embedDomain: body.embed_domain as string,
        externalUserId: body.external_user_id as string,
        endsAt: now() + (body.session_length as number) * 1000,
        apiToken: randomSecret('api_'),
        navigationToken: randomSecret('nav_'),
        previous: null,
      };
      sessions.set(reference, session);
      while (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
    }
    return json(200, {
      authentication_token: randomSecret('auth_'),
      authentication_token_ttl: AUTHENTICATION_TOKEN_TTL,
      ...sessionTokens(session, reference),
    });
  }

  async function generateTokens(request: Request): Promise<Response> {
    const body = asRecord(await readJson(request));
    const reference = typeof body.session_reference_token === 'string' ? body.session_reference_token : '';
    const session = sessions.get(reference);
    if (!session || sessionTtl(session) === 0) {
      // Looker's way of saying the session is over: a 200 with a zero session ttl.
      return json(200, {
        navigation_token: '',
        navigation_token_ttl: 0,
        api_token: '',
        api_token_ttl: 0,
        session_reference_token: '',
        session_reference_token_ttl: 0,
      });
    }
    // Looker's own answer for tokens (or a browser) that do not match a live session.
    const pairs = [[session.apiToken, session.navigationToken], session.previous].filter(Boolean) as string[][];
    if (
      request.headers.get('user-agent') !== session.userAgent ||
      !pairs.some(([api, nav]) => body.api_token === api && body.navigation_token === nav)
    ) {
      return problem(400, 'Invalid input tokens provided');
    }
    rotate(session);
    return json(200, sessionTokens(session, reference));
  }

  return {
    async handle(request, path) {
      if (path === '/api/4.0/login' && request.method === 'POST') {
        counters.bump('login');
        return login(request);
      }
      if (!path.startsWith('/api/4.0/')) return undefined;
      if (!authorized(request)) return problem(401, 'Requires authentication.');
      if (path === '/api/4.0/logout' && request.method === 'DELETE') {
        counters.bump('logout');
        accessTokens.delete(bearerToken(request) as string);
        return new Response(null, { status: 204 });
      }
      if (path === '/api/4.0/embed/cookieless_session/acquire' && request.method === 'POST') {
        counters.bump('acquire');
        return acquire(request);
      }
      if (path === '/api/4.0/embed/cookieless_session/generate_tokens' && request.method === 'PUT') {
        counters.bump('generate_tokens');
        return generateTokens(request);
      }
      const ended = /^\/api\/4\.0\/embed\/cookieless_session\/([^/]+)$/.exec(path);
      if (ended && request.method === 'DELETE') {
        counters.bump('delete_session');
        const session = sessions.get(decodeURIComponent(ended[1] as string));
        if (!session) return problem(404, 'Not found');
        session.endsAt = now();
        return new Response(null, { status: 204 });
      }
      return undefined;
    },
    stats: counters.snapshot,
  };
}
