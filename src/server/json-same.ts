/**
 * `sameJson(value, snapshot)`: whether `value` serialises to the same JSON data as `snapshot`, a
 * value parsed from JSON. Why: the Vizzly provider reuses tokens per claim set, and comparing a
 * fresh claims object with the one held takes a fraction of the time of `JSON.stringify` plus a
 * map lookup, which is most of a reused request's own cost.
 */

function isOmitted(value: unknown): boolean {
  // What JSON.stringify leaves out of objects (and writes as null in arrays).
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Whether JSON.stringify would read `value` as a plain object or array: no `toJSON`, an ordinary prototype. */
function isPlainContainer(value: object): boolean {
  if ('toJSON' in value) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null || (Array.isArray(value) && proto === Array.prototype);
}

/**
 * `true` when `JSON.stringify(value)` describes the same data as `snapshot` (objects compared
 * whatever their key order), `false` when it does not, `undefined` when it cannot tell cheaply
 * (a `toJSON`, a Date or other class instance, a BigInt somewhere in `value`): compare the JSON
 * text then.
 */
export function sameJson(value: unknown, snapshot: unknown): boolean | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value === snapshot;
    case 'number':
      return Number.isFinite(value) ? value === snapshot : snapshot === null;
    case 'object':
      break;
    case 'bigint':
      return undefined;
    default:
      return false;
  }
  if (value === null) return snapshot === null;
  if (!isPlainContainer(value)) return undefined;
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(value) !== Array.isArray(snapshot))
    return false;
  if (Array.isArray(value)) {
    const items = snapshot as unknown[];
    if (value.length !== items.length) return false;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const same = isOmitted(item) ? items[index] === null : sameJson(item, items[index]);
      if (same !== true) return same;
    }
    return true;
  }
  const fields = snapshot as Record<string, unknown>;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const field: unknown = (value as Record<string, unknown>)[key];
    if (isOmitted(field)) continue;
    if (!Object.hasOwn(fields, key)) return false;
    const same = sameJson(field, fields[key]);
    if (same !== true) return same;
    count += 1;
  }
  for (const key in fields) if (Object.hasOwn(fields, key)) count -= 1;
  return count === 0;
}
