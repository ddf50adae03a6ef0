import type { PropertyDeclarations } from '@lit/reactive-element';

/**
 * The element's inputs, declared once: these are its Lit reactive properties, and changing any of
 * them (to a different value) re-mounts the embed. Attributes are kebab-case; objects and functions
 * are properties only.
 */
export const INPUTS = {
  vendor: { type: String },
  identityUrl: { type: String, attribute: 'identity-url' },
  dashboardId: { type: String, attribute: 'dashboard-id' },
  vendorOptions: { type: String, attribute: 'vendor-options' },
  credentials: { type: String },
  fetchTokens: { attribute: false },
  context: { attribute: false },
  options: { attribute: false },
  headers: { attribute: false },
  sessionOptions: { attribute: false },
} satisfies PropertyDeclarations;

/** The name of one input (a property of the element). */
export type InputName = keyof typeof INPUTS;

/** Every input's name, in declaration order. */
export const INPUT_NAMES = Object.keys(INPUTS) as InputName[];

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
