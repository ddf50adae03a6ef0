// The built package as apps consume it: every export resolves, importing the browser half in Node
// (server-side rendering) does not throw, internals stay behind /testing, and the vendor adapters
// are modules of their own that only the registering entries reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// The package imports itself by name, as an app would; a variable specifier keeps the type check
// independent of dist/ (built after it).
const load = (specifier: string): Promise<Record<string, any>> => import(specifier);

test('dist exists (npm test builds before the Node tests)', () => {
  assert.ok(existsSync('dist/index.js'), 'run `npm run build` first');
});

test('embed-dashboard imports in Node without a DOM and exports what apps use, not the internals', async () => {
  const browser = await load('embed-dashboard');
  for (const name of ['EmbedDashboard', 'TokenSession', 'acquireSession', 'createIdentityFetcher', 'registerVendor']) {
    assert.ok(name in browser, `missing export ${name}`);
  }
  for (const name of ['liveSessionCount', 'DEFAULT_SCHEDULE', 'refreshTime', 'retryDelay', 'nextRefreshDelay']) {
    assert.ok(!(name in browser), `${name} is an internal: only in embed-dashboard/testing`);
  }
  const testing = await load('embed-dashboard/testing');
  for (const name of ['liveSessionCount', 'DEFAULT_SCHEDULE', 'refreshTime', 'resolveExpiry']) {
    assert.ok(name in testing, `embed-dashboard/testing lacks ${name}`);
  }
});

test('embed-dashboard/engine has the token engine and no element', async () => {
  const engine = await load('embed-dashboard/engine');
  assert.equal(typeof engine.TokenSession, 'function');
  assert.equal(typeof engine.acquireSession, 'function');
  assert.ok(!('EmbedDashboard' in engine));
});

test('embed-dashboard/debug has the console log for the engine', async () => {
  const { consoleDebugLog } = await load('embed-dashboard/debug');
  assert.equal(typeof consoleDebugLog('label'), 'function');
});

test('the registering entries are harmless in Node (no customElements there)', async () => {
  const define = await load('embed-dashboard/define');
  assert.equal(typeof define.EmbedDashboard, 'function');
  for (const entry of [
    'element',
    'vendors',
    'vendors/vizzly',
    'vendors/databrain',
    'vendors/formant',
    'vendors/looker',
  ]) {
    await load(`embed-dashboard/${entry}`);
  }
  const { vendorNames } = await load('embed-dashboard');
  assert.deepEqual(vendorNames().sort(), ['databrain', 'formant', 'looker', 'vizzly']);
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

test('every export path has its JavaScript, its declarations with a declaration map, and a typesVersions entry', () => {
  for (const [path, target] of Object.entries(
    pkg.exports as Record<string, { types: string; default: string } | string>,
  )) {
    if (typeof target === 'string') continue;
    assert.ok(existsSync(target.default), `${path}: ${target.default} missing`);
    assert.ok(existsSync(`${target.default}.map`), `${path}: no source map for ${target.default}`);
    assert.ok(existsSync(target.types), `${path}: ${target.types} missing`);
    assert.ok(existsSync(`${target.types}.map`), `${path}: no declaration map for ${target.types}`);
    if (path !== '.')
      assert.deepEqual(pkg.typesVersions['*'][path.slice(2)], [target.types], `typesVersions for ${path}`);
  }
});

test('source maps point at the shipped src/', () => {
  const map = JSON.parse(readFileSync('dist/token/session.js.map', 'utf8'));
  assert.deepEqual(map.sources, ['../../src/token/session.ts']);
  assert.ok(pkg.files.includes('src'));
});

test('vendor adapters are their own modules, reached only from the registering entries', () => {
  const importers = (target: string): string[] =>
    readdirSync('dist', { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.js') && !name.startsWith('cdn/') && !name.startsWith('server/'))
      .filter((name) =>
        new RegExp(`['"]\\.{1,2}/(?:vendors/)?${target}\\.js['"]`).test(readFileSync(join('dist', name), 'utf8')),
      );
  for (const vendor of ['vizzly', 'databrain', 'formant', 'looker']) {
    assert.ok(existsSync(`dist/vendors/${vendor}.js`));
    assert.deepEqual(importers(vendor).sort(), [`entries/vendor-${vendor}.js`, 'vendors/builtins.js']);
  }
  for (const file of readdirSync('dist', { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js') || file.startsWith('server/')) continue;
    const code = readFileSync(join('dist', file), 'utf8');
    assert.doesNotMatch(code, /from ['"][./]*server\/|from ['"]node:/, `${file} imports server or node code`);
  }
});

test('only the registering modules are marked as having side effects', () => {
  assert.deepEqual(pkg.sideEffects.filter((path: string) => path.startsWith('./dist')).sort(), [
    './dist/cdn/*.js',
    './dist/define.js',
    './dist/entries/element.js',
    './dist/entries/vendor-*.js',
    './dist/entries/vendors.js',
    './dist/vendors/builtins.js',
  ]);
});

test('LICENSE is MIT, for embed-dashboard contributors', () => {
  const license = readFileSync('LICENSE', 'utf8');
  assert.match(license, /^MIT License/);
  assert.match(license, /embed-dashboard contributors/);
  assert.equal(pkg.license, 'MIT');
});
