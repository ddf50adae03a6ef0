/**
 * Formant: embed access tokens from a service account (`POST /v1/admin/auth/login-embed`) with a scope
 * decided by the app, user sessions (`login`, `refresh`), and an identity provider for the identity endpoint.
 *
 * Formant's access tokens are JWTs; their `exp` claim gives `expiresAt`.
 *
 * @module
 */
import { check } from './errors.js';
import type { ProviderContext, VendorTokens } from './types.js';
import { checkTokenExpiration, formantUrl, malformed, postFormant, tokenExpiry } from './formant/http.js';
import { readScope } from './formant/scope.js';
import { asRecord, nonEmptyString } from './validate.js';
import { createTokenReuse, ownerOf, reuseKey } from './stores/reuse.js';
import type {
  EmbedToken,
  FormantProviderOptions,
  FormantSession,
  LoginEmbedOptions,
  LoginOptions,
  RefreshOptions,
} from './formant/types.js';

export type {
  EmbedToken,
  FormantConnection,
  FormantCredentials,
  FormantProviderOptions,
  FormantScope,
  FormantSession,
  FormantTagSet,
  LoginEmbedOptions,
  LoginOptions,
  RefreshOptions,
} from './formant/types.js';
export { DEFAULT_API_BASE_URL } from './formant/http.js';
export { readScope } from './formant/scope.js';

const VENDOR = 'formant';

/**
 * Default `cache.minRemainingSeconds` for Formant: a reused embed token keeps at least 5 minutes of
 * life, so the element holding it has time for its own refresh (60 s before expiry at the latest).
 */
export const FORMANT_MIN_REMAINING_SECONDS = 300;

/** Validates the service account credentials and connection options shared by login-embed and login. */
function checkCredentials(
  options: { email?: unknown; password?: unknown; apiBaseUrl?: string; tokenExpirationSeconds?: unknown },
  what: string,
): void {
  check(options && typeof options === 'object', `formant: ${what} needs an options object.`, VENDOR);
  check(nonEmptyString(options.email), "formant: email is required: the service account's email address.", VENDOR);
  check(nonEmptyString(options.password), "formant: password is required: the service account's password.", VENDOR);
  checkTokenExpiration(options.tokenExpirationSeconds);
  formantUrl(options.apiBaseUrl, '/');
}

function checkRoleId(roleId: unknown): void {
  check(
    roleId === undefined || nonEmptyString(roleId),
    'formant: roleId must be a non-empty string (a Formant role id) when given.',
    VENDOR,
  );
}

/**
 * Gets an access token for an embedded view, scoped to what the end user may see.
 *
 * Sends `POST {apiBaseUrl}/v1/admin/auth/login-embed` with `{email, password, scope, roleId?, tokenExpirationSeconds?}`.
 *
 * @returns the access token and its expiry (from the JWT's `exp`).
 * @throws EmbedServerError `invalid-input` for bad options or scope (before any request); `upstream-http`
 *   when Formant refuses (status, Formant's message, what to check); `upstream-malformed` when the answer
 *   holds no JWT with an `exp`; `upstream-network` / `upstream-timeout`. The password never appears.
 */
export async function loginEmbed(options: LoginEmbedOptions): Promise<EmbedToken> {
  checkCredentials(options, 'loginEmbed');
  checkRoleId(options.roleId);
  const scope = readScope(options.scope);
  const body: Record<string, unknown> = { email: options.email, password: options.password, scope };
  if (options.roleId !== undefined) body.roleId = options.roleId;
  if (options.tokenExpirationSeconds !== undefined) body.tokenExpirationSeconds = options.tokenExpirationSeconds;
  const secrets = [options.password];
  const answer = await postFormant(options, '/v1/admin/auth/login-embed', body, 'login-embed', secrets);
  const record = asRecord(answer.body);
  // Formant documents a top-level accessToken; login's {authentication: {accessToken}} shape is read too.
  const accessToken = record.accessToken ?? asRecord(record.authentication).accessToken;
  if (!nonEmptyString(accessToken))
    throw malformed(answer.status, 'login-embed', 'without an accessToken', answer.body, secrets);
  const expiresAt = tokenExpiry(accessToken);
  if (!expiresAt)
    throw malformed(answer.status, 'login-embed', 'its accessToken is not a JWT with an exp claim', undefined, secrets);
  return { accessToken, expiresAt };
}

/** Reads `{authentication: {accessToken, organizationId, userId, refreshToken?}}` from login / refresh. */
function readSession(
  answer: { status: number; body: unknown },
  operation: string,
  secrets: readonly string[],
): FormantSession {
  const record = asRecord(answer.body);
  const auth = record.authentication;
  if (!auth || typeof auth !== 'object') {
    const problem = record.challenge
      ? 'with a challenge (e.g. multi-factor authentication) instead of a session; use a service account that signs in without one'
      : 'without an authentication object';
    throw malformed(answer.status, operation, problem, answer.body, secrets);
  }
  const { accessToken, organizationId, userId, refreshToken } = auth as Record<string, unknown>;
  if (!nonEmptyString(accessToken) || !nonEmptyString(organizationId) || !nonEmptyString(userId)) {
    throw malformed(
      answer.status,
      operation,
      'its authentication lacks accessToken, organizationId or userId',
      undefined,
      secrets,
    );
  }
  const expiresAt = tokenExpiry(accessToken);
  if (!expiresAt)
    throw malformed(answer.status, operation, 'its accessToken is not a JWT with an exp claim', undefined, secrets);
  const session: FormantSession = { accessToken, organizationId, userId, expiresAt };
  if (nonEmptyString(refreshToken)) session.refreshToken = refreshToken;
  return session;
}

/**
 * Signs a user in: `POST {apiBaseUrl}/v1/admin/auth/login` with `{email, password, tokenExpirationSeconds?}`.
 *
 * @returns `{accessToken, organizationId, userId, refreshToken?, expiresAt}`; keep the refresh token on the server.
 * @throws EmbedServerError as `loginEmbed`; `upstream-malformed` also when Formant asks for a challenge (MFA).
 */
export async function login(options: LoginOptions): Promise<FormantSession> {
  checkCredentials(options, 'login');
  const body: Record<string, unknown> = { email: options.email, password: options.password };
  if (options.tokenExpirationSeconds !== undefined) body.tokenExpirationSeconds = options.tokenExpirationSeconds;
  const secrets = [options.password];
  const answer = await postFormant(options, '/v1/admin/auth/login', body, 'login', secrets);
  return readSession(answer, 'login', secrets);
}

/**
 * Renews a session: `POST {apiBaseUrl}/v1/admin/auth/refresh` with `{refreshToken, tokenExpirationSeconds?}`.
 *
 * @returns the new session (`refreshToken` only when Formant issued a new one).
 * @throws EmbedServerError as `login`. The refresh token never appears in an error.
 */
export async function refresh(options: RefreshOptions): Promise<FormantSession> {
  check(options && typeof options === 'object', 'formant: refresh needs an options object.', VENDOR);
  check(
    nonEmptyString(options.refreshToken),
    'formant: refreshToken is required: the refresh token a previous login returned.',
    VENDOR,
  );
  checkTokenExpiration(options.tokenExpirationSeconds);
  const body: Record<string, unknown> = { refreshToken: options.refreshToken };
  if (options.tokenExpirationSeconds !== undefined) body.tokenExpirationSeconds = options.tokenExpirationSeconds;
  const secrets = [options.refreshToken];
  const answer = await postFormant(options, '/v1/admin/auth/refresh', body, 'refresh', secrets);
  return readSession(answer, 'refresh', secrets);
}

/**
 * An identity provider for the identity endpoint: asks the app's `scope(user, body)` what the user may
 * see and calls login-embed with it. The request body can never set the scope, role or lifetime.
 *
 * Tokens are reused per scope (`cache`, default on): requests with the same scope get the token minted
 * earlier while at least `minRemainingSeconds` ({@link FORMANT_MIN_REMAINING_SECONDS}) of it is left, so
 * the service account logs in once per user and token lifetime, not once per request. A refresh
 * (`action: "refresh"`) always logs in anew. `cache: false` logs in on every request.
 *
 * Answers `{tokens: {accessToken}, expiresAt, expiresIn}` (from the JWT's `exp`). Options are validated
 * once, here, so a misconfiguration fails at startup.
 */
export function identityProvider<User = unknown>(
  options: FormantProviderOptions<User>,
): (context: ProviderContext<User>) => Promise<VendorTokens> {
  checkCredentials(options, 'identityProvider');
  checkRoleId(options.roleId);
  check(
    typeof options.scope === 'function',
    'formant: scope(user, body) is required: it returns the scope {tags: {...}, devices?, …} for the user.',
    VENDOR,
  );
  check(
    options.userKey === undefined || typeof options.userKey === 'function',
    'formant: userKey must be a function (user) => string when given.',
    VENDOR,
  );
  const now = options.now ?? Date.now;
  const reuse = createTokenReuse(options.cache, {
    vendor: VENDOR,
    minRemainingSeconds: FORMANT_MIN_REMAINING_SECONDS,
    now,
  });
  const account = [
    formantUrl(options.apiBaseUrl, '/'),
    options.email,
    options.roleId ?? null,
    options.tokenExpirationSeconds ?? null,
  ];

  return async ({ user, body }): Promise<VendorTokens> => {
    const scope = readScope(await options.scope(user, body), 'formant: scope(user, body) returned a bad value: scope');
    const held = await reuse.tokens({
      key: await reuseKey(VENDOR, [...account, scope]),
      owner: await ownerOf(VENDOR, user, options.userKey),
      refresh: body.action === 'refresh',
      mint: async () => {
        const { accessToken, expiresAt } = await loginEmbed({
          email: options.email,
          password: options.password,
          scope,
          roleId: options.roleId,
          tokenExpirationSeconds: options.tokenExpirationSeconds,
          apiBaseUrl: options.apiBaseUrl,
          fetch: options.fetch,
          timeoutMs: options.timeoutMs,
        });
        return { tokens: { accessToken }, expiresAtMs: Date.parse(expiresAt) };
      },
    });
    const expiresAtMs = held.expiresAtMs ?? now();
    const expiresIn = Math.max(0, Math.floor((expiresAtMs - now()) / 1000));
    return { tokens: held.tokens, expiresAt: new Date(expiresAtMs).toISOString(), expiresIn };
  };
}
