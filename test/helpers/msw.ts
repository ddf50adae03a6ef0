import { setupWorker } from 'msw/browser';

/** One msw worker for the whole test page; tests add handlers with `worker.use()`. */
export const worker = setupWorker();
let started: Promise<unknown> | null = null;

/**
 * When another test page registered the worker first, this page is not controlled yet and msw
 * would reload it (which aborts the test file): wait for the worker to claim it instead.
 */
async function untilControlled(): Promise<void> {
  const { serviceWorker } = navigator;
  if (serviceWorker.controller || (await serviceWorker.getRegistrations()).length === 0) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 2000);
    serviceWorker.addEventListener('controllerchange', done, { once: true });
  });
}

/** Starts the worker once (served from /mockServiceWorker.js); unmatched requests pass through. */
export function startWorker(): Promise<unknown> {
  started ??= untilControlled().then(() =>
    worker.start({ quiet: true, onUnhandledRequest: 'bypass', serviceWorker: { url: '/mockServiceWorker.js' } }),
  );
  return started;
}
