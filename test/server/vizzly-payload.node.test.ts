import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { asciiSafeJson, base64UrlFromBinary } from '../../src/server/vizzly/es256.js';
import { createSigner } from '../../src/server/vizzly/signer.js';
import type { Filter, JsonValue } from '../../src/server/vizzly/data.js';
import { makeKeys, payloadOf, verifyEs256 } from './vizzly-helpers.js';

const keys = makeKeys();
const NOW = Date.parse('2026-11-22T09:00:00.000Z');

/** JSON as a value: what a client gets back after serialising (drops -0, keeps everything else). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('vizzly payload encoding (atob-safe)', () => {
  it('writes > ? ~ DEL and non-ASCII as \\u escapes, keeping the same JSON value', () => {
    const value = { op: '>=', q: 'a?b~c\u007f', name: 'Zoë 東京 🎉', lone: '\ud800' };
    const text = asciiSafeJson(value);
    assert.match(text, /^[\x20-\x3d\x40-\x7d]*$/, 'only ASCII without > ? ~ DEL');
    assert.ok(
      text.includes('\\u003e=') && text.includes('\\u003f') && text.includes('\\u007e') && text.includes('\\u007f'),
    );
    assert.ok(text.includes('\\ud83c\\udf89'), 'astral characters become a surrogate-pair escape');
    assert.deepEqual(JSON.parse(text), value);
  });

  it('plain JSON of such claims does produce - or _ in base64url; ours does not', () => {
    const claims = { f: '', op: '>=' };
    assert.match(Buffer.from(JSON.stringify(claims)).toString('base64url'), /[-_]/);
    assert.doesNotMatch(base64UrlFromBinary(asciiSafeJson(claims)), /[-_]/);
  });

  const text = fc.string({
    unit: fc.oneof(
      fc.constantFrom('>', '?', '~', '\u007f', '=', '<', 'é', '€', '😀', '\ud800'),
      fc.constant('a'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
  });
  const nonEmpty = text.filter((s) => s.trim() !== '');
  const json: fc.Arbitrary<JsonValue> = fc.oneof(
    text,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(text, fc.integer()), { maxLength: 4 }),
  );
  const filter: fc.Arbitrary<Filter> = fc.record({
    field: nonEmpty,
    op: fc.oneof(fc.constantFrom('=', '!=', '>', '<', '>=', '<=', '~', '!~', 'is_one_of', 'starts_with'), nonEmpty),
    value: json,
  });
  const filterList = fc.oneof(
    fc.array(filter, { maxLength: 4 }),
    fc.array(fc.array(filter, { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  );
  const dataSetId = fc.oneof(text, fc.constantFrom('dts_1', '__proto__', 'constructor'));
  const secureFilters = fc.dictionary(dataSetId, filterList, { maxKeys: 4 });

  it('property: every payload segment is atob-safe and decodes to exactly the claims', async () => {
    const signer = createSigner({ privateKey: keys.pkcs8, ttlMinutes: 30, projectId: 'prj_ü>?', now: () => NOW });
    const expires = '2026-11-22T09:30:00.000Z';
    await fc.assert(
      fc.asyncProperty(
        secureFilters,
        nonEmpty,
        fc.dictionary(text, json, { maxKeys: 3 }),
        async (filters, userReference, parameters) => {
          const { tokens } = await signer.generateTokens({
            dashboard: { userReference, parentDashboardIds: [userReference] },
            data: { dataSetIds: '*', secureFilters: filters as Record<string, Filter[] | Filter[][]>, parameters },
            queryEngine: { allowDataPreviewAccess: true },
          });
          for (const token of Object.values(tokens)) {
            const [header, payload] = token.split('.') as [string, string];
            assert.doesNotMatch(header, /[-_]/);
            assert.doesNotMatch(payload, /[-_]/);
            assert.ok(verifyEs256(token, keys.publicKey));
          }
          assert.deepEqual(payloadOf(tokens.dashboardAccessToken), {
            accessType: 'standard',
            projectId: 'prj_ü>?',
            userReference,
            scope: 'read_write',
            parentDashboardIds: [userReference],
            expires,
          });
          assert.deepEqual(
            payloadOf(tokens.dataAccessToken!),
            asJson({ projectId: 'prj_ü>?', dataSetIds: '*', secureFilters: filters, parameters, expires }),
          );
          assert.deepEqual(payloadOf(tokens.queryEngineAccessToken!), {
            projectId: 'prj_ü>?',
            allowDataPreviewAccess: true,
            allowDatabaseSchemaAccess: false,
            expires,
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a data set called "__proto__" as an ordinary key', async () => {
    const signer = createSigner({ privateKey: keys.sec1, ttlMinutes: 5, now: () => NOW });
    const secureFilters = JSON.parse('{"__proto__": [{"field": "a", "op": ">=", "value": 1}]}');
    const payload = payloadOf(await signer.signDataAccessToken({ dataSetIds: '*', secureFilters }));
    assert.deepEqual(Object.keys(payload.secureFilters as object), ['__proto__']);
  });
});
