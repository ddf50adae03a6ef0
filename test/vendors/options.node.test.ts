// The vendor option readers every adapter uses: what counts as not set, what is refused, and that
// each refusal is an `invalid-attribute` error naming the vendor, the option and what was expected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EmbedError, invalidAttribute } from '../../src/errors.js';
import { numberOption, optionalRecord, optionalString, optionalStringArray } from '../../src/vendors/options.js';

function refusal(fn: () => unknown): EmbedError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof EmbedError, `expected an EmbedError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a throw');
}

describe('vendor option readers', () => {
  it('treat an absent, undefined or null option as not set', () => {
    const options = { a: undefined, b: null };
    for (const key of ['a', 'b', 'missing']) {
      assert.equal(optionalString(options, key, 'Acme'), undefined);
      assert.equal(optionalStringArray(options, key, 'Acme'), undefined);
      assert.equal(optionalRecord(options, key, 'Acme'), undefined);
      assert.equal(numberOption(options, key, 'Acme', 7), 7);
    }
  });

  it('return what was given, arrays and objects as copies', () => {
    const list = ['x', 'y'];
    const record = { theme: 'dark' };
    const options = { s: 'text', list, record, n: 0 };
    assert.equal(optionalString(options, 's', 'Acme'), 'text');
    const readList = optionalStringArray(options, 'list', 'Acme');
    assert.deepEqual(readList, list);
    assert.notEqual(readList, list);
    const readRecord = optionalRecord(options, 'record', 'Acme');
    assert.deepEqual(readRecord, record);
    assert.notEqual(readRecord, record);
    assert.equal(numberOption(options, 'n', 'Acme', 7), 0);
  });

  it('refuse a wrong type with an invalid-attribute error on vendor-options that says what was expected', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => optionalString({ k: '  ' }, 'k', 'Acme'), /^Acme option "k" must be a non-empty string\.$/],
      [() => optionalString({ k: 3 }, 'k', 'Acme'), /^Acme option "k" must be a non-empty string\.$/],
      [() => optionalStringArray({ k: ['a', 1] }, 'k', 'Acme'), /^Acme option "k" must be an array of strings\.$/],
      [() => optionalStringArray({ k: 'a' }, 'k', 'Acme'), /^Acme option "k" must be an array of strings\.$/],
      [() => optionalRecord({ k: [] }, 'k', 'Acme'), /^Acme option "k" must be an object\.$/],
      [() => optionalRecord({ k: 'a' }, 'k', 'Acme'), /^Acme option "k" must be an object\.$/],
      [() => numberOption({ k: '3' }, 'k', 'Acme', 1), /^Acme option "k" must be a number ≥ 0\.$/],
      [() => numberOption({ k: Number.NaN }, 'k', 'Acme', 1), /^Acme option "k" must be a number ≥ 0\.$/],
      [() => numberOption({ k: 1 }, 'k', 'Acme', 5, 2), /^Acme option "k" must be a number ≥ 2\.$/],
    ];
    for (const [read, message] of cases) {
      const error = refusal(read);
      assert.equal(error.code, 'invalid-attribute');
      assert.equal(error.attribute, 'vendor-options');
      assert.match(error.message, message);
    }
  });
});

describe('invalidAttribute', () => {
  it('names the attribute at fault, vendor-options unless told otherwise', () => {
    const ofOptions = invalidAttribute('Bad option.');
    assert.ok(ofOptions instanceof EmbedError);
    assert.equal(ofOptions.code, 'invalid-attribute');
    assert.equal(ofOptions.message, 'Bad option.');
    assert.equal(ofOptions.attribute, 'vendor-options');
    assert.equal(invalidAttribute('Set dashboard-id.', 'dashboard-id').attribute, 'dashboard-id');
  });
});
