// The element's pure logic, tested directly: input keys, the session key, height reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmbedError } from '../../src/errors.js';
import { parseConfig, sessionKey, tabShareKey, type EmbedConfig } from '../../src/element/config.js';
import { contentHeightRule, followedHeight } from '../../src/element/height.js';
import { inputNames, valueKey } from '../../src/element/inputs.js';
import { registerVendor } from '../../src/vendors/registry.js';

registerVendor('logic-vendor', async () => ({ mount: () => ({ update() {}, destroy() {} }) }));

function config(overrides: Partial<EmbedConfig> = {}): EmbedConfig {
  return {
    vendor: 'logic-vendor',
    dashboardId: 'd',
    identityUrl: '/id',
    fetchTokens: null,
    credentials: 'same-origin',
    context: {},
    options: {},
    headers: undefined,
    share: 'page',
    ...overrides,
  };
}

test('the inputs are the declared properties but the live switches', () => {
  const declared = { vendor: {}, identityUrl: {}, debug: {}, context: {} };
  assert.deepEqual(inputNames(declared, ['debug']), ['vendor', 'identityUrl', 'context']);
});

test('valueKey: plain data by value with keys sorted, functions by identity', () => {
  assert.equal(valueKey({ a: 1, b: [1, { d: 2, c: 3 }] }), valueKey({ b: [1, { c: 3, d: 2 }], a: 1 }));
  assert.notEqual(valueKey({ a: 1 }), valueKey({ a: 2 }));
  const f = () => ({});
  const g = () => ({});
  assert.equal(valueKey(f), valueKey(f));
  assert.notEqual(valueKey(f), valueKey(g));
  // A clock is compared by its functions: two clocks never look alike.
  assert.notEqual(valueKey({ clock: { now: f } }), valueKey({ clock: { now: g } }));
  assert.equal(valueKey(undefined), 'undefined');
});

test('valueKey is a snapshot: mutating the value later changes no key already taken', () => {
  const context = { region: 'eu' };
  const before = valueKey(context);
  context.region = 'us';
  assert.notEqual(valueKey(context), before);
  assert.equal(before, valueKey({ region: 'eu' }));
});

test('the session key covers every input a request carries: headers included', () => {
  const base = sessionKey(config());
  assert.equal(sessionKey(config()), base);
  const differing: Partial<EmbedConfig>[] = [
    { identityUrl: '/other' },
    { credentials: 'include' },
    { headers: { 'x-csrf-token': 'a' } },
    { headers: () => ({}) },
    { vendor: 'other' },
    { dashboardId: 'e' },
    { context: { region: 'eu' } },
    { fetchTokens: async () => ({ tokens: {} }) },
  ];
  for (const change of differing) assert.notEqual(sessionKey(config(change)), base, JSON.stringify(change));
  assert.equal(sessionKey(config({ options: { theme: 'dark' } })), base, 'vendor options change no request');
  const headers = () => ({ 'x-csrf-token': 'a' });
  assert.equal(sessionKey(config({ headers })), sessionKey(config({ headers })), 'one function, one key');
  assert.notEqual(
    sessionKey(config({ headers: { 'x-csrf-token': 'a' } })),
    sessionKey(config({ headers: { 'x-csrf-token': 'b' } })),
  );
});

test('parseConfig copies context and header objects, so in-place changes reach no request', () => {
  const context = { region: 'eu', nested: { tier: 1 } };
  const headers = { 'x-csrf-token': 'a' };
  const parsed = parseConfig({ vendor: 'logic-vendor', identityUrl: '/id', context, headers });
  context.nested.tier = 2;
  headers['x-csrf-token'] = 'b';
  assert.deepEqual(parsed.context, { region: 'eu', nested: { tier: 1 } });
  assert.deepEqual(parsed.headers, { 'x-csrf-token': 'a' });
});

test('parseConfig: a context that is not JSON data is an invalid-attribute error naming it', () => {
  const context: Record<string, unknown> = {};
  context.self = context;
  assert.throws(
    () => parseConfig({ vendor: 'logic-vendor', identityUrl: '/id', context }),
    (error: unknown) =>
      error instanceof EmbedError && error.code === 'invalid-attribute' && error.attribute === 'context',
  );
});

test('followedHeight: follows heights over 100 px, rounded up; ignores the rest; null drops it', () => {
  assert.equal(followedHeight(900), 900);
  assert.equal(followedHeight(400.2), 401);
  assert.equal(followedHeight(100.5), 101);
  for (const ignored of [100, 50, 0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(followedHeight(ignored), undefined, String(ignored));
  }
  assert.equal(followedHeight(null), null);
  assert.equal(contentHeightRule(900), ':host{--embed-dashboard-content-height:900px}');
  assert.equal(contentHeightRule(null), '');
});

test('share="tabs" gets its own page session; tabs share by a key of what the tokens are for', () => {
  assert.notEqual(sessionKey(config({ share: 'tabs' })), sessionKey(config()));
  assert.equal(parseConfig({ vendor: 'logic-vendor', identityUrl: '/id' }).share, 'page');
  assert.equal(parseConfig({ vendor: 'logic-vendor', identityUrl: '/id', share: 'tabs' }).share, 'tabs');
  // Every tab spells it alike: the URL made absolute, headers (a per-tab CSRF token) left out.
  assert.equal(
    tabShareKey(config({ identityUrl: '/id', headers: { 'x-csrf': '1' } })),
    tabShareKey(config({ identityUrl: 'http://localhost/id', headers: { 'x-csrf': '2' } })),
  );
  for (const other of [
    { dashboardId: 'e' },
    { context: { user: 'u2' } },
    { credentials: 'include' as const },
    { identityUrl: '/other' },
  ])
    assert.notEqual(tabShareKey(config(other)), tabShareKey(config()), JSON.stringify(other));
});
