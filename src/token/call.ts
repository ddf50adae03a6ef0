import { untilAborted } from '../abort.js';
import { EmbedError, isEmbedError } from '../errors.js';
import { resolveExpiry, type Expiry } from './expiry.js';
import { anchorAt, type ClockReading, type TimeBase } from './time.js';
import type { Clock } from '../timers.js';
import type { FetchReason, TokenFetcher, TokenSet } from './types.js';

/** An answer, with the time base it gives and the expiry it states. */
export interface Answer {
  tokens: TokenSet;
  base: TimeBase;
  expiry: Expiry;
}

/** What one identity call needs: the fetcher, the clock for its timeout, and the session's limits. */
export interface CallSettings {
  fetchTokens: TokenFetcher;
  clock: Clock;
  timeoutMs: number;
  defaultLifetimeMs: number;
}

/**
 * One identity request sent at `sent` (a reading of both clocks), with a timeout, aborted by any of
 * `signals`; resolves to the answer anchored at that moment, or rejects with a typed EmbedError
 * (or the reason of the signal that aborted it).
 */
export async function callIdentity(
  settings: CallSettings,
  sent: ClockReading,
  request: { reason: FetchReason; action?: string },
  signals: AbortSignal[],
): Promise<Answer> {
  const own = new AbortController();
  const signal = AbortSignal.any([own.signal, ...signals]);
  const { clock, timeoutMs } = settings;
  const timeout = clock.setTimeout(
    () =>
      own.abort(
        new EmbedError('timeout', `The identity endpoint did not answer in ${timeoutMs} ms.`, { retriable: true }),
      ),
    timeoutMs,
  );
  try {
    const response = await untilAborted(settings.fetchTokens({ signal, ...request }), signal);
    // An answer relayed from before this call (another tab's) dates from when it was sent.
    const back = Math.max(0, sent.wall - (response.sentAt ?? sent.wall));
    const from = { mono: sent.mono - back, wall: sent.wall - back };
    return {
      tokens: response.tokens,
      base: anchorAt(response.serverDate, from),
      expiry: resolveExpiry({ ...response, sentAt: from.wall }, settings.defaultLifetimeMs),
    };
  } catch (error) {
    throw isEmbedError(error) || signal.aborted
      ? error
      : new EmbedError('network', `Fetching tokens failed: ${error}`, { retriable: true, cause: error });
  } finally {
    clock.clearTimeout(timeout);
  }
}
