// Shared pieces of the demo's local vendor API stand-ins: Web-standard JSON answers, body reading,
// random secrets and a constant-time comparison. The stand-ins are Web handlers (Request → Response)
// so the demo serves them with the same `toNodeHandler` as the identity endpoint.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** One vendor API stand-in, mounted below `/standin-api/<vendor>`. */
export interface StandinApi {
  /** Answers a request whose path (below the mount point) is `path`; `undefined` = no such route. */
  handle(request: Request, path: string): Promise<Response | undefined>;
  /** How often each route was called, for the demo's log and the tests. */
  stats(): Record<string, number>;
}

/** A JSON answer that is never cached. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });
}

/** The request body as JSON, or `undefined` when it is missing or not JSON. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return JSON.parse(await request.text());
  } catch {
    return undefined;
  }
}

/** The body as a plain object, or `{}`. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The token of an `Authorization: Bearer <token>` (or Looker's `token <token>`) header, if any. */
export function bearerToken(request: Request): string | undefined {
  const match = /^(?:bearer|token)\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1];
}

/** `prefix` plus 24 random bytes, base64url: unguessable demo credentials and tokens. */
export function randomSecret(prefix: string): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** Compares two secrets without leaking, through timing, how much of them matched. */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A counter per route name. */
export function createCounters(): { bump(name: string): void; snapshot(): Record<string, number> } {
  const counts: Record<string, number> = {};
  return {
    bump: (name) => {
      counts[name] = (counts[name] ?? 0) + 1;
    },
    snapshot: () => ({ ...counts }),
  };
}
