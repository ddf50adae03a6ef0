/**
 * One deadline for a whole identity request. The element gives up on a request after 15 s; vendor
 * calls with their own timeouts can add up to more (a Looker login, then a session, then tokens),
 * so the endpoint answers a retriable 503 at its deadline instead, and aborts what is still running.
 */
import { EmbedServerError } from '../errors.js';

/** Default `deadlineMs` of the identity handler: 10 s, well inside the element's 15 s timeout. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** What `work` gets: the deadline's signal, made on first use (see {@link withDeadline}). */
export interface DeadlineScope {
  /** Aborts at the deadline (reason: the `upstream-timeout` error) or when the client goes away. */
  readonly signal: AbortSignal;
}

/**
 * Runs `work` and settles with it, or rejects with `upstream-timeout` (retriable) once
 * `deadlineMs` have passed, even when `work` ignores the signal. The signal (and the listener on
 * `request.signal`) is made only when `work` reads it: on Node 20 each AbortSignal costs more than
 * a cached Vizzly answer (bench/identity-handler.ts), and most providers never read it. The timer
 * and the listener are released as soon as it settles.
 */
export async function withDeadline<T>(
  deadlineMs: number,
  request: Request,
  work: (scope: DeadlineScope) => Promise<T>,
): Promise<T> {
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onClientGone = (): void => controller?.abort(request.signal.reason);
  const scope: DeadlineScope = {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (request.signal.aborted) onClientGone();
        else request.signal.addEventListener('abort', onClientGone, { once: true });
      }
      return controller.signal;
    },
  };
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new EmbedServerError(
        'upstream-timeout',
        `The identity request did not finish within its deadline (deadlineMs: ${deadlineMs} ms); a vendor API or authenticate() was too slow.`,
        { retriable: true },
      );
      controller?.abort(error);
      reject(error);
    }, deadlineMs);
  });
  try {
    const working = work(scope);
    // Once the deadline has won, a late failure of `work` has nobody left to tell.
    working.catch(() => undefined);
    return await Promise.race([working, expired]);
  } finally {
    clearTimeout(timer);
    if (controller) request.signal.removeEventListener('abort', onClientGone);
  }
}
