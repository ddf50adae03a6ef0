import { EmbedServerError, check, withChanges } from '../errors.js';
import { callUpstream } from '../upstream.js';
import type { UpstreamRequest } from '../upstream.js';
import { asRecord } from '../validate.js';
import {
  buildAcquireBody,
  parseAcquireResponse,
  parseGenerateTokensResponse,
  sessionEnded,
  validateEmbedDomain,
  validateEmbedUser,
} from './cookieless.js';
import { withLookerErrorDetails } from './errors.js';
import { createTokenCache } from './token-cache.js';
import type { IssuedToken } from './token-cache.js';
import type { SessionStore } from '../session-store.js';
import type {
  CookielessSession,
  CookielessSessionState,
  CookielessTokens,
  LookerEmbedUser,
  SsoEmbedUrlParams,
} from './types.js';

const VENDOR = 'looker';

/** Options of {@link createClient}. */
export interface LookerClientOptions {
  /** The Looker API host, e.g. `https://example.looker.com` or `https://looker.internal:19999` (no `/api/...`). */
  baseUrl: string;
  /** The client_id of a Looker API key (Admin → Users → Edit keys). */
  clientId: string;
  /** The client_secret of that API key. Stays on the server; never appears in an error. */
  clientSecret: string;
  /** Looker API version in the path (default `'4.0'`; 3.x is removed from current Looker). */
  apiVersion?: string;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Clock in milliseconds since the epoch (default `Date.now`), for token expiry. */
  now?: () => number;
  /** Milliseconds before a Looker call is given up (default 10 000). */
  timeoutMs?: number;
  /**
   * Where the API login and per-user (`login/{id}`) tokens are cached (default: in memory). Pass a shared
   * store (e.g. Redis) so that several instances log in once between them.
   */
  tokenStore?: SessionStore;
}

/** One authenticated Looker API call made through {@link LookerClient.call}. */
export interface LookerCall {
  /** HTTP method (PATCH is not offered: the shared upstream helper does not take it yet). */
  method: UpstreamRequest['method'];
  /** Path below `/api/<version>`, e.g. `/dashboards/7`. */
  path: string;
  /** JSON body, or URLSearchParams for a form. */
  body?: unknown;
  /** Extra request headers (e.g. a forwarded `user-agent`). */
  headers?: Record<string, string>;
  /** Make the call as this Looker user (a cached `login/{user_id}` token) instead of as the API key's user. */
  asUser?: string | number;
  /** Values to cut out of any error (e.g. a token that is part of `path`); the API key and access token always are. */
  secrets?: string[];
}

/** Per-request options of the cookieless embed calls. */
export interface CookielessRequestOptions {
  /** The browser's User-Agent header: Looker binds the cookieless session to it. */
  userAgent: string;
}

/** Options of {@link LookerClient.acquireSession}. */
export interface AcquireSessionOptions extends CookielessRequestOptions {
  /** The origin of the page that hosts the iframe, e.g. `https://app.example.com`. */
  embedDomain: string;
  /** A stored session reference to rejoin (another iframe of the same user and browser). */
  sessionReferenceToken?: string;
}

/** A Looker API client: cached, single-flight logins and the embed endpoints. */
export interface LookerClient {
  /** The API key's access token, cached until 10 s before it expires; concurrent callers share one login. */
  login(): Promise<string>;
  /** An access token for Looker user `userId` (`POST /login/{user_id}` with the API key's token), cached per user. */
  loginUser(userId: string | number): Promise<string>;
  /** Revokes `token` (`DELETE /logout`) and drops it from the caches. */
  logout(token: string): Promise<void>;
  /** Any authenticated API call: answers the JSON body; after a 401 it logs in again once and retries. */
  call<T = unknown>(request: LookerCall): Promise<T>;
  /** Starts (or, with `sessionReferenceToken`, joins) a cookieless embed session for `user`. */
  acquireSession(user: LookerEmbedUser, options: AcquireSessionOptions): Promise<CookielessSession>;
  /** Fresh API and navigation tokens for a cookieless session; throws `session-ended` when it is over. */
  generateTokens(state: CookielessSessionState, options: CookielessRequestOptions): Promise<CookielessTokens>;
  /** Ends a cookieless session (logs its embed user out in that browser). */
  deleteSession(sessionReferenceToken: string, options: CookielessRequestOptions): Promise<void>;
  /** Asks Looker to sign an SSO embed URL (`POST /embed/sso_url`). */
  createSsoEmbedUrl(params: SsoEmbedUrlParams): Promise<{ url: string }>;
}

function readAccessToken(body: unknown, what: string): IssuedToken {
  const { access_token: token, expires_in: expiresIn } = asRecord(body);
  if (typeof token !== 'string' || !token || typeof expiresIn !== 'number' || !Number.isFinite(expiresIn)) {
    throw new EmbedServerError(
      'upstream-malformed',
      `looker API answered ${what} without access_token and expires_in.`,
      { vendor: VENDOR },
    );
  }
  return { token, expiresIn };
}

function checkUserAgent(userAgent: unknown, where: string): asserts userAgent is string {
  check(
    typeof userAgent === 'string' && userAgent !== '',
    `${where}: userAgent must be the browser's User-Agent header (Looker binds cookieless sessions to it).`,
    VENDOR,
  );
}

/** Creates a Looker API client. One per Looker instance and API key; share it across requests. */
export function createClient(options: LookerClientOptions): LookerClient {
  check(
    options && typeof options === 'object',
    'looker.createClient: pass { baseUrl, clientId, clientSecret }.',
    VENDOR,
  );
  const { clientId, clientSecret } = options;
  check(
    typeof clientId === 'string' && clientId !== '',
    'looker.createClient: clientId must be the client_id of a Looker API key.',
    VENDOR,
  );
  check(
    typeof clientSecret === 'string' && clientSecret !== '',
    'looker.createClient: clientSecret must be the client_secret of a Looker API key.',
    VENDOR,
  );
  let base: URL | undefined;
  try {
    base = new URL(options.baseUrl);
  } catch {
    base = undefined;
  }
  check(
    base && (base.protocol === 'https:' || base.protocol === 'http:'),
    `looker.createClient: baseUrl must be an absolute http(s) URL such as https://example.looker.com, got ${JSON.stringify(options.baseUrl)}.`,
    VENDOR,
  );
  const apiVersion = options.apiVersion ?? '4.0';
  check(
    /^\d+\.\d+$/.test(apiVersion),
    `looker.createClient: apiVersion must look like '4.0', got ${JSON.stringify(apiVersion)}.`,
    VENDOR,
  );
  const apiRoot = `${base.origin}${base.pathname.replace(/\/+$/, '')}/api/${apiVersion}`;
  const fetchFn = withLookerErrorDetails(options.fetch ?? ((input, init) => fetch(input, init)));
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs;
  // Keyed by API key and Looker (the client id is an identifier, not a secret); the admin token's key is ''.
  const namespace = `looker:token:${apiRoot}:${clientId}`;
  const tokenCache: typeof createTokenCache = (issue, clock) =>
    createTokenCache(issue, clock, { store: options.tokenStore, namespace });

  async function send<T>(request: LookerCall, token: string): Promise<T> {
    const { body } = await callUpstream<T>({
      vendor: VENDOR,
      method: request.method,
      url: apiRoot + request.path,
      headers: { ...request.headers, authorization: `Bearer ${token}` },
      body: request.body,
      fetch: fetchFn,
      timeoutMs,
      // A session reference token travels in a URL path, and callUpstream names the path in its message.
      secrets: [clientSecret, token, ...(request.secrets ?? [])],
    });
    return body;
  }

  const adminTokens = tokenCache(async () => {
    try {
      const { body } = await callUpstream({
        vendor: VENDOR,
        method: 'POST',
        url: `${apiRoot}/login`,
        body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret }),
        fetch: fetchFn,
        timeoutMs,
        secrets: [clientSecret],
      });
      return readAccessToken(body, 'login');
    } catch (error) {
      if (
        !(error instanceof EmbedServerError) ||
        (error.status !== 401 && error.status !== 403 && error.status !== 404)
      )
        throw error;
      throw withChanges(error, {
        message: `${error.message} Check the clientId and clientSecret (a Looker API key) and the baseUrl.`,
      });
    }
  }, now);

  const userTokens = tokenCache(async (userId) => {
    const body = await call({ method: 'POST', path: `/login/${encodeURIComponent(userId)}` });
    return readAccessToken(body, `login/${userId}`);
  }, now);

  function tokenFor(asUser: string | number | undefined): Promise<string> {
    return asUser === undefined ? adminTokens.get('') : userTokens.get(String(asUser));
  }

  async function call<T = unknown>(request: LookerCall): Promise<T> {
    check(
      request && typeof request.path === 'string' && request.path.startsWith('/'),
      `looker client.call: path must start with '/', e.g. '/dashboards/7'.`,
      VENDOR,
    );
    const token = await tokenFor(request.asUser);
    try {
      return await send<T>(request, token);
    } catch (error) {
      if (!(error instanceof EmbedServerError) || error.status !== 401) throw error;
      // The token was revoked or expired early: log in again once (shared with concurrent callers) and retry.
      adminTokens.invalidate(token);
      userTokens.invalidate(token);
      return send<T>(request, await tokenFor(request.asUser));
    }
  }

  return {
    login: () => adminTokens.get(''),

    loginUser(userId) {
      check(
        (typeof userId === 'string' && userId !== '') || (typeof userId === 'number' && Number.isFinite(userId)),
        'looker client.loginUser: userId must be a Looker user id.',
        VENDOR,
      );
      return userTokens.get(String(userId));
    },

    async logout(token) {
      check(
        typeof token === 'string' && token !== '',
        'looker client.logout: pass the access token to revoke.',
        VENDOR,
      );
      adminTokens.invalidate(token);
      userTokens.invalidate(token);
      await send({ method: 'DELETE', path: '/logout' }, token);
    },

    call,

    async acquireSession(user, opts) {
      const where = 'looker client.acquireSession';
      validateEmbedUser(user, where);
      check(opts && typeof opts === 'object', `${where}: pass { userAgent, embedDomain }.`, VENDOR);
      checkUserAgent(opts.userAgent, where);
      validateEmbedDomain(opts.embedDomain, where);
      const body = await call({
        method: 'POST',
        path: '/embed/cookieless_session/acquire',
        headers: { 'user-agent': opts.userAgent },
        body: buildAcquireBody(user, opts.embedDomain, opts.sessionReferenceToken),
        secrets: opts.sessionReferenceToken ? [opts.sessionReferenceToken] : [],
      });
      return parseAcquireResponse(body);
    },

    async generateTokens(state, opts) {
      const where = 'looker client.generateTokens';
      check(
        state &&
          typeof state.sessionReferenceToken === 'string' &&
          state.sessionReferenceToken &&
          typeof state.apiToken === 'string' &&
          typeof state.navigationToken === 'string',
        `${where}: pass { sessionReferenceToken, apiToken, navigationToken } from the acquired session.`,
        VENDOR,
      );
      checkUserAgent(opts?.userAgent, where);
      let body: unknown;
      try {
        body = await call({
          method: 'PUT',
          path: '/embed/cookieless_session/generate_tokens',
          headers: { 'user-agent': opts.userAgent },
          body: {
            session_reference_token: state.sessionReferenceToken,
            api_token: state.apiToken,
            navigation_token: state.navigationToken,
          },
          secrets: [state.sessionReferenceToken],
        });
      } catch (error) {
        // Looker answers 400 "Invalid input tokens provided" when the tokens no longer belong to a live
        // session (a tab that fell behind, a session ended elsewhere): that session cannot go on.
        if (error instanceof EmbedServerError && error.code === 'upstream-http' && error.status === 400)
          throw sessionEnded('generate_tokens answered 400: the tokens belong to no live session');
        throw error;
      }
      return parseGenerateTokensResponse(body, state.sessionReferenceToken);
    },

    async deleteSession(sessionReferenceToken, opts) {
      const where = 'looker client.deleteSession';
      check(
        typeof sessionReferenceToken === 'string' && sessionReferenceToken !== '',
        `${where}: pass the session reference token to end.`,
        VENDOR,
      );
      checkUserAgent(opts?.userAgent, where);
      await call({
        method: 'DELETE',
        path: `/embed/cookieless_session/${encodeURIComponent(sessionReferenceToken)}`,
        headers: { 'user-agent': opts.userAgent },
        secrets: [sessionReferenceToken],
      });
    },

    async createSsoEmbedUrl(params) {
      const where = 'looker client.createSsoEmbedUrl';
      check(
        params && typeof params.target_url === 'string' && /^https?:\/\//.test(params.target_url),
        `${where}: target_url must be the complete Looker URL to embed, e.g. https://example.looker.com/embed/dashboards/7.`,
        VENDOR,
      );
      check(
        typeof params.external_user_id === 'string' && params.external_user_id !== '',
        `${where}: external_user_id must be a non-empty string.`,
        VENDOR,
      );
      check(
        Number.isInteger(params.session_length) && params.session_length > 0,
        `${where}: session_length must be a whole number of seconds.`,
        VENDOR,
      );
      const body = await call<{ url?: unknown }>({ method: 'POST', path: '/embed/sso_url', body: params });
      if (!body || typeof body.url !== 'string' || !body.url) {
        throw new EmbedServerError('upstream-malformed', 'looker API answered embed/sso_url without a url.', {
          vendor: VENDOR,
        });
      }
      return { url: body.url };
    },
  };
}
