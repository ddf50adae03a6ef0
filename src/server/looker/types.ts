/**
 * The embed user Looker creates (or updates) for an embed session. Your app decides every field
 * from its own user record; never copy them from the browser's request.
 */
export interface LookerEmbedUser {
  /** Your system's stable id for this user (Looker keys its embed user on it). */
  external_user_id: string;
  /** First name shown in Looker (Looker's default: "Embed"). */
  first_name?: string;
  /** Last name shown in Looker (Looker's default: "User"). */
  last_name?: string;
  /** Seconds the embed session lasts, 1 to 2 592 000 (30 days). */
  session_length: number;
  /** Purge any Looker login already in the browser first (Looker's default: true). */
  force_logout_login?: boolean;
  /** Looker permission names, e.g. `access_data`, `see_user_dashboards`. */
  permissions: string[];
  /** LookML model names the user may query. */
  models: string[];
  /** Looker group ids to put the embed user in. */
  group_ids?: Array<string | number>;
  /** An id for a group of embed users in your system (shares a folder in Looker). */
  external_group_id?: string;
  /** Looker user attribute values, e.g. `{ locale: 'en_US', tenant_id: '42' }`. */
  user_attributes?: Record<string, unknown>;
  /** Deprecated by Looker in favour of user attributes; still accepted. */
  access_filters?: Record<string, unknown>;
  /** IANA time zone; `null` = the instance default. Omit when user time zones are disabled. */
  user_timezone?: string | null;
}

/** Looker's answer to generating fresh tokens for a cookieless session (and the core of an acquire answer). */
export interface CookielessTokens {
  /** Token the iframe appends to Looker navigation (`embed_navigation_token`). */
  navigation_token: string;
  /** Seconds the navigation token is valid. */
  navigation_token_ttl: number;
  /** Token the iframe uses for Looker API calls. */
  api_token: string;
  /** Seconds the API token is valid. */
  api_token_ttl: number;
  /** SERVER ONLY: identifies the session (Looker may rotate it on generate_tokens). Never send it to the browser. */
  session_reference_token: string;
  /** Seconds the whole session has left (from generate_tokens never 0: 0 is thrown as `session-ended`). */
  session_reference_token_ttl: number;
}

/** Looker's answer to acquiring a cookieless embed session. Contains the server-only reference. */
export interface CookielessSession extends CookielessTokens {
  /** One-time token for the iframe's `/login/embed/...?embed_authentication_token=` URL. */
  authentication_token: string;
  /** Seconds the authentication token is valid. */
  authentication_token_ttl: number;
}

/** The three tokens generate_tokens needs, as stored between requests. */
export interface CookielessSessionState {
  /** SERVER ONLY. */
  sessionReferenceToken: string;
  /** The API token the browser currently holds. */
  apiToken: string;
  /** The navigation token the browser currently holds. */
  navigationToken: string;
}

/** Parameters of Looker's `POST /embed/sso_url` (Looker signs the URL for you). */
export interface SsoEmbedUrlParams extends Partial<LookerEmbedUser> {
  /** The complete Looker URL to show, e.g. `https://example.looker.com/embed/dashboards/7`. */
  target_url: string;
  /** Seconds the session lasts. */
  session_length: number;
  /** Your system's user id. */
  external_user_id: string;
  /** Any other field Looker's EmbedSsoParams accepts (e.g. `secret_id`, `embed_domain`). */
  [field: string]: unknown;
}
