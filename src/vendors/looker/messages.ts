// Pure Looker message logic: what to answer, when a session needs a new one, which events to re-emit.
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

function token(tokens: TokenSet, key: string): string {
  return requireToken(tokens, key, 'Looker');
}

/** True when a token set carries everything a `session:tokens` answer needs. */
export function hasSessionTokens(tokens: TokenSet): boolean {
  try {
    sessionTokens(tokens, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `session:tokens` answer from a token set that arrived `elapsedSeconds` ago. The `*_ttl` values
 * were true on arrival; each is lowered by the whole seconds elapsed since (never below 0), so Looker
 * never believes a token lives more than a second longer than it does. Only these five fields are copied: nothing
 * else in the token set (never a session reference token) reaches the iframe.
 * @throws EmbedError `malformed-token` when a field is missing or of the wrong type.
 */
export function sessionTokens(tokens: TokenSet, elapsedSeconds: number): LookerSessionTokens {
  // Whole seconds elapsed: a token that just arrived keeps its exact ttl.
  const elapsed = Math.max(0, Math.floor(elapsedSeconds));
  const left = (key: string): number => Math.max(0, Math.floor(ttl(tokens, key) - elapsed));
  return {
    api_token: token(tokens, 'api_token'),
    api_token_ttl: left('api_token_ttl'),
    navigation_token: token(tokens, 'navigation_token'),
    navigation_token_ttl: left('navigation_token_ttl'),
    session_reference_token_ttl: left('session_reference_token_ttl'),
  };
}

/**
 * Whether a `session:status` message means the session is gone and a new one is needed: it is
 * `expired`, or Looker says it cannot recover by itself (`recoverable: false`, or `interrupted`
 * without `recoverable: true`). An interrupted but recoverable session is left to Looker.
 */
export function sessionNeedsRecovery(status: Readonly<Record<string, unknown>>): boolean {
  if (status['expired'] === true) return true;
  if (status['recoverable'] === false) return true;
  return status['interrupted'] === true && status['recoverable'] !== true;
}

/** Whether a `session:status` message says all is well (neither expired nor interrupted). */
export function sessionIsHealthy(status: Readonly<Record<string, unknown>>): boolean {
  return status['expired'] !== true && status['interrupted'] !== true && status['recoverable'] !== false;
}

/** The height (px) of a `page:properties:changed` message, or `null` when it has none usable. */
export function pageHeight(message: Readonly<Record<string, unknown>>): number | null {
  const height = message['height'];
  return typeof height === 'number' && Number.isFinite(height) && height > 0 ? Math.ceil(height) : null;
}
