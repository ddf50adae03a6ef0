// sameJson decides whether the Vizzly provider may hand out tokens signed for other claims: it must
// never call different JSON data the same, and should recognise equal data cheaply.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sameJson } from '../../src/server/json-same.js';

/** JSON text with object keys sorted at every level: equal for equal data, whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}

// JSON-like values with the things JSON.stringify drops or rewrites: undefined, functions, NaN, -0, holes.
const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.constant(Number.NaN),
  fc.constant(-0),
  fc.constant(Infinity),
);
const { value: loose } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), odd, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(
    fc.oneof(fc.constantFrom('a', 'b', 'userReference', '__proto__'), fc.string({ maxLength: 3 })),
    tie('value'),
    { maxKeys: 4 },
  ),
}));

describe('sameJson', () => {
  it('recognises a value as the same as its own JSON round trip', () => {
    fc.assert(
      fc.property(loose, (value) => {
        const json = JSON.stringify(value);
        fc.pre(json !== undefined);
        assert.equal(sameJson(value, JSON.parse(json)), true);
      }),
    );
  });

  it('never calls different JSON data the same', () => {
    fc.assert(
      fc.property(loose, loose, (a, b) => {
        const json = JSON.stringify(b);
        fc.pre(json !== undefined);
        const same = sameJson(a, JSON.parse(json));
        if (same === true) assert.equal(canonical(a), canonical(b));
        else assert.notEqual(canonical(a), canonical(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('tells the claim changes that matter: a filter value, a filter more, a type', () => {
    const held = JSON.parse(
      JSON.stringify({ dashboard: { userReference: 'u1' }, data: { secureFilters: { ds: [{ op: '=', value: 1 }] } } }),
    );
    const claims = (filters: unknown) => ({
      dashboard: { userReference: 'u1' },
      data: { secureFilters: { ds: filters } },
    });
    assert.equal(sameJson(claims([{ op: '=', value: 1 }]), held), true);
    assert.equal(sameJson(claims([{ value: 1, op: '=' }]), held), true, 'key order does not matter');
    assert.equal(sameJson(claims([{ op: '=', value: 2 }]), held), false);
    assert.equal(sameJson(claims([{ op: '=', value: '1' }]), held), false);
    assert.equal(
      sameJson(
        claims([
          { op: '=', value: 1 },
          { op: '=', value: 1 },
        ]),
        held,
      ),
      false,
    );
    assert.equal(sameJson(claims([{ op: '=', value: 1, extra: true }]), held), false);
    assert.equal(
      sameJson(claims([{ op: '=', value: 1, extra: undefined }]), held),
      true,
      'undefined fields are not in the JSON',
    );
  });

  it('cannot tell cheaply for toJSON, class instances and BigInt, so the caller compares JSON text', () => {
    assert.equal(sameJson({ at: new Date(0) }, { at: '1970-01-01T00:00:00.000Z' }), undefined);
    assert.equal(sameJson({ n: { toJSON: () => 1 } }, { n: 1 }), undefined);
    assert.equal(sameJson({ n: 1n }, { n: 1 }), undefined);
    assert.equal(sameJson({ n: new Number(1) }, { n: 1 }), undefined);
  });
});
