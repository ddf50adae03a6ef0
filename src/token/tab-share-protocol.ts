// What tabs say to each other when they share tokens (see tab-share.ts), as pure functions: the
// messages and their validation, the lock names, and how an answer's age crosses from tab to tab.
import type { IdentityResponse } from './types.js';

/** Bumped when the messages change, so tabs running two versions of the package ignore each other. */
export const PROTOCOL_VERSION = 1;

/** The BroadcastChannel every key shares; each message names its key. */
export const DEFAULT_CHANNEL = 'embed-dashboard:tokens';

/**
 * An answer as it travels: the identity response (plain data only), an id that stays the same
 * however often it is relayed, and its age. The age is a duration measured by the sender on its own
 * clocks, never a time: each tab has its own `performance.now()` origin, and a wall time compared
 * across tabs would follow every clock jump.
 */
export interface WireAnswer {
  id: string;
  response: IdentityResponse;
  /** How long ago (ms) the answer was received, when the message was sent. */
  ageMs: number;
  /** How long (ms) the identity request took: the time the answer may be older than its receipt. */
  durationMs: number;
}

export type TabMessage =
  /** A tab fetched new tokens: everyone with the same key may take them. */
  | { v: typeof PROTOCOL_VERSION; kind: 'answer'; key: string; answer: WireAnswer }
  /** A tab about to fetch asks the others what they hold. */
  | { v: typeof PROTOCOL_VERSION; kind: 'ask'; key: string; id: string }
  /** The answer to an `ask` (`to` is its id): the newest answer the tab knows, or `null`. */
  | { v: typeof PROTOCOL_VERSION; kind: 'reply'; key: string; to: string; answer: WireAnswer | null };

/** One reading of both clocks: monotonic (`performance.now()` basis) and wall (`Date.now()`). */
export interface Reading {
  mono: number;
  wall: number;
}

/**
 * The Web Lock names for a key: `refresh`, taken by the tab that refreshes; `fallback`, the same
 * among the tabs that gave up waiting for a hung `refresh` holder; `holders`, held (shared) by every
 * tab that shares the key.
 */
export function lockNames(key: string): { refresh: string; fallback: string; holders: string } {
  return {
    refresh: `embed-dashboard:refresh:${key}`,
    fallback: `embed-dashboard:fallback:${key}`,
    holders: `embed-dashboard:holders:${key}`,
  };
}

/**
 * Time passed between two readings: the monotonic clock's progress, or the wall clock's when it
 * moved further (most laptops stop the monotonic clock while asleep). A wall clock set back changes
 * nothing; one set forward only makes answers look older, so they are refreshed early, never late.
 */
export function elapsed(then: Reading, now: Reading): number {
  return Math.max(0, now.mono - then.mono, now.wall - then.wall);
}

/** Whether an answer `ageMs` old is worth taking: younger than `maxAgeRatio` of its lifetime. */
export function isFreshEnough(ageMs: number, lifetimeMs: number | null, maxAgeRatio: number): boolean {
  return lifetimeMs === null || ageMs < lifetimeMs * maxAgeRatio;
}

/**
 * The answer as this tab's session should see it: received `ageMs` ago by this tab's wall clock,
 * and sent `durationMs` before that, so the session counts its lifetime from the real request.
 */
export function restamp(response: IdentityResponse, ageMs: number, durationMs: number, wallNow: number) {
  const receivedAt = wallNow - ageMs;
  return { ...response, receivedAt, sentAt: receivedAt - durationMs };
}

/** Only the wire contract's fields, so what is posted is plain, cloneable data and nothing else. */
export function plainResponse(response: IdentityResponse & { sentAt?: number }): IdentityResponse {
  const plain: IdentityResponse & { sentAt?: number } = {
    vendor: response.vendor,
    tokens: response.tokens,
    receivedAt: response.receivedAt,
  };
  if (response.expiresIn !== undefined) plain.expiresIn = response.expiresIn;
  if (response.expiresAt !== undefined) plain.expiresAt = response.expiresAt;
  if (response.sentAt !== undefined) plain.sentAt = response.sentAt;
  if (response.serverDate !== undefined) plain.serverDate = response.serverDate;
  return plain;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isDuration = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

const optional = (value: unknown, check: (inner: unknown) => boolean): boolean => value === undefined || check(value);

const isTime = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);

function isResponse(value: unknown): value is IdentityResponse {
  return (
    isRecord(value) &&
    typeof value.vendor === 'string' &&
    isRecord(value.tokens) &&
    isTime(value.receivedAt) &&
    optional(value.sentAt, isTime) &&
    optional(value.serverDate, isTime) &&
    optional(value.expiresIn, (inner) => inner === null || isDuration(inner)) &&
    optional(value.expiresAt, (inner) => inner === null || typeof inner === 'string')
  );
}

function isWireAnswer(value: unknown): value is WireAnswer {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    isResponse(value.response) &&
    isDuration(value.ageMs) &&
    isDuration(value.durationMs)
  );
}

/**
 * The message in `data` when it is one of ours, of this version and for `key`; `null` for anything
 * else (another key, another version, another script's message on the channel, a malformed one).
 */
export function parseMessage(data: unknown, key: string): TabMessage | null {
  if (!isRecord(data) || data.v !== PROTOCOL_VERSION || data.key !== key) return null;
  switch (data.kind) {
    case 'answer':
      return isWireAnswer(data.answer) ? (data as TabMessage) : null;
    case 'ask':
      return typeof data.id === 'string' ? (data as TabMessage) : null;
    case 'reply':
      return typeof data.to === 'string' && (data.answer === null || isWireAnswer(data.answer))
        ? (data as TabMessage)
        : null;
    default:
      return null;
  }
}
