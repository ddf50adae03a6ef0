import { sha256Hex } from '../digest.js';
import { EmbedServerError, check } from '../errors.js';
import { createMemorySessionStore } from '../session-store.js';
import type { SessionStore } from '../session-store.js';
import { ownerOf } from '../stores/reuse.js';
import type { IdentityRequestBody, ProviderContext, VendorTokens } from '../types.js';
import type { LookerClient } from './client.js';
import { sessionEnded, validateEmbedDomain, validateEmbedUser } from './cookieless.js';
import type { CookielessTokens, LookerEmbedUser } from './types.js';

const VENDOR = 'looker';

/** What the provider keeps per cookieless session (server side only). */
export interface StoredLookerSession {
  session_reference_token: string;
  api_token: string;
  navigation_token: string;
}

/** Options of {@link identityProvider}. */
export interface LookerProviderOptions<User> {
  /** The Looker client from `looker.createClient`. */
  client: LookerClient;
  /**
   * Where session references live between requests (default: an in-memory store, fine for one process;
   * use a shared store such as `createRedisSessionStore` when several server instances answer identity
   * requests). Each session counts against its Looker user's cap (`maxEntriesPerOwner`), so one user
   * cycling User-Agents only ever evicts their own sessions.
   */
  sessionStore?: SessionStore;
  /** The one page origin that embeds Looker, e.g. `https://app.example.com`. Wins over `allowedEmbedDomains`. */
  embedDomain?: string;
  /**
   * Page origins allowed to embed Looker. The request's `Origin` header (which browsers send on every
   * POST) must be one of them, and becomes the session's `embed_domain`.
   */
  allowedEmbedDomains?: string[];
  /**
   * Maps your app's user to the Looker embed user (external_user_id, permissions, models, …). Decide
   * every field from your own records: `body` is from the browser and only a hint (e.g. a dashboard id).
   * Throw to refuse. Called on every acquire and refresh, so revoking access takes effect at the next refresh.
   */
  user(appUser: User, body: IdentityRequestBody): LookerEmbedUser | Promise<LookerEmbedUser>;
}

/**
 * The store key for a session: a SHA-256 hex digest of (external user id, User-Agent, embed domain).
 * Hashed so the store holds neither raw User-Agent strings nor user ids, and keys stay short; the
 * embed domain is part of it because Looker binds a session to the domain it was acquired for.
 */
export async function sessionKey(externalUserId: string, userAgent: string, embedDomain: string): Promise<string> {
  return `looker:cookieless:${await sha256Hex(JSON.stringify([externalUserId, userAgent, embedDomain]))}`;
}

/** What the browser gets after a refresh: never the session reference token itself. */
const REFRESH_FIELDS = [
  'navigation_token',
  'api_token',
  'navigation_token_ttl',
  'api_token_ttl',
  'session_reference_token_ttl',
] as const;
/** What the browser gets after an acquire: the refresh fields plus the one-time authentication token. */
const ACQUIRE_FIELDS = [
  'authentication_token',
  'navigation_token',
  'api_token',
  'authentication_token_ttl',
  'navigation_token_ttl',
  'api_token_ttl',
  'session_reference_token_ttl',
] as const;

/** The listed fields of Looker's answer, with `expiresIn` the shorter of the API and navigation token lifetimes. */
function browserTokens<S extends CookielessTokens>(session: S, fields: readonly (keyof S)[]): VendorTokens {
  const tokens: Record<string, unknown> = {};
  for (const name of fields) tokens[name as string] = session[name];
  return { tokens, expiresIn: Math.min(session.api_token_ttl, session.navigation_token_ttl) };
}

/** Statuses with which Looker may refuse to rejoin a stale session; a fresh acquire is tried instead. */
const STALE_SESSION_STATUSES = new Set([400, 404, 410, 422]);

/**
 * A Looker cookieless-embed identity provider for the identity endpoint. By `body.action`:
 * - `acquire` (or none): starts or rejoins the user's session for this browser; answers
 *   `{tokens: {authentication_token, navigation_token, api_token, *_ttl…}, expiresIn}`.
 * - `refresh`: fresh `{navigation_token, api_token, navigation_token_ttl, api_token_ttl,
 *   session_reference_token_ttl}`; throws `session-ended` when there is no live session (acquire again).
 * `expiresIn` is the shorter of the API and navigation token lifetimes. The session reference token
 * never leaves the server.
 */
export function identityProvider<User = unknown>(
  options: LookerProviderOptions<User>,
): (context: ProviderContext<User>) => Promise<VendorTokens> {
  const where = 'looker.identityProvider';
  check(
    options && typeof options === 'object' && options.client,
    `${where}: pass { client, user, embedDomain | allowedEmbedDomains }.`,
    VENDOR,
  );
  check(
    typeof options.user === 'function',
    `${where}: user must be a function (appUser, body) => Looker embed user.`,
    VENDOR,
  );
  const { client } = options;
  // A store may be shared with other users of it; this provider reads back only what it wrote.
  const store = (options.sessionStore ?? createMemorySessionStore()) as SessionStore<StoredLookerSession>;
  if (options.embedDomain !== undefined) validateEmbedDomain(options.embedDomain, where);
  else {
    check(
      Array.isArray(options.allowedEmbedDomains) && options.allowedEmbedDomains.length > 0,
      `${where}: set embedDomain (the page origin) or allowedEmbedDomains (a list of origins).`,
      VENDOR,
    );
    for (const domain of options.allowedEmbedDomains) validateEmbedDomain(domain, where);
  }
  const allowed = new Set(options.allowedEmbedDomains ?? []);
  // Concurrent refreshes of one session (several iframes, several tabs) share one generate_tokens call.
  const refreshing = new Map<string, Promise<VendorTokens>>();

  function embedDomainFor(request: Request): string {
    if (options.embedDomain !== undefined) return options.embedDomain;
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) {
      throw new EmbedServerError(
        'forbidden',
        `${where}: the request's Origin ${origin ? JSON.stringify(origin.slice(0, 100)) : '(none)'} is not in allowedEmbedDomains.`,
        { vendor: VENDOR },
      );
    }
    return origin;
  }

  async function acquire(
    embedUser: LookerEmbedUser,
    key: string,
    owner: string | undefined,
    userAgent: string,
    embedDomain: string,
  ): Promise<VendorTokens> {
    const stored = await store.get(key);
    let session;
    try {
      session = await client.acquireSession(embedUser, {
        userAgent,
        embedDomain,
        sessionReferenceToken: stored?.session_reference_token,
      });
    } catch (error) {
      const stale =
        error instanceof EmbedServerError &&
        (error.code === 'session-ended' ||
          (error.code === 'upstream-http' && STALE_SESSION_STATUSES.has(error.status ?? 0)));
      if (!stored || !stale) throw error;
      await store.delete(key);
      session = await client.acquireSession(embedUser, { userAgent, embedDomain });
    }
    await save(key, session, owner);
    return browserTokens(session, ACQUIRE_FIELDS);
  }

  async function save(
    key: string,
    session: StoredLookerSession & { session_reference_token_ttl: number },
    owner: string | undefined,
  ): Promise<void> {
    if (session.session_reference_token_ttl > 0) {
      const { session_reference_token, api_token, navigation_token } = session;
      await store.set(
        key,
        { session_reference_token, api_token, navigation_token },
        session.session_reference_token_ttl,
        { owner },
      );
    } else await store.delete(key);
  }

  async function refresh(key: string, owner: string | undefined, userAgent: string): Promise<VendorTokens> {
    const stored = await store.get(key);
    if (!stored) throw sessionEnded('no session is stored for this user and browser');
    let fresh;
    try {
      fresh = await client.generateTokens(
        {
          sessionReferenceToken: stored.session_reference_token,
          apiToken: stored.api_token,
          navigationToken: stored.navigation_token,
        },
        { userAgent },
      );
    } catch (error) {
      if (error instanceof EmbedServerError && error.code === 'session-ended') await store.delete(key);
      throw error;
    }
    await save(key, fresh, owner);
    return browserTokens(fresh, REFRESH_FIELDS);
  }

  return async ({ user, request, body }: ProviderContext<User>) => {
    const action = body.action ?? 'acquire';
    if (action !== 'acquire' && action !== 'refresh') {
      throw new EmbedServerError(
        'bad-request',
        `${where}: unknown action ${JSON.stringify(String(action).slice(0, 40))}; use 'acquire' or 'refresh'.`,
        { vendor: VENDOR },
      );
    }
    const userAgent = request.headers.get('user-agent');
    if (!userAgent) {
      throw new EmbedServerError(
        'bad-request',
        `${where}: the identity request has no User-Agent header; Looker binds cookieless sessions to the browser's User-Agent.`,
        { vendor: VENDOR },
      );
    }
    const embedDomain = embedDomainFor(request);
    const embedUser = await options.user(user, body);
    validateEmbedUser(embedUser, `${where} (the user callback's result)`);
    const key = await sessionKey(embedUser.external_user_id, userAgent, embedDomain);
    const owner = await ownerOf(VENDOR, embedUser.external_user_id, undefined);
    if (action === 'acquire') return acquire(embedUser, key, owner, userAgent, embedDomain);
    const pending = refreshing.get(key);
    if (pending) return pending;
    const started = refresh(key, owner, userAgent).finally(() => refreshing.delete(key));
    refreshing.set(key, started);
    return started;
  };
}
