// The one way adapters read their `vendor-options`: typed readers that name the vendor and the option
// at fault and say what was expected, so a typo shows up as a clear `invalid-attribute` error.
// An option that is absent, `undefined` or `null` is not set.
import { invalidAttribute } from '../errors.js';

/** A vendor's options as the adapter receives them (`VendorMountContext.options`). */
export type VendorOptions = Readonly<Record<string, unknown>>;

/** `options[key]` as a non-empty string, `undefined` when not set. @throws EmbedError `invalid-attribute` */
export function optionalString(options: VendorOptions, key: string, vendor: string): string | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidAttribute(`${vendor} option "${key}" must be a non-empty string.`);
  }
  return value;
}

/** `options[key]` as a string array, `undefined` when not set. @throws EmbedError `invalid-attribute` */
export function optionalStringArray(options: VendorOptions, key: string, vendor: string): string[] | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalidAttribute(`${vendor} option "${key}" must be an array of strings.`);
  }
  return [...value] as string[];
}

/** `options[key]` as a plain object (a copy), `undefined` when not set. @throws EmbedError `invalid-attribute` */
export function optionalRecord(
  options: VendorOptions,
  key: string,
  vendor: string,
): Record<string, unknown> | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidAttribute(`${vendor} option "${key}" must be an object.`);
  }
  return { ...(value as Record<string, unknown>) };
}

/** `options[key]` as a finite number ≥ `min`, else `fallback`. @throws EmbedError `invalid-attribute` */
export function numberOption(options: VendorOptions, key: string, vendor: string, fallback: number, min = 0): number {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalidAttribute(`${vendor} option "${key}" must be a number ≥ ${min}.`);
  }
  return value;
}
