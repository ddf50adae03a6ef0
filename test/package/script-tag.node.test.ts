// The script-tag build (dist/cdn/ of the packed package) in a plain HTML page without a bundler: the
// README's snippet as written, served from a loopback static server, reaches `ready` in Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { packedPackage } from '../../scripts/packed-consumer.mjs';
import { readmeSnippet } from '../consumers/apps.js';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { expectReady, serveConsumer } from '../consumers/harness.js';

let browser: Browser;
let site: string;
before(async () => {
  browser = await launchChromium();
  // A site as the README describes it: the package's dist/cdn/ copied to /embed-dashboard/.
  site = mkdtempSync(join(tmpdir(), 'embed-dashboard-script-tag-'));
  cpSync(join(packedPackage(), 'dist/cdn'), join(site, 'embed-dashboard'), { recursive: true });
  const snippet = readmeSnippet('Without a bundler');
  writeFileSync(join(site, 'index.html'), `<!doctype html><html><body>\n${snippet}</body></html>\n`);
});
after(async () => {
  await browser?.close();
  rmSync(site, { recursive: true, force: true });
});

test('the build imports nothing by bare name: Lit and jwt-decode are inside', () => {
  const files = readdirSync(join(site, 'embed-dashboard'), { recursive: true, encoding: 'utf8' });
  for (const name of files.filter((file) => file.endsWith('.js'))) {
    const code = readFileSync(join(site, 'embed-dashboard', name), 'utf8');
    // Static imports and the adapters' dynamic imports of each other are relative; the one bare name
    // left is the DataBrain plugin, the app's optional peer (its adapter takes a `moduleUrl`).
    // (Minified: `from"x"`, `import"x"`, `import("x")`; an error message's `import 'x'` is not one.)
    const bare = [...code.matchAll(/(?:from|import)\(?["']([^"'./][^"']*)["']/g)].map((match) => match[1]);
    assert.deepEqual(
      bare.filter((specifier) => !specifier?.startsWith('@databrainhq/')),
      [],
      `${name} imports ${bare.join(', ')}`,
    );
  }
});

test("the README's plain-HTML snippet reaches ready, loading only the Vizzly adapter's chunk", async () => {
  const server = await serveConsumer(site);
  try {
    const errors = await expectReady(browser, `${server.url}/`);
    assert.deepEqual(errors, []);
    const chunks = server.requests.filter((path) => path.startsWith('/embed-dashboard/chunks/'));
    assert.ok(
      chunks.some((path) => path.includes('/vizzly-')),
      `the Vizzly chunk loaded: ${server.requests.join(', ')}`,
    );
    for (const other of ['looker', 'formant', 'databrain']) {
      assert.ok(!chunks.some((path) => path.includes(`/${other}-`)), `${other} chunk not loaded: ${chunks.join(', ')}`);
    }
    assert.equal(server.requests.filter((path) => path.startsWith('POST')).length, 1, 'one identity request');
  } finally {
    await server.close();
  }
});
