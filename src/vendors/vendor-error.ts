import { EmbedError, isEmbedError } from '../errors.js';

/**
 * The error an adapter reports for something that went wrong in or around a vendor's embed: an
 * `EmbedError` as it is (it already has a code and a message saying what to fix), anything else
 * wrapped as an `EmbedError` `'vendor'`: `message`, then the original's own message, which is kept
 * as `cause`.
 */
export function asVendorError(error: unknown, message: string): EmbedError {
  if (isEmbedError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new EmbedError('vendor', detail ? `${message} (${detail})` : message, { cause: error });
}
