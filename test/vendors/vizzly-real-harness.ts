// Harness for the tests against Vizzly's REAL client (test/vendors/vizzly-real-client.test.ts):
// Vizzly's own pull timer captured, its atob decodes recorded, its API and query engine answered by
// the Vizzly stand-in through msw, and token sets signed by this package's own server module.
// Import it first: it must wrap setInterval and atob before Vizzly's bundle runs.
import { http, HttpResponse } from 'msw';
import { createVizzlyStandin, type VizzlyStandin } from '../../demo/standin-apis/vizzly.js';
import { startWorker, worker } from '../helpers/msw.js';

/** Where the tests point Vizzly (msw answers both). */
export const API_HOST = 'https://api.vizzly.test';
export const QUERY_ENGINE = 'https://qe.vizzly.test';
export const CLIENT_URL = '/__bundles/vizzly-dashboard.js';
export const IDENTITY_URL = '/__vizzly/identity';
/** The project id the test endpoint signs for (test/helpers/vizzly-real-client.mjs). */
export const PROJECT_ID = 'prj_real_client_test';
/** Vizzly 0.4.16's pull interval: `setInterval(…, 3e5)`. */
export const VIZZLY_PULL_MS = 300_000;

// --- Vizzly's own timer: the 300 000 ms interval is held here and fired by the test.

const pulls = new Map<number, () => void>();
let nextPullId = -1;
const realSetInterval = window.setInterval.bind(window);
const realClearInterval = window.clearInterval.bind(window);
window.setInterval = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
  if (timeout !== VIZZLY_PULL_MS || typeof handler !== 'function') return realSetInterval(handler, timeout, ...args);
  const id = nextPullId--;
  pulls.set(id, () => (handler as (...a: unknown[]) => void)(...args));
  return id;
}) as typeof window.setInterval;
window.clearInterval = ((id?: number) => {
  if (id !== undefined && pulls.delete(id)) return;
  realClearInterval(id);
}) as typeof window.clearInterval;

/** How many 300 000 ms intervals are running (one per mounted Vizzly dashboard, removed or not). */
export function pullTimers(): number {
  return pulls.size;
}

/** Runs every Vizzly pull timer once, as if 300 s had passed. */
export function firePulls(): void {
  for (const pull of pulls.values()) pull();
}

// --- Vizzly's own decode: every window.atob call, with what it returned.

export const decodes: { input: string; output: string }[] = [];
const realAtob = window.atob.bind(window);
window.atob = (input: string) => {
  const output = realAtob(input);
  decodes.push({ input, output });
  return output;
};

/** The claims Vizzly's own atob decode gave for `token`, or undefined when it never decoded it. */
export function vizzlyDecoded(token: string): unknown {
  const payload = token.split('.')[1];
  const found = [...decodes].reverse().find((entry) => entry.input === payload);
  return found && JSON.parse(found.output);
}

// --- Vizzly's API and query engine: the stand-in, behind msw.

let standin: VizzlyStandin | undefined;

/** Starts msw with the stand-in, which checks signatures with the test endpoint's public key. */
export async function startVizzlyApi(): Promise<VizzlyStandin> {
  if (standin) return standin;
  const jwk = (await (await fetch('/__vizzly/public-key')).json()) as JsonWebKey;
  const publicKey = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
  const api = createVizzlyStandin({ publicKey, projectId: PROJECT_ID });
  const answer =
    (prefix: string) =>
    async ({ request }: { request: Request }) =>
      (await api.handle(request, prefix + new URL(request.url).pathname)) ??
      HttpResponse.json({ message: 'Not found' }, { status: 404 });
  await startWorker();
  worker.use(http.all(`${API_HOST}/*`, answer('')), http.all(`${QUERY_ENGINE}/*`, answer('/query-engine')));
  standin = api;
  return api;
}

/** The vendor options that point the adapter at the real client and the stand-in. */
export function realClientOptions(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { scriptUrl: CLIENT_URL, vizzlyApiHost: API_HOST, queryEngineEndpoint: QUERY_ENGINE, ...extra };
}

/** How many requests went to the test identity endpoint so far. */
export function identityRequests(): number {
  return performance.getEntriesByType('resource').filter((entry) => entry.name.includes(IDENTITY_URL)).length;
}

/** The text Vizzly rendered (its error screens included). */
export function textOf(element: Element | null): string {
  return (element as HTMLElement | null)?.innerText ?? '';
}

// Every identity request must stay countable for the whole file.
performance.setResourceTimingBufferSize(10_000);
