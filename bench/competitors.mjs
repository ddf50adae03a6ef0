// Prints what an app's bundle gets from other embedding SDKs, bundled the way bench/size.mjs bundles
// ours from the packed package: esbuild (bundle, minify, ESM, browser, the "production" condition),
// one file, gzip -9. Each SDK twice: the import its README starts with (what a page embedding one
// dashboard ships) and its whole entry (`import * as sdk`, nothing tree-shaken). Figures only.
//   node bench/competitors.mjs [--json]   (--json: a last line with the figures as JSON, for bench/run.mjs)
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

process.chdir(new URL('..', import.meta.url).pathname);

// The versions are the exact devDependencies, so a figure always names what it measured.
const SDKS = [
  {
    name: '@looker/embed-sdk',
    typical: `import { getEmbedSDK } from '@looker/embed-sdk'; globalThis.x = getEmbedSDK;`,
  },
  {
    name: '@superset-ui/embedded-sdk',
    typical: `import { embedDashboard } from '@superset-ui/embedded-sdk'; globalThis.x = embedDashboard;`,
  },
  {
    name: '@tableau/embedding-api',
    typical: `import { TableauViz } from '@tableau/embedding-api'; globalThis.x = TableauViz;`,
  },
  {
    name: '@thoughtspot/visual-embed-sdk',
    typical: `import { init, LiveboardEmbed } from '@thoughtspot/visual-embed-sdk'; globalThis.x = [init, LiveboardEmbed];`,
  },
];

/** Minified and gzipped bytes of `code` bundled as an app's one-file build. */
async function measure(code) {
  const result = await build({
    stdin: { contents: code, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    minify: true,
    platform: 'browser',
    conditions: ['production'],
    // What an app's bundler sets for a production build; some SDKs read it.
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0].text;
  return { min: Buffer.byteLength(text), gzip: gzipSync(text, { level: 9 }).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const figures = [];
console.log('Other embedding SDKs, esbuild one file, minified + gzip -9:');
for (const sdk of SDKS) {
  // Read from the file: not every SDK exports its package.json.
  const { version } = JSON.parse(readFileSync(`node_modules/${sdk.name}/package.json`, 'utf8'));
  const typical = await measure(sdk.typical);
  const whole = await measure(`import * as sdk from '${sdk.name}'; globalThis.x = sdk;`);
  figures.push({ name: sdk.name, version, typicalGzip: typical.gzip, wholeGzip: whole.gzip });
  console.log(
    `  ${`${sdk.name}@${version}`.padEnd(38)} typical import ${kb(typical.gzip).padStart(9)} = ${typical.gzip} B` +
      ` (${kb(typical.min)} min); whole entry ${kb(whole.gzip)} = ${whole.gzip} B`,
  );
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ competitors: figures }));
