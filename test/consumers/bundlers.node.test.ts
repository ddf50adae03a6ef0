// The consumer matrix, part 1: the packed package in fresh projects built with esbuild (split and
// single file), Rollup, Vite and webpack 5, none with @databrainhq/plugin installed; each page reaches
// `ready` in Chromium against a loopback identity endpoint. The toolchains come from this repo's
// devDependencies (no install per test).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build as vite } from 'vite';
import webpack from 'webpack';
import type { Browser } from 'puppeteer-core';
import { createConsumer } from '../../scripts/packed-consumer.mjs';
import { DEFINE_APP, indexHtml, ONE_VENDOR_APP, readmeSnippet } from './apps.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { expectReady, serveConsumer } from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

/** Builds nothing itself: serves `dir` and expects its page ready, with one identity request. */
async function expectPageReady(dir: string): Promise<string[]> {
  const server = await serveConsumer(dir);
  try {
    await expectReady(browser, `${server.url}/`);
    assert.equal(server.requests.filter((path) => path.startsWith('POST')).length, 1, 'one identity request');
    return server.requests;
  } finally {
    await server.close();
  }
}

/** The JavaScript files under `dir`, concatenated. */
function allCode(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => readFileSync(join(dir, name), 'utf8'))
    .join('\n');
}

test('esbuild with code splitting: the page loads only the Vizzly chunk', async () => {
  const app = createConsumer('esbuild-split', {
    files: { 'main.js': DEFINE_APP, 'dist/index.html': indexHtml('./main.js') },
  });
  try {
    await esbuild({
      absWorkingDir: app.dir,
      entryPoints: ['main.js'],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      outdir: 'dist',
      logLevel: 'silent',
    });
    const requests = await expectPageReady(join(app.dir, 'dist'));
    const chunks = requests.filter(
      (path) => path.endsWith('.js') && path !== '/main.js' && path !== '/vizzly-bundle.js',
    );
    assert.ok(chunks.length >= 1, `a lazy chunk loaded: ${requests.join(', ')}`);
    assert.ok(allCode(join(app.dir, 'dist')).includes('vizzly-dashboard'), 'the Vizzly adapter is in the build');
  } finally {
    app.remove();
  }
});

test('esbuild, one file (IIFE, no splitting): element + embed-dashboard/vendors/vizzly, no other vendor inside', async () => {
  const app = createConsumer('esbuild-single', {
    files: { 'main.js': ONE_VENDOR_APP, 'dist/index.html': indexHtml('./main.js', { module: false }) },
  });
  try {
    await esbuild({
      absWorkingDir: app.dir,
      entryPoints: ['main.js'],
      bundle: true,
      format: 'iife',
      minify: true,
      outdir: 'dist',
      logLevel: 'silent',
    });
    assert.deepEqual(readdirSync(join(app.dir, 'dist')).sort(), ['index.html', 'main.js']);
    const code = allCode(join(app.dir, 'dist'));
    for (const other of ['embed.formant.io', 'dbn-dashboard', 'cookieless']) {
      assert.ok(!code.includes(other), `${other} (another vendor's code) is not in the bundle`);
    }
    await expectPageReady(join(app.dir, 'dist'));
  } finally {
    app.remove();
  }
});

test('Rollup (node-resolve, code splitting)', async () => {
  const app = createConsumer('rollup', { files: { 'main.js': DEFINE_APP, 'dist/index.html': indexHtml('./main.js') } });
  try {
    const bundle = await rollup({
      input: join(app.dir, 'main.js'),
      plugins: [nodeResolve({ browser: true, rootDir: app.dir })],
      onLog: () => {},
    });
    await bundle.write({ dir: join(app.dir, 'dist'), format: 'esm' });
    await bundle.close();
    await expectPageReady(join(app.dir, 'dist'));
  } finally {
    app.remove();
  }
});

test("Vite (production build) of the README's bundler snippet as written", async () => {
  const page = `<!doctype html><html><body>\n${readmeSnippet('With a bundler')}</body></html>\n`;
  const app = createConsumer('vite', { files: { 'index.html': page } });
  try {
    await vite({ root: app.dir, configFile: false, logLevel: 'silent', build: { outDir: 'dist' } });
    await expectPageReady(join(app.dir, 'dist'));
  } finally {
    app.remove();
  }
});

test('webpack 5 (production mode)', async () => {
  const app = createConsumer('webpack', {
    files: { 'main.js': DEFINE_APP, 'dist/index.html': indexHtml('./main.js', { module: false }) },
  });
  try {
    const stats = await new Promise<webpack.Stats>((resolve, reject) =>
      webpack(
        {
          context: app.dir,
          mode: 'production',
          entry: './main.js',
          output: { path: join(app.dir, 'dist'), filename: 'main.js', publicPath: '/' },
        },
        (error, result) => (error || !result ? reject(error) : resolve(result)),
      ),
    );
    assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
    await expectPageReady(join(app.dir, 'dist'));
  } finally {
    app.remove();
  }
});
