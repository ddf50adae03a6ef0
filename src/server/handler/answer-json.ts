/**
 * The JSON text of the 200 body, byte for byte what `JSON.stringify` gives, but without
 * re-serialising the same tokens on every request: providers that reuse tokens (Vizzly's cache)
 * answer the very same `tokens` object many times, and its ~1 KB of JWTs is most of the answer.
 */
import type { IdentityResponseBody } from './expiry.js';

interface Serialised {
  keys: string[];
  values: unknown[];
  json: string;
}

/** Tokens objects already serialised, with the entries they had then (a provider may change them). */
const serialised = new WeakMap<object, Serialised>();

function isPrimitive(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Whether `tokens` serialises from its own enumerable entries alone: a plain object without any `toJSON`. */
function isPlain(tokens: Record<string, unknown>): boolean {
  const proto = Object.getPrototypeOf(tokens) as unknown;
  return (proto === Object.prototype || proto === null) && !('toJSON' in tokens);
}

/** The tokens' JSON, or `undefined` when they are not a plain object of strings, finite numbers, booleans, null. */
function tokensJson(tokens: Record<string, unknown>): string | undefined {
  if (!isPlain(tokens)) return undefined;
  const keys = Object.keys(tokens);
  const values = keys.map((key) => tokens[key]);
  const held = serialised.get(tokens);
  if (
    held &&
    held.keys.length === keys.length &&
    keys.every((key, index) => held.keys[index] === key && held.values[index] === values[index])
  ) {
    return held.json;
  }
  if (!values.every(isPrimitive)) return undefined;
  const json = JSON.stringify(tokens);
  serialised.set(tokens, { keys, values, json });
  return json;
}

/** `JSON.stringify(body)` for the identity endpoint's 200 body. */
export function stringifyResponseBody(body: IdentityResponseBody): string {
  const tokens = tokensJson(body.tokens);
  if (tokens === undefined) return JSON.stringify(body);
  let json = `{"vendor":${JSON.stringify(body.vendor)},"tokens":${tokens}`;
  if (body.expiresIn !== undefined) json += `,"expiresIn":${JSON.stringify(body.expiresIn)}`;
  if (body.expiresAt !== undefined) json += `,"expiresAt":${JSON.stringify(body.expiresAt)}`;
  return `${json}}`;
}
