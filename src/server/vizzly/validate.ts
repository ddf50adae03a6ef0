// Small input checks shared by the claim builders; messages name the claim and say what to pass.
import { check } from '../errors.js';

/** Throws `invalid-input` for Vizzly with the given message. */
export function fail(message: string): never {
  check(false, message, 'vizzly');
}

/** True for `{}`-style objects (not arrays, dates, maps or class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The keys whose value is not `undefined` (an `undefined` option counts as not given). */
export function givenKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}

/** Rejects keys outside `allowed`, so a typo (`userRef`) fails instead of silently minting a wrong token. */
export function onlyKeys(record: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = givenKeys(record).filter((key) => !allowed.includes(key));
  if (unknown.length) {
    fail(
      `${where}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed keys are ${allowed.join(', ')}.`,
    );
  }
}

/** Requires a non-empty string. */
export function requireString(value: unknown, where: string, name: string, hint: string): string {
  if (typeof value !== 'string' || !value.trim()) {
    fail(`${where}: ${name} must be a non-empty string (${hint}); got ${describe(value)}.`);
  }
  return value;
}

/** Requires one of a few string values, or uses the default when not given. */
export function requireChoice<T extends string>(
  value: unknown,
  choices: readonly T[],
  fallback: T,
  where: string,
  name: string,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    fail(
      `${where}: ${name} must be ${choices.map((c) => `"${c}"`).join(' or ')} (default "${fallback}"); got ${describe(value)}.`,
    );
  }
  return value as T;
}

/** Requires an array of non-empty strings. */
export function requireStringList(value: unknown, where: string, name: string): string[] {
  if (!Array.isArray(value)) fail(`${where}: ${name} must be an array of ids; got ${describe(value)}.`);
  value.forEach((item, index) => requireString(item, where, `${name}[${index}]`, 'an id'));
  return [...value];
}

/** Requires a boolean, or uses the default when not given. */
export function requireBoolean(value: unknown, fallback: boolean, where: string, name: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    fail(`${where}: ${name} must be true or false (default ${fallback}); got ${describe(value)}.`);
  return value;
}

const MAX_DEPTH = 32;

/** Requires a plain JSON value (null, boolean, finite number, string, array, plain object), not too deep or circular. */
export function requireJson(value: unknown, where: string, path: string, depth = 0): void {
  if (depth > MAX_DEPTH) fail(`${where}: ${path} is nested more than ${MAX_DEPTH} levels deep (or circular).`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(`${where}: ${path} must be a finite number; got ${value}.`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => requireJson(item, where, `${path}[${index}]`, depth + 1));
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value))
      requireJson(item, where, `${path}[${JSON.stringify(key)}]`, depth + 1);
    return;
  }
  fail(
    `${where}: ${path} must be a JSON value (string, number, boolean, null, array or plain object); got ${describe(value)}${value instanceof Date ? ' (pass date.toISOString())' : ''}.`,
  );
}

/** A short description of a wrong value for an error message (type only for objects; strings cut short). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'object') return value instanceof Date ? 'a Date' : 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}
