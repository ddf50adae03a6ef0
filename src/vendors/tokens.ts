import { EmbedError } from '../errors.js';
import type { TokenSet } from '../token/types.js';

/**
 * The token `key` of a vendor's token set, which must be a non-empty string.
 * @throws EmbedError `malformed-token` naming the vendor and the key, when it is missing or not one.
 */
export function requireToken(tokens: TokenSet, key: string, vendor: string): string {
  const value = tokens[key];
  if (typeof value !== 'string' || value === '') {
    throw new EmbedError(
      'malformed-token',
      `${vendor} tokens need "${key}" (a non-empty string): check what the identity endpoint returns for ${vendor}.`,
    );
  }
  return value;
}
