/**
 * One deadline for a whole identity request. The element gives up on a request after 15 s; vendor
 * calls with their own timeouts can add up to more (a Looker login, then a session, then tokens),
 * so the endpoint answers a retriable 503 at its deadline instead, and aborts what is still running.
 */
import { EmbedServerError } from '../errors.js';

/** Default `deadlineMs` of the identity handler: 10 s, well inside the element's 15 s timeout. */
export const DEFAULT_DEADLINE_MS = 10_000;

/** What `work` gets from {@link withDeadline}. */
export interface DeadlineScope {
  /** Aborts at the deadline (reason: the `upstream-timeout` error) or when the client goes away. */
  readonly signal: AbortSignal;
}

function deadlineError(deadlineMs: number): EmbedServerError {
  return new EmbedServerError(
    'upstream-timeout',
    `The identity request did not finish within its deadline (deadlineMs: ${deadlineMs} ms); a vendor API or authenticate() was too slow.`,
    { retriable: true },
  );
}

/**
 * Runs `work(scope)` and settles with it, or rejects with `upstream-timeout` (retriable) once
 * `deadlineMs` have passed, even when `work` ignores the signal. `scope.signal` aborts at the
 * deadline or when `request.signal` aborts (the client went away); one read after the deadline is
 * already aborted. The signal, and the listener on `request.signal`, are made only when `work`
 * reads it: on Node 20 they cost more than a whole reused Vizzly answer, and a provider answering
 * from its cache never reads it. The timer and the listener are released as soon as it settles.
 */
export async function withDeadline<T>(
  deadlineMs: number,
  request: Request,
  work: (scope: DeadlineScope) => Promise<T>,
): Promise<T> {
  let controller: AbortController | undefined;
  let expiredWith: EmbedServerError | undefined;
  let settled = false;
  const onClientGone = (): void => controller?.abort(request.signal.reason);
  const scope: DeadlineScope = {
    get signal() {
      if (controller) return controller.signal;
      controller = new AbortController();
      if (expiredWith) controller.abort(expiredWith);
      else if (!settled) {
        // Under toNodeHandler, reading request.signal is what makes the bridge's own signal.
        const client = request.signal;
        if (client.aborted) controller.abort(client.reason);
        else client.addEventListener('abort', onClientGone, { once: true });
      }
      return controller.signal;
    },
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expiredWith = deadlineError(deadlineMs);
      controller?.abort(expiredWith);
      reject(expiredWith);
    }, deadlineMs);
  });
  try {
    const working = work(scope);
    // Once the deadline has won, a late failure of `work` has nobody left to tell.
    working.catch(() => undefined);
    return await Promise.race([working, expired]);
  } finally {
    settled = true;
    clearTimeout(timer);
    if (controller) request.signal.removeEventListener('abort', onClientGone);
  }
}
