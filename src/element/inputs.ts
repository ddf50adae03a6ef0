/**
 * What re-mounts the embed: every reactive property the element declares except the live
 * switches (`debug`, read at each log line). Derived from the declarations, never listed twice.
 */
export function inputNames(declared: object, live: readonly string[]): readonly string[] {
  return Object.keys(declared).filter((name) => !live.includes(name));
}

const functionIds = new WeakMap<object, number>();
let nextFunctionId = 1;

function functionId(fn: object): string {
  if (!functionIds.has(fn)) functionIds.set(fn, nextFunctionId++);
  return `ƒ${functionIds.get(fn)}`;
}

/**
 * A stable text for a value, taken at the time of the call: plain data by value (object keys
 * sorted, so `{a, b}` and `{b, a}` match), functions by identity (one text per function, so two
 * different `headers()` functions never look alike and a `clock` is compared by its functions).
 * It is a snapshot: mutating the value later does not change a key already taken.
 */
export function valueKey(value: unknown): string {
  return String(
    JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === 'function') return functionId(inner);
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
        return Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        );
      }
      return inner;
    }),
  );
}
