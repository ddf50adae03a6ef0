/**
 * One deadline for a whole identity request. The element gives up on a request after 15 s; vendor
 * calls with their own timeouts can add up to more (a Looker login, then a session, then tokens),
 * so the endpoint answers a retriable 503 at its deadline instead, and aborts what is still running.
 */
import { EmbedServerError } from '../errors.js';

/** Default `deadlineMs` of the identity handler: 10 s, well inside the element's 15 s timeout. */
export const DEFAULT_DEADLINE_MS = 10_000;

/**
 * Runs `work(signal)` and settles with it, or rejects with `upstream-timeout` (retriable) once
 * `deadlineMs` have passed, even when `work` ignores its signal. `signal` aborts at the deadline
 * (reason: that error) or when `clientSignal` aborts (the client went away). The timer and the
 * listener are released as soon as it settles.
 */
export async function withDeadline<T>(
  deadlineMs: number,
  clientSignal: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new EmbedServerError(
        'upstream-timeout',
        `The identity request did not finish within its deadline (deadlineMs: ${deadlineMs} ms); a vendor API or authenticate() was too slow.`,
        { retriable: true },
      );
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  const onClientGone = (): void => controller.abort(clientSignal.reason);
  if (clientSignal.aborted) onClientGone();
  else clientSignal.addEventListener('abort', onClientGone, { once: true });
  try {
    const working = work(controller.signal);
    // Once the deadline has won, a late failure of `work` has nobody left to tell.
    working.catch(() => undefined);
    return await Promise.race([working, expired]);
  } finally {
    clearTimeout(timer);
    clientSignal.removeEventListener('abort', onClientGone);
  }
}
