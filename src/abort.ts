// Waiting on a promise that may not honour an abort signal itself (a user's token fetcher, a
// script load, an import()): one helper for the token engine and the vendor adapters.

/**
 * Settles as `promise` does, or rejects with the signal's reason as soon as `signal` aborts (at
 * once when it already has), whether or not `promise` honours the signal. The abort listener goes
 * when `promise` settles. That matters: Chromium keeps an `AbortSignal.any()` signal alive while it
 * has listeners and its sources live, so a listener left on each identity request's signal would
 * keep every request of a session until it is disposed (test/token/session-memory.test.ts).
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    // A signal aborts once, so the listener runs at most once without `{ once: true }`.
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) onAbort();
    promise.finally(() => signal.removeEventListener('abort', onAbort)).then(resolve, reject);
  });
}
