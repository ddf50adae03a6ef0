// Typed readers for the `vendor-options` JSON of the iframe adapters: each names the option at fault
// and says what was expected, so a typo shows up as a clear `invalid-attribute` error.
import { EmbedError } from '../errors.js';

type Options = Readonly<Record<string, unknown>>;

function invalid(message: string): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute: 'vendor-options' });
}

/** `options[key]` as a non-empty string, `undefined` when absent. @throws EmbedError `invalid-attribute` */
export function optionalString(options: Options, key: string, vendor: string): string | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(`${vendor} option "${key}" must be a non-empty string.`);
  }
  return value;
}

/** `options[key]` as a string array, `undefined` when absent. @throws EmbedError `invalid-attribute` */
export function optionalStringArray(options: Options, key: string, vendor: string): string[] | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(`${vendor} option "${key}" must be an array of strings.`);
  }
  return [...value] as string[];
}

/** `options[key]` as a plain object, `undefined` when absent. @throws EmbedError `invalid-attribute` */
export function optionalRecord(options: Options, key: string, vendor: string): Record<string, unknown> | undefined {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${vendor} option "${key}" must be an object.`);
  }
  return { ...(value as Record<string, unknown>) };
}

/** `options[key]` as a finite number ≥ `min`, else `fallback`. @throws EmbedError `invalid-attribute` */
export function numberOption(options: Options, key: string, vendor: string, fallback: number, min = 0): number {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw invalid(`${vendor} option "${key}" must be a number ≥ ${min}.`);
  }
  return value;
}

/** The iframe attributes an adapter passes to the channel: `sandbox` (string, or `false` for none) and `allow`. */
export interface FrameOptions {
  sandbox?: string | null;
  allow?: string;
}

/**
 * Reads the `sandbox` (a token string, or `false` to drop the attribute) and `allow` options shared by
 * the iframe adapters; absent ones keep the channel's safe defaults. @throws EmbedError `invalid-attribute`
 */
export function frameOptions(options: Options, vendor: string): FrameOptions {
  const result: FrameOptions = {};
  const sandbox = options['sandbox'];
  if (sandbox === false) result.sandbox = null;
  else if (typeof sandbox === 'string') result.sandbox = sandbox;
  else if (sandbox !== undefined && sandbox !== null) {
    throw invalid(`${vendor} option "sandbox" must be a string of sandbox tokens, or false for no sandbox.`);
  }
  const allow = options['allow'];
  if (typeof allow === 'string') result.allow = allow;
  else if (allow !== undefined && allow !== null) throw invalid(`${vendor} option "allow" must be a string.`);
  return result;
}
