// The iframe options the iframe adapters (Formant, Looker) share: `sandbox` and `allow`.
import { invalidAttribute } from '../errors.js';
import type { VendorOptions } from './options.js';

/** The iframe attributes an adapter passes to the channel: `sandbox` (string, or `false` for none) and `allow`. */
export interface FrameOptions {
  sandbox?: string | null;
  allow?: string;
}

/**
 * Reads the `sandbox` (a token string, or `false` to drop the attribute) and `allow` options shared by
 * the iframe adapters; absent ones keep the channel's safe defaults. @throws EmbedError `invalid-attribute`
 */
export function frameOptions(options: VendorOptions, vendor: string): FrameOptions {
  const result: FrameOptions = {};
  const sandbox = options['sandbox'];
  if (sandbox === false) result.sandbox = null;
  else if (typeof sandbox === 'string') result.sandbox = sandbox;
  else if (sandbox !== undefined && sandbox !== null) {
    throw invalidAttribute(`${vendor} option "sandbox" must be a string of sandbox tokens, or false for no sandbox.`);
  }
  const allow = options['allow'];
  if (typeof allow === 'string') result.allow = allow;
  else if (allow !== undefined && allow !== null) throw invalidAttribute(`${vendor} option "allow" must be a string.`);
  return result;
}
