import { check } from '../errors.js';
import { isRecord, kind } from '../validate.js';
import type { FormantScope, FormantTagSet } from './types.js';

const VENDOR = 'formant';

/** Resources whose entries use the same tag-set syntax as `tags` (per Formant's docs). */
const TAG_SET_RESOURCES = ['devices', 'events'];

/**
 * Validates a tag set `{key: [values]}` strictly: every value is a non-empty array of strings, or `null`
 * (Formant's "no access" form). Returns a copy.
 */
export function readTagSet(value: unknown, at: string): FormantTagSet {
  check(
    isRecord(value),
    `formant: ${at} must be a tag set {key: ["value", …]}, e.g. {"site": ["albuquerque"]}; use {} for no restriction (got ${kind(value)}).`,
    VENDOR,
  );
  const out: Record<string, readonly string[] | null> = {};
  for (const [key, values] of Object.entries(value)) {
    if (values === undefined) continue;
    check(key !== '', `formant: ${at} has an empty tag key.`, VENDOR);
    if (values === null) {
      out[key] = null;
      continue;
    }
    check(
      Array.isArray(values),
      `formant: ${at}.${key} must be an array of tag values, e.g. ["${typeof values === 'string' ? values.slice(0, 40) : 'value'}"] (got ${kind(values)}).`,
      VENDOR,
    );
    check(
      values.length > 0,
      `formant: ${at}.${key} is an empty list: give at least one value, or leave the key out to not restrict on it.`,
      VENDOR,
    );
    values.forEach((item: unknown, i) =>
      check(typeof item === 'string', `formant: ${at}.${key}[${i}] must be a string (got ${kind(item)}).`, VENDOR),
    );
    out[key] = [...(values as string[])];
  }
  return out;
}

/**
 * Validates a login-embed `scope`: `tags` (required, strict: a tag set); `devices` / `events` a tag set or
 * `null`; any other resource key `null`, an object or an array (liberal, as Formant adds resources).
 * Returns a copy without undefined keys.
 */
export function readScope(scope: unknown, where = 'formant: scope'): FormantScope {
  check(
    isRecord(scope),
    `${where} must be an object {tags: {...}, devices?, events?, …}; pass {tags: {}} for the service account's full access (got ${kind(scope)}).`,
    VENDOR,
  );
  check(
    scope.tags !== undefined,
    `${where}.tags is required: a tag set such as {"site": ["albuquerque"]}, or {} for no tag restriction.`,
    VENDOR,
  );
  const out: Record<string, unknown> = { tags: readTagSet(scope.tags, 'scope.tags') };
  for (const [resource, value] of Object.entries(scope)) {
    if (resource === 'tags' || value === undefined) continue;
    if (value === null) {
      out[resource] = null;
    } else if (TAG_SET_RESOURCES.includes(resource)) {
      out[resource] = readTagSet(value, `scope.${resource}`);
    } else {
      check(
        typeof value === 'object',
        `formant: scope.${resource} must be null (no access), an object or an array (got ${kind(value)}).`,
        VENDOR,
      );
      out[resource] = value;
    }
  }
  return out as FormantScope;
}
