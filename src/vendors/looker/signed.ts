// Pure timing of Looker's signed-URL sessions: they cannot be refreshed in place, so a new signed URL
// (a new iframe) is loaded shortly before the session runs out.
import { EmbedError } from '../../errors.js';
import type { TokenSet } from '../../token/types.js';

/** A signed embed session as the tokens describe it. */
export interface SignedSession {
  /** The signed URL (single use). */
  url: string;
  /** When the session ends (ms on the clock), or `null` when the tokens do not say. */
  endsAt: number | null;
}

/** Never renew sooner than this after loading a URL: short or stale sessions must not cause a reload storm. */
export const MIN_RENEW_DELAY_MS = 5_000;

/**
 * Reads signed-mode tokens `{url, session_length?, expires?}` that arrived at `seenAt` (ms):
 * `session_length` (seconds, relative to arrival, preferred: immune to clock skew) or `expires`
 * (ISO-8601 string, or seconds since the epoch) gives the end of the session.
 * @throws EmbedError `malformed-token` when `url` is missing or an expiry is unreadable.
 */
export function readSignedSession(tokens: TokenSet, seenAt: number): SignedSession {
  const url = tokens['url'];
  if (typeof url !== 'string' || url === '') {
    throw new EmbedError('malformed-token', 'Looker signed mode needs tokens with a signed "url".');
  }
  const length = tokens['session_length'];
  if (length !== undefined) {
    if (typeof length !== 'number' || !Number.isFinite(length) || length <= 0) {
      throw new EmbedError('malformed-token', 'Looker "session_length" must be a number of seconds > 0.');
    }
    return { url, endsAt: seenAt + length * 1000 };
  }
  const expires = tokens['expires'];
  if (expires === undefined || expires === null) return { url, endsAt: null };
  const endsAt = typeof expires === 'number' ? expires * 1000 : typeof expires === 'string' ? Date.parse(expires) : NaN;
  if (!Number.isFinite(endsAt)) {
    throw new EmbedError('malformed-token', 'Looker "expires" must be an ISO-8601 time or seconds since the epoch.');
  }
  return { url, endsAt };
}

/**
 * When to load a fresh signed URL: `renewBeforeSeconds` before the session ends, but no earlier than
 * half-way through a short session, and never sooner than {@link MIN_RENEW_DELAY_MS} after `loadedAt`.
 * `null` when the session has no known end.
 */
export function signedRenewAt(session: SignedSession, loadedAt: number, renewBeforeSeconds: number): number | null {
  if (session.endsAt === null) return null;
  const lifetime = Math.max(0, session.endsAt - loadedAt);
  const margin = Math.min(renewBeforeSeconds * 1000, lifetime / 2);
  return Math.max(session.endsAt - margin, loadedAt + MIN_RENEW_DELAY_MS);
}
