// Pure URL building for Looker's cookieless embed. No DOM, tested directly.

/** What {@link buildCookielessUrl} needs. */
export interface CookielessUrlInput {
  /** The Looker origin, e.g. `https://example.looker.com`. */
  origin: string;
  /** The embedded page, e.g. `/embed/dashboards/42` (may carry its own query). */
  embedPath: string;
  /** More query parameters for the embedded page. */
  params?: Readonly<Record<string, string>>;
  /** The page's origin (`location.origin`, no trailing slash): Looker only talks to this origin. */
  embedDomain: string;
  /** From the acquire response; single use. */
  authenticationToken: string;
  /** From the acquire response (or a later `session:tokens`). */
  navigationToken: string;
}

/**
 * The iframe URL of a cookieless session:
 * `{origin}/login/embed/{encodeURIComponent(embedPath?params&embed_domain=…&embed_navigation_token=…)}`
 * `?embed_authentication_token=…`.
 * No `sdk` parameter: this adapter speaks the plain JSON-string message protocol, not the SDK handshake.
 */
export function buildCookielessUrl(input: CookielessUrlInput): string {
  const queryAt = input.embedPath.indexOf('?');
  const path = queryAt >= 0 ? input.embedPath.slice(0, queryAt) : input.embedPath;
  const search = new URLSearchParams(queryAt >= 0 ? input.embedPath.slice(queryAt + 1) : '');
  for (const [key, value] of Object.entries(input.params ?? {})) search.set(key, value);
  search.set('embed_domain', input.embedDomain.replace(/\/+$/, ''));
  const target = `${path}?${search.toString()}&embed_navigation_token=${encodeURIComponent(input.navigationToken)}`;
  return (
    `${input.origin}/login/embed/${encodeURIComponent(target)}` +
    `?embed_authentication_token=${encodeURIComponent(input.authenticationToken)}`
  );
}
