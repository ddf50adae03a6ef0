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
  /** Server time (ms) from the response's `Date` header, when present: used to correct clock skew. */
  serverDate?: number;
}

/** Fetches a fresh token set; the session calls it and owns retries, scheduling and sharing. */
export type TokenFetcher = (request: { signal: AbortSignal; reason: FetchReason }) => Promise<IdentityResponse>;
