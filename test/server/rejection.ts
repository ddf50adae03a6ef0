// Awaiting an expected failure of the server module.
import assert from 'node:assert/strict';
import { EmbedServerError } from '../../src/server/errors.js';

/** Awaits `pending` (a promise, or a provider's answer that may be one), which must reject with an EmbedServerError, and returns that error. */
export async function rejection(pending: unknown): Promise<EmbedServerError> {
  try {
    await pending;
  } catch (error) {
    assert.ok(error instanceof EmbedServerError, `expected an EmbedServerError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
