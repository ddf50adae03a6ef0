import { setupWorker } from 'msw/browser';

/** One msw worker for the whole test page; tests add handlers with `worker.use()`. */
export const worker = setupWorker();
let started: Promise<unknown> | null = null;

/** Starts the worker once (served from /mockServiceWorker.js); unmatched requests pass through. */
export function startWorker(): Promise<unknown> {
  started ??= worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: '/mockServiceWorker.js' } });
  return started;
}
