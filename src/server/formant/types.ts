import type { TokenReuseOptions } from '../stores/reuse.js';
import type { IdentityRequestBody } from '../types.js';

/**
 * A Formant tag set: tag key → accepted values. Values of one key are OR-ed, keys are AND-ed.
 * `{}` means no tag restriction. A key set to `null` is Formant's documented "no access" form
 * (`"tags": {"devices": null}`).
 */
export type FormantTagSet = Readonly<Record<string, readonly string[] | null>>;

/**
 * The `scope` of a login-embed session: what the embedded view may see.
 * `tags` applies to every resource; a resource entry (`devices`, `events`, …) overrides `tags` for that
 * resource; a resource set to `null` gets no access.
 */
export interface FormantScope {
  /** Tag set applied to all resources. `{}` = unrestricted (within the service account's own tags). */
  tags: FormantTagSet;
  /** Overrides `tags` for devices; `null` = no access to devices. */
  devices?: FormantTagSet | null;
  /** Overrides `tags` for events; `null` = no access to events. */
  events?: FormantTagSet | null;
  /** Views access (shape per Formant's API; `null` = none). */
  views?: Readonly<Record<string, unknown>> | readonly unknown[] | null;
  /** Any other resource Formant supports: an object, an array, or `null` for no access. */
  [resource: string]: Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined;
}

/** How to reach Formant. */
export interface FormantConnection {
  /** Formant API base URL, default `https://api.formant.io`. */
  apiBaseUrl?: string;
  /** The fetch to use (default: global fetch). */
  fetch?: typeof fetch;
  /** Milliseconds before giving up on Formant (default 10 000). */
  timeoutMs?: number;
}

/** A service account's credentials. The password never appears in an error. */
export interface FormantCredentials {
  /** The service account's email. */
  email: string;
  /** The service account's password (server-side only). */
  password: string;
}

/** Options of `loginEmbed`. */
export interface LoginEmbedOptions extends FormantConnection, FormantCredentials {
  /** What the session may see. Required: pass `{tags: {}}` explicitly for the service account's full access. */
  scope: FormantScope;
  /** Role of the session (default: the service account's role). The account needs viewer permission on it. */
  roleId?: string;
  /** Token lifetime in seconds (Formant's default when omitted). */
  tokenExpirationSeconds?: number;
}

/** An embed access token and when it expires. */
export interface EmbedToken {
  /** The access token (a JWT), for the embedded view's `authToken`. */
  accessToken: string;
  /** ISO time from the token's `exp` claim. */
  expiresAt: string;
}

/** Options of `login`. */
export interface LoginOptions extends FormantConnection, FormantCredentials {
  /** Token lifetime in seconds (Formant's default when omitted). */
  tokenExpirationSeconds?: number;
}

/** Options of `refresh`. */
export interface RefreshOptions extends FormantConnection {
  /** The refresh token a previous `login` returned (server-side only; never appears in an error). */
  refreshToken: string;
  /** Token lifetime in seconds (Formant's default when omitted). */
  tokenExpirationSeconds?: number;
}

/** A Formant user session, from `login` or `refresh`. */
export interface FormantSession {
  /** The access token (a JWT). */
  accessToken: string;
  organizationId: string;
  userId: string;
  /** Present when Formant issued one; use it with `refresh`. Keep it on the server. */
  refreshToken?: string;
  /** ISO time from the access token's `exp` claim. */
  expiresAt: string;
}

/** Options of `identityProvider`. */
export interface FormantProviderOptions<User> extends FormantConnection, FormantCredentials {
  /** Role of the embed session (default: the service account's role). */
  roleId?: string;
  /** Token lifetime in seconds (Formant's default when omitted). */
  tokenExpirationSeconds?: number;
  /**
   * The app decides what the user may see. The request body can never set the scope: it only reaches
   * this callback, which may read non-secret hints from it.
   */
  scope: (user: User, body: IdentityRequestBody) => FormantScope | Promise<FormantScope>;
  /** Clock in ms since the epoch (default `Date.now`), used for `expiresIn` and token reuse. */
  now?: () => number;
  /**
   * Reuse of embed tokens per scope (default on; `false` logs in on every request): see
   * `identityProvider`. `store` shares them between instances (e.g. a Redis store).
   */
  cache?: TokenReuseOptions | false;
  /**
   * Who the user is, for the per-user cap of the token store (default: `user` itself when a string,
   * else `user.id`). One user's entries never evict another's.
   */
  userKey?: (user: User) => string;
}
