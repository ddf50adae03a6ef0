// A local stand-in for the Looker API, on 127.0.0.1.
// It records every request and answers the way Looker does; tests can queue one-off answers.
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, beforeEach } from 'node:test';
import { createClient, type LookerClient } from '../../src/server/looker/client.js';
import { startStandin, type RecordedRequest, type StandinAnswer } from './standin-server.js';

export const CLIENT_ID = 'standin-client-id';
export const CLIENT_SECRET = 'standin-client-secret-5f3a9c';
/** The fields of an acquire answer a browser may see (all but `session_reference_token`), sorted. */
export const ACQUIRE_FIELDS = [
  'api_token',
  'api_token_ttl',
  'authentication_token',
  'authentication_token_ttl',
  'navigation_token',
  'navigation_token_ttl',
  'session_reference_token_ttl',
];
/** The fields of a generate_tokens answer a browser may see, sorted. */
export const GENERATE_FIELDS = ACQUIRE_FIELDS.filter((field) => !field.startsWith('authentication_token'));
const DOCS = 'https://cloud.google.com/looker/docs/r/err/4.0/';

type Reply = Exclude<StandinAnswer, 'hang'>;

interface Session {
  ref: string;
  ended: boolean;
  apiToken: string;
  navigationToken: string;
  userAgent: string | undefined;
  embedDomain: unknown;
}

export interface Standin {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests to one path (and method). */
  to(method: string, path: string): RecordedRequest[];
  /** The next request to `method path` gets this answer instead of the normal one. */
  replyOnce(method: string, path: string, reply: Reply): void;
  /** Lifetime (seconds) of the access tokens login and login/{id} issue. */
  tokenExpiresIn: number;
  /** Milliseconds login waits before answering (to overlap concurrent callers). */
  loginDelayMs: number;
  /** Makes Looker forget every issued access token (as after a restart or revocation). */
  revokeAllTokens(): void;
  /** Ends a cookieless session as Looker would when it times out. */
  endSession(ref: string): void;
  sessions: Map<string, Session>;
  close(): Promise<void>;
}

const json = (status: number, body: unknown): Reply => ({ status, body });

export async function startLookerStandin(): Promise<Standin> {
  const queued: Array<{ key: string; reply: Reply }> = [];
  const validTokens = new Set<string>();
  const sessions = new Map<string, Session>();
  let counter = 0;

  const state = {
    tokenExpiresIn: 3600,
    loginDelayMs: 0,
  };

  function issue(prefix: string): Reply {
    const token = `${prefix}-token-${++counter}`;
    validTokens.add(token);
    return json(200, { access_token: token, token_type: 'Bearer', expires_in: state.tokenExpiresIn });
  }

  function authorised(headers: IncomingHttpHeaders): string | undefined {
    const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
    return match && validTokens.has(match[1]!) ? match[1] : undefined;
  }

  function sessionTokens(session: Session) {
    session.apiToken = `api-${++counter}`;
    session.navigationToken = `nav-${++counter}`;
    return {
      navigation_token: session.navigationToken,
      navigation_token_ttl: 600,
      api_token: session.apiToken,
      api_token_ttl: 540,
      session_reference_token: session.ref,
      session_reference_token_ttl: 3000,
    };
  }

  function route(method: string, path: string, headers: IncomingHttpHeaders, raw: string): Reply {
    if (method === 'POST' && path === '/api/4.0/login') {
      const form = new URLSearchParams(raw);
      if (
        headers['content-type'] !== 'application/x-www-form-urlencoded' ||
        form.get('client_id') !== CLIENT_ID ||
        form.get('client_secret') !== CLIENT_SECRET
      ) {
        return json(404, { message: 'Not found', documentation_url: DOCS });
      }
      return issue('admin');
    }
    const token = authorised(headers);
    if (!token) return json(401, { message: 'Requires authentication.', documentation_url: DOCS });
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const userLogin = /^\/api\/4\.0\/login\/([^/]+)$/.exec(path);
    if (method === 'POST' && userLogin) return issue(`user${decodeURIComponent(userLogin[1]!)}`);
    if (method === 'DELETE' && path === '/api/4.0/logout') {
      validTokens.delete(token);
      return { status: 204 };
    }
    if (method === 'POST' && path === '/api/4.0/embed/cookieless_session/acquire') {
      if (typeof body.external_user_id !== 'string' || !body.external_user_id) {
        return json(422, {
          message: 'Validation Failed',
          errors: [
            {
              field: 'external_user_id',
              code: 'missing_field',
              message: 'This field is required.',
              documentation_url: DOCS,
            },
          ],
          documentation_url: DOCS,
        });
      }
      const ref = typeof body.session_reference_token === 'string' ? body.session_reference_token : undefined;
      let session = ref ? sessions.get(ref) : undefined;
      if (!session || session.ended) {
        session = {
          ref: `ref-secret-${String(++counter).padStart(6, '0')}`,
          ended: false,
          apiToken: '',
          navigationToken: '',
          userAgent: headers['user-agent'],
          embedDomain: body.embed_domain,
        };
        sessions.set(session.ref, session);
      }
      return json(200, {
        authentication_token: `auth-${++counter}`,
        authentication_token_ttl: 30,
        ...sessionTokens(session),
      });
    }
    if (method === 'PUT' && path === '/api/4.0/embed/cookieless_session/generate_tokens') {
      const session = sessions.get(String(body.session_reference_token));
      if (!session || session.ended) {
        return json(200, {
          navigation_token: '',
          navigation_token_ttl: 0,
          api_token: '',
          api_token_ttl: 0,
          session_reference_token: '',
          session_reference_token_ttl: 0,
        });
      }
      if (body.api_token !== session.apiToken || body.navigation_token !== session.navigationToken) {
        // Looker's own words for tokens that belong to no live session.
        return json(400, { message: 'Invalid input tokens provided', documentation_url: DOCS });
      }
      return json(200, sessionTokens(session));
    }
    const deleteSession = /^\/api\/4\.0\/embed\/cookieless_session\/([^/]+)$/.exec(path);
    if (method === 'DELETE' && deleteSession) {
      const session = sessions.get(decodeURIComponent(deleteSession[1]!));
      if (!session) return json(404, { message: 'Not found', documentation_url: DOCS });
      session.ended = true;
      return { status: 204 };
    }
    if (method === 'POST' && path === '/api/4.0/embed/sso_url') {
      return json(200, {
        url: `https://looker.example.com/login/embed/${encodeURIComponent(new URL(String(body.target_url)).pathname)}?signature=abc`,
      });
    }
    return json(404, { message: 'Not found', documentation_url: DOCS });
  }

  const server = await startStandin((request) => {
    const path = new URL(request.path, 'http://x').pathname;
    const index = queued.findIndex((entry) => entry.key === `${request.method} ${path}`);
    const reply =
      index >= 0 ? queued.splice(index, 1)[0]!.reply : route(request.method, path, request.headers, request.body);
    return reply.delayMs === undefined && path === '/api/4.0/login' ? { ...reply, delayMs: state.loginDelayMs } : reply;
  });
  const { requests } = server;

  return {
    baseUrl: server.url,
    requests,
    to: (method, path) => requests.filter((r) => r.method === method && r.path === path),
    replyOnce: (method, path, reply) => queued.push({ key: `${method} ${path}`, reply }),
    get tokenExpiresIn() {
      return state.tokenExpiresIn;
    },
    set tokenExpiresIn(value) {
      state.tokenExpiresIn = value;
    },
    get loginDelayMs() {
      return state.loginDelayMs;
    },
    set loginDelayMs(value) {
      state.loginDelayMs = value;
    },
    revokeAllTokens: () => validTokens.clear(),
    endSession: (ref) => {
      const session = sessions.get(ref);
      if (session) session.ended = true;
    },
    sessions,
    close: server.close,
  };
}

/**
 * Registers node:test hooks for a file of tests against one stand-in: it starts before the first
 * test and closes after the last; before each test its request log is emptied, `tokenExpiresIn` and
 * `loginDelayMs` are back to their defaults, and then `eachTest(standin)` runs (keep the stand-in,
 * make a fresh client).
 */
export function useLookerStandin(eachTest: (standin: Standin) => void): void {
  let standin: Standin;
  before(async () => {
    standin = await startLookerStandin();
  });
  after(() => standin.close());
  beforeEach(() => {
    standin.requests.length = 0;
    standin.sessions.clear();
    standin.tokenExpiresIn = 3600;
    standin.loginDelayMs = 0;
    eachTest(standin);
  });
}

/** A Looker API client of the stand-in, with the stand-in's API key; `now` is its clock. */
export function standinClient(standin: Standin, now?: () => number): LookerClient {
  return createClient({
    baseUrl: standin.baseUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...(now ? { now } : {}),
  });
}
