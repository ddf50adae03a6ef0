/** The identity request body the element sends (design.md wire contract), already validated. */
export interface IdentityRequestBody {
  vendor: string;
  dashboardId?: string;
  /** Non-secret hints from the page; the app's callbacks decide what, if anything, to honour. */
  context: Record<string, unknown>;
  /** A vendor operation, e.g. Looker's `acquire` / `refresh` (generate tokens); absent = default. */
  action?: string;
}

/** What a vendor provider answers: the tokens for the browser and when they expire. */
export interface VendorTokens {
  tokens: Record<string, unknown>;
  /** Seconds from now; `null` = never expires. */
  expiresIn?: number | null;
  /** ISO time; `null` = never expires. */
  expiresAt?: string | null;
}

/** Everything a vendor provider gets for one identity request. */
export interface ProviderContext<User> {
  /** The app's user, as `authenticate(request)` returned it. */
  user: User;
  /**
   * The incoming request: method, URL and headers (User-Agent, Origin, cookies). Its body is already
   * read: use `body` below.
   */
  request: Request;
  body: IdentityRequestBody;
  /**
   * Aborts when the identity request's deadline (`deadlineMs`) passes or the client goes away; pass
   * it on to vendor calls (`fetch`, `callUpstream({signal})`) so they stop with it. Always set by
   * `createIdentityHandler`.
   */
  signal?: AbortSignal;
}

/**
 * Mints one vendor's tokens for an authenticated user. Access claims come from the app, never the body.
 * Returns the tokens, or a promise of them (a provider that has them at hand may answer at once).
 */
export type IdentityProvider<User = unknown> = (context: ProviderContext<User>) => VendorTokens | Promise<VendorTokens>;
