/**
 * Reading and validating the identity request body: a size-limited read (declared and counted),
 * strict UTF-8 and JSON, a strict shape, and a safe copy of `context` so that keys such as
 * `__proto__` can never reach an object prototype.
 */
import type { IdentityRequestBody } from '../types.js';
import { isRecord } from '../validate.js';
import { HttpProblem } from './respond.js';

/** Longest accepted `dashboardId` (characters). */
export const MAX_DASHBOARD_ID_LENGTH = 256;
/** Longest accepted `action` (characters). */
export const MAX_ACTION_LENGTH = 64;
/** Deepest accepted nesting inside `context`. */
export const MAX_CONTEXT_DEPTH = 16;

const KNOWN_FIELDS = new Set(['vendor', 'dashboardId', 'context', 'action']);
/** Keys that can reach or shadow a prototype when an object is copied or merged naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The 413 problem for a body over `maxBytes`. */
export function tooLarge(maxBytes: number): HttpProblem {
  return new HttpProblem(413, 'payload-too-large', `The request body is larger than ${maxBytes} bytes.`);
}

function invalid(message: string): HttpProblem {
  return new HttpProblem(400, 'invalid-request', message);
}

/** The byte count a `Content-Length` value declares, or `undefined` when it is absent or unreadable. */
export function declaredLength(declared: string | null): number | undefined {
  const value = declared?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** Throws 413 when the request declares a `Content-Length` above `maxBytes` (before reading anything). */
export function checkDeclaredLength(request: Request, maxBytes: number): void {
  const declared = declaredLength(request.headers.get('content-length'));
  if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body's bytes as strict UTF-8 text; 400 `invalid-request` when they are not UTF-8. */
function decodeBody(bytes: Uint8Array): string {
  try {
    // A fatal decoder keeps no state after a failed or complete decode, so one serves every request.
    return utf8.decode(bytes);
  } catch {
    throw invalid('The request body is not valid UTF-8.');
  }
}

/** Reads a body of unknown length, counting bytes as they stream in: 413 as soon as there are more than `maxBytes`. */
async function readCounted(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop the upload; don't wait for the source to acknowledge.
      reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Reads the body as strict UTF-8 text, at most `maxBytes` (413 beyond, whatever `Content-Length`
 * claimed). A body with a declared length within the limit is read whole (HTTP framing stops it
 * at that length); one without is counted as it streams in. A body that cannot be read to its
 * end (the client hung up mid-upload) is the client's problem: 400, never a server failure.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = declaredLength(request.headers.get('content-length'));
  if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);
  let bytes: Uint8Array;
  try {
    if (declared !== undefined) bytes = new Uint8Array(await request.arrayBuffer());
    else bytes = request.body === null ? new Uint8Array(0) : await readCounted(request.body, maxBytes);
  } catch (error) {
    if (error instanceof HttpProblem) throw error;
    throw invalid('The request body could not be read to its end (the client stopped sending it).');
  }
  // A declared length is only a claim: count what came.
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return decodeBody(bytes);
}

/** Copies a parsed JSON value into fresh objects, refusing prototype keys and deep nesting. */
function copyJson(value: unknown, path: string, depth: number): unknown {
  if (depth > MAX_CONTEXT_DEPTH) throw invalid(`"context" is nested more than ${MAX_CONTEXT_DEPTH} levels deep.`);
  if (Array.isArray(value)) return value.map((item, index) => copyJson(item, `${path}[${index}]`, depth + 1));
  if (!isRecord(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key))
      throw invalid(`"${path}" contains the key ${JSON.stringify(key)}, which is not allowed.`);
    copy[key] = copyJson(value[key], `${path}.${key}`, depth + 1);
  }
  return copy;
}

/**
 * Parses and validates the identity request body (the wire contract in the README). Unknown top-level fields,
 * wrong types and unknown vendors are refused with a 400 naming the field; the result is a fresh
 * object holding only the known fields.
 */
export function parseIdentityBody(text: string, hasVendor: (name: string) => boolean): IdentityRequestBody {
  if (text.trim() === '') throw invalid('The request body is empty; send a JSON object such as {"vendor": "vizzly"}.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the body; say only what is wrong.
    throw invalid('The request body is not valid JSON.');
  }
  if (!isRecord(parsed)) throw invalid('The request body must be a JSON object such as {"vendor": "vizzly"}.');
  for (const key of Object.keys(parsed)) {
    if (!KNOWN_FIELDS.has(key)) {
      throw invalid(
        `Unknown field ${JSON.stringify(key.slice(0, 64))}; the body may only hold "vendor", "dashboardId", "context" and "action".`,
      );
    }
  }
  const { vendor, dashboardId, context, action } = parsed;
  if (typeof vendor !== 'string' || vendor === '')
    throw invalid('"vendor" must be a non-empty string naming a configured vendor.');
  if (!hasVendor(vendor)) {
    throw new HttpProblem(
      400,
      'unknown-vendor',
      `Vendor ${JSON.stringify(vendor.slice(0, 64))} is not configured on this endpoint.`,
    );
  }
  const body: IdentityRequestBody = { vendor, context: {} };
  if (dashboardId !== undefined) {
    if (typeof dashboardId !== 'string' || dashboardId === '' || dashboardId.length > MAX_DASHBOARD_ID_LENGTH) {
      throw invalid(`"dashboardId" must be a non-empty string of at most ${MAX_DASHBOARD_ID_LENGTH} characters.`);
    }
    body.dashboardId = dashboardId;
  }
  if (context !== undefined) {
    if (!isRecord(context)) throw invalid('"context" must be a JSON object.');
    body.context = copyJson(context, 'context', 1) as Record<string, unknown>;
  }
  if (action !== undefined) {
    if (typeof action !== 'string' || action === '' || action.length > MAX_ACTION_LENGTH) {
      throw invalid(`"action" must be a non-empty string of at most ${MAX_ACTION_LENGTH} characters.`);
    }
    body.action = action;
  }
  return body;
}
