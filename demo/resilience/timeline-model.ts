// What one embed's timeline knows, as plain data and functions (no DOM): the token sets it received
// (from receipt to expiry), marks for refreshes, failures, expiries and clock events, and whether the
// embed ever showed as ready while its tokens had expired. All times are on the simulated true clock
// (real time plus simulated sleeps), so a shifted wall clock changes nothing here.

/** One token set, from receipt to expiry (`null` = never expires). */
export interface TokenBar {
  from: number;
  until: number | null;
}

/** A point in time worth a mark. */
export interface TimelineMark {
  at: number;
  kind: 'refresh' | 'failure' | 'expired' | 'ready' | 'clock' | 'sleep';
  text: string;
}

/** A stretch of time in which the embed showed as ready with expired tokens. */
export interface HeldExpired {
  from: number;
  until: number;
}

/** One embed's timeline. */
export interface TimelineModel {
  bars: TokenBar[];
  marks: TimelineMark[];
  /** Stretches longer than the grace: each one is a broken promise. */
  heldExpired: HeldExpired[];
  /** Since when the embed has shown as ready with expired tokens, or null. */
  expiredReadySince: number | null;
  failures: number;
  refreshes: number;
  expiries: number;
}

/**
 * How long "ready with expired tokens" may last before it counts: the sampling period plus the moment
 * between a wake-up and the refresh it starts at once (the brief allows "refresh at once").
 */
export const GRACE_MS = 1000;
/** Marks and bars older than this (true-clock ms) are dropped, so a long-open page stays small. */
export const KEEP_MS = 15 * 60_000;

export function createTimeline(): TimelineModel {
  return { bars: [], marks: [], heldExpired: [], expiredReadySince: null, failures: 0, refreshes: 0, expiries: 0 };
}

/**
 * Records new tokens. `expiresAt` is the `embed-token` event's, on the page's wall clock at `wallAt`;
 * its distance from then is carried over to the true clock at `trueAt` (both read at the same moment).
 */
export function addTokens(model: TimelineModel, trueAt: number, wallAt: number, expiresAt: number | null): void {
  const previous = model.bars.at(-1);
  // A set replaced before it expired ends where the new one starts.
  if (previous && (previous.until === null || previous.until > trueAt)) previous.until = trueAt;
  model.bars.push({ from: trueAt, until: expiresAt === null ? null : trueAt + (expiresAt - wallAt) });
  if (previous) {
    model.refreshes += 1;
    model.marks.push({ at: trueAt, kind: 'refresh', text: 'new tokens' });
  }
}

/** Records a mark; failures and expiries are counted too. */
export function addMark(model: TimelineModel, mark: TimelineMark): void {
  model.marks.push(mark);
  if (mark.kind === 'failure') model.failures += 1;
  if (mark.kind === 'expired') model.expiries += 1;
}

/** True when the embed's newest token set has expired at `now`. */
export function tokensExpired(model: TimelineModel, now: number): boolean {
  const current = model.bars.at(-1);
  return current !== undefined && current.until !== null && now >= current.until;
}

/**
 * Samples the embed at `now`: showing as `ready` (`state`) with expired tokens for longer than
 * {@link GRACE_MS} records a {@link HeldExpired} stretch (extended while it lasts).
 */
export function sample(model: TimelineModel, now: number, state: string): void {
  if (state !== 'ready' || !tokensExpired(model, now)) {
    model.expiredReadySince = null;
    return;
  }
  const since = (model.expiredReadySince ??= now);
  if (now - since <= GRACE_MS) return;
  const last = model.heldExpired.at(-1);
  if (last && last.from === since) last.until = now;
  else model.heldExpired.push({ from: since, until: now });
}

/** Drops what ended before `now - KEEP_MS` (the counts stay). */
export function prune(model: TimelineModel, now: number): void {
  const horizon = now - KEEP_MS;
  model.marks = model.marks.filter((mark) => mark.at >= horizon);
  const keepFrom = model.bars.findIndex((bar) => bar.until === null || bar.until >= horizon);
  model.bars = keepFrom < 0 ? model.bars.slice(-1) : model.bars.slice(keepFrom);
}
