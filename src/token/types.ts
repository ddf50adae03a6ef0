/** Vendor-specific tokens, as the identity endpoint returns them in `tokens`. */
export type TokenSet = Readonly<Record<string, unknown>>;

/** Why the session asks for tokens: the first time, or to replace tokens it already holds. */
export type FetchReason = 'initial' | 'refresh';

/** The identity endpoint's 200 answer (design.md wire contract), plus what the client observed. */
export interface IdentityResponse {
  vendor: string;
  tokens: TokenSet;
  /** Seconds until expiry, relative to the response; `null` = never expires; absent = derive from tokens. */
  expiresIn?: number | null;
  /** ISO time of expiry on the server's clock; `null` = never expires; absent = derive from tokens. */
  expiresAt?: string | null;
  /** Client time (ms, `Date.now()` clock) when the response arrived. */
  receivedAt: number;
  /**
   * Client time (ms, `Date.now()` clock) when the request was sent; the session's own reading when
   * absent. An answer relayed from elsewhere (another tab) must carry it.
   */
  sentAt?: number;
  /** Server time (ms) from the response's `Date` header, when present: the session's time anchor. */
  serverDate?: number;
}

/**
 * Tokens as a session hands them out, with their expiry as a `Date.now()` time worked out at handover
 * (`null` = never). The same shape as the adapter contract's `TokenGrant`.
 */
export interface TokenGrant {
  readonly tokens: TokenSet;
  readonly expiresAt: number | null;
}

/** What a {@link TokenFetcher} is asked for. */
export interface FetchRequest {
  signal: AbortSignal;
  reason: FetchReason;
  /** A one-off vendor operation (e.g. Looker's `acquire`), sent as the wire's `action`. */
  action?: string;
}

/** Fetches a fresh token set; the session calls it and owns retries, scheduling and sharing. */
export type TokenFetcher = (request: FetchRequest) => Promise<IdentityResponse>;
