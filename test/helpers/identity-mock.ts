import { http, HttpResponse } from 'msw';
import { worker } from './msw.js';

/** A request the mocked identity endpoint received. */
export interface SeenRequest {
  body: Record<string, unknown>;
  headers: Headers;
  credentials: RequestCredentials;
}

/** JSON answer with an optional Date header (the server's clock). */
export function json(
  body: unknown,
  init: { status?: number; date?: number; headers?: Record<string, string> } = {},
): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.date !== undefined) headers.date = new Date(init.date).toUTCString();
  return new HttpResponse(JSON.stringify(body), { status: init.status ?? 200, headers });
}

/**
 * Mocks POST `url` with msw. `respond` gets the parsed body and the 1-based request number and
 * returns the answer (or a promise of one). Returns the list of requests seen so far.
 */
export function mockIdentity(
  url: string,
  respond: (body: Record<string, unknown>, n: number) => Response | Promise<Response>,
): SeenRequest[] {
  const seen: SeenRequest[] = [];
  worker.use(
    http.post(url, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      seen.push({ body, headers: request.headers, credentials: request.credentials });
      return respond(body, seen.length);
    }),
  );
  return seen;
}
