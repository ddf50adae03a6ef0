// The built package as apps consume it: every export resolves, importing the browser half in Node
// (server-side rendering) does not throw, and the vendor adapters are separate lazy chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// The package imports itself by name, as an app would; a variable specifier keeps the type check
// independent of dist/ (built after it).
const load = (specifier: string): Promise<Record<string, any>> => import(specifier);

test('dist exists (npm test builds before the Node tests)', () => {
  assert.ok(existsSync('dist/index.js'), 'run `npm run build` first');
});

test('embed-dashboard imports in Node without a DOM and exports the element, engine and registry', async () => {
  const browser = await load('embed-dashboard');
  for (const name of [
    'EmbedDashboard',
    'TokenSession',
    'acquireSession',
    'registerVendor',
    'EmbedError',
    'resolveExpiry',
    'requestIdentity',
  ]) {
    assert.ok(name in browser, `missing export ${name}`);
  }
});

test('embed-dashboard/define is harmless in Node (no customElements there)', async () => {
  const define = await load('embed-dashboard/define');
  assert.equal(typeof define.EmbedDashboard, 'function');
});

test('embed-dashboard/server exports the handler, the adapter and the four vendor namespaces', async () => {
  const server = await load('embed-dashboard/server');
  assert.equal(typeof server.createIdentityHandler, 'function');
  assert.equal(typeof server.toNodeHandler, 'function');
  assert.equal(typeof server.vizzly.createSigner, 'function');
  assert.equal(typeof server.databrain.createGuestToken, 'function');
  assert.equal(typeof server.formant.loginEmbed, 'function');
  assert.equal(typeof server.looker.createClient, 'function');
});

test('every export path has its type declarations', () => {
  for (const [path, target] of Object.entries(pkg.exports as Record<string, { types?: string } | string>)) {
    if (typeof target === 'string') continue;
    assert.ok(target.types && existsSync(target.types), `${path}: ${target.types} missing`);
  }
});

test('vendor adapters are lazy chunks, not in the entry; the browser half never includes server code', () => {
  const entry = readFileSync('dist/index.js', 'utf8');
  const chunks = readdirSync('dist/chunks');
  for (const vendor of ['vizzly', 'databrain', 'formant', 'looker']) {
    assert.ok(
      chunks.some((name) => name.startsWith(`${vendor}-`)),
      `no ${vendor} chunk in ${chunks.join(', ')}`,
    );
    assert.doesNotMatch(
      entry,
      new RegExp(`<${vendor}-dashboard|embed\\.formant\\.io|cookieless_session`),
      `${vendor} code in the entry`,
    );
  }
  for (const file of ['dist/index.js', 'dist/define.js', ...chunks.map((name) => `dist/chunks/${name}`)]) {
    const code = readFileSync(file, 'utf8');
    assert.doesNotMatch(code, /from ['"]\.\.?\/server\/|node:/, `${file} imports server or node code`);
  }
});

test('only the registering module is marked as having side effects', () => {
  assert.deepEqual(
    pkg.sideEffects.filter((p: string) => p.startsWith('./dist')),
    ['./dist/define.js'],
  );
});
