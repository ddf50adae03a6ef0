// Pure Looker message logic, as Looker's official embed host behaves: what to answer a token request,
// what a session status means, which heights to follow, which events to re-emit.
import { EmbedError } from '../../errors.js';
import type { TokenSet } from '../../token/types.js';
import { requireToken } from '../tokens.js';

/** The data of a `session:tokens` message, as the Looker iframe expects it. */
export interface LookerSessionTokens {
  api_token: string;
  api_token_ttl: number;
  navigation_token: string;
  navigation_token_ttl: number;
  session_reference_token_ttl: number;
}

/**
 * Looker's dashboard messages the adapter re-emits on the `<embed-dashboard>` element as DOM
 * `CustomEvent`s (bubbling, composed; `detail` is Looker's message object):
 * - `looker-dashboard-run-start` ← `dashboard:run:start`
 * - `looker-dashboard-run-complete` ← `dashboard:run:complete`
 * - `looker-dashboard-filters-changed` ← `dashboard:filters:changed`
 */
export const LOOKER_EVENTS: Readonly<Record<string, string>> = {
  'dashboard:run:start': 'looker-dashboard-run-start',
  'dashboard:run:complete': 'looker-dashboard-run-complete',
  'dashboard:filters:changed': 'looker-dashboard-filters-changed',
};

/**
 * The answer that tells Looker its session is over, as the official host sends it: placeholder tokens
 * with a TTL (older Looker versions insist on tokens) and `session_reference_token_ttl: 0`. Looker then
 * reports the session expired, and the adapter starts a new one.
 */
export const ENDED_SESSION_TOKENS: Readonly<LookerSessionTokens> = Object.freeze({
  api_token: 'session expired',
  api_token_ttl: 240,
  navigation_token: 'session expired',
  navigation_token_ttl: 240,
  session_reference_token_ttl: 0,
});

/** Heights at or under this (px) are ignored, as Looker's SDK does: a page still laying out reports them. */
export const MIN_REPORTED_HEIGHT = 100;

/** A message to Looker: the JSON string `{type, ...data}` (`data` can never change `type`). */
export function lookerMessage(type: string, data: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ ...data, type });
}

function ttl(tokens: TokenSet, key: string): number {
  const value = tokens[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new EmbedError('malformed-token', `Looker tokens need "${key}" (seconds, a number ≥ 0).`);
  }
  return value;
}

/** The shorter of the API and navigation token lifetimes, in seconds, as issued. */
function issuedLifetime(tokens: TokenSet): number {
  return Math.min(ttl(tokens, 'api_token_ttl'), ttl(tokens, 'navigation_token_ttl'));
}

/** True when a token set carries everything a `session:tokens` answer needs. */
export function hasSessionTokens(tokens: TokenSet): boolean {
  try {
    sessionTokens(tokens, null, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `session:tokens` answer for a token set the session says expires at `expiresAt` (ms, `null` =
 * never), at time `now`. The `*_ttl` values were true when the tokens were issued, and the earlier of
 * the API and navigation token expiries is `expiresAt`; so the time since issue is that lifetime minus
 * what is left, and every `*_ttl` is lowered by it (whole seconds, never below 0). A session whose
 * reference has run out gets {@link ENDED_SESSION_TOKENS}. Only these five fields are copied: nothing
 * else in the token set (never a session reference token) reaches the iframe.
 * @throws EmbedError `malformed-token` when a field is missing or of the wrong type.
 */
export function sessionTokens(tokens: TokenSet, expiresAt: number | null, now: number): LookerSessionTokens {
  const apiToken = requireToken(tokens, 'api_token', 'Looker');
  const navigationToken = requireToken(tokens, 'navigation_token', 'Looker');
  const lifetime = issuedLifetime(tokens);
  const left = expiresAt === null ? lifetime : (expiresAt - now) / 1000;
  const elapsed = Math.max(0, Math.ceil(lifetime - left));
  const aged = (key: string): number => Math.max(0, Math.floor(ttl(tokens, key) - elapsed));
  const answer: LookerSessionTokens = {
    api_token: apiToken,
    api_token_ttl: aged('api_token_ttl'),
    navigation_token: navigationToken,
    navigation_token_ttl: aged('navigation_token_ttl'),
    session_reference_token_ttl: aged('session_reference_token_ttl'),
  };
  return answer.session_reference_token_ttl === 0 ? { ...ENDED_SESSION_TOKENS } : answer;
}

/**
 * How long (ms) tokens handed to the iframe must stay valid: `marginSeconds` (the official host's two
 * minutes), but at most half the tokens' lifetime, so short-lived tokens are still reused for a while
 * instead of costing one identity request per iframe request. Held tokens with less left are replaced
 * by one refresh that every iframe shares.
 */
export function tokenMinValidityMs(tokens: TokenSet, marginSeconds: number): number {
  let lifetime: number;
  try {
    lifetime = issuedLifetime(tokens);
  } catch {
    return marginSeconds * 1000;
  }
  return Math.min(marginSeconds, lifetime / 2) * 1000;
}

/** What a `session:status` message asks of the host. */
export type SessionStatusMeaning = 'ended' | 'interrupted' | 'healthy';

/**
 * Reads a `session:status` as Looker's official host does: `expired` ends the session; `recoverable`
 * matters only together with `interrupted` (an interrupted, unrecoverable session is over too, while a
 * recoverable one asks for tokens again by itself). Anything else, `{recoverable: false}` alone
 * included, is a healthy session.
 */
export function sessionStatusMeaning(status: Readonly<Record<string, unknown>>): SessionStatusMeaning {
  if (status['expired'] === true) return 'ended';
  if (status['interrupted'] === true) return status['recoverable'] === false ? 'ended' : 'interrupted';
  return 'healthy';
}

/**
 * The content height (px, rounded up) of a `page:properties:changed` message, or `null` when it has
 * none to follow: missing, not a finite number, or at most {@link MIN_REPORTED_HEIGHT}.
 */
export function pageHeight(message: Readonly<Record<string, unknown>>): number | null {
  const height = message['height'];
  return typeof height === 'number' && Number.isFinite(height) && height > MIN_REPORTED_HEIGHT
    ? Math.ceil(height)
    : null;
}
