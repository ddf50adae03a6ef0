// Prints what an app's bundle gets from the PACKED package (`npm pack` → a fresh consumer project),
// minified + gzipped, with esbuild and with Rollup, each with and without code splitting:
//   - eager: what loads before any vendor adapter (with splitting: the entry chunk and its static
//     imports; without: the one file, all lazy imports inlined)
//   - lazy: the adapter chunks a page downloads only for its vendor (splitting only)
// and the script-tag build's files as they are in dist/cdn/. Figures only: nothing fails on size.
//   npm run build && node bench/size.mjs
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createConsumer, repoRoot } from '../scripts/packed-consumer.mjs';

// The app code of each case, as a user writes it.
const CASES = {
  'engine (import { TokenSession } from "embed-dashboard")': `import { TokenSession } from 'embed-dashboard'; globalThis.x = TokenSession;`,
  'engine (embed-dashboard/engine)': `import { TokenSession } from 'embed-dashboard/engine'; globalThis.x = TokenSession;`,
  'engine + its console debug log (embed-dashboard/debug)': `import { TokenSession } from 'embed-dashboard/engine'; import { consoleDebugLog } from 'embed-dashboard/debug'; globalThis.x = [TokenSession, consoleDebugLog];`,
  'element + all vendors (embed-dashboard/define)': `import 'embed-dashboard/define';`,
  'element + Looker only (element + vendors/looker)': `import 'embed-dashboard/element'; import 'embed-dashboard/vendors/looker';`,
};
// The DataBrain plugin is the app's optional peer dependency (not installed here): not ours to count.
const EXTERNAL = ['@databrainhq/plugin', '@databrainhq/plugin/web'];

const gzip = (code) => gzipSync(code, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** Sums the eager files (entry + static imports) and lists the lazy ones. `files`: name → {code, imports}. */
function summarise(files, entry) {
  const eager = new Set();
  const visit = (name) => {
    if (eager.has(name) || !files.has(name)) return;
    eager.add(name);
    for (const dependency of files.get(name).imports) visit(dependency);
  };
  visit(entry);
  const lazy = [...files.keys()].filter((name) => !eager.has(name));
  return {
    eager: gzip([...eager].map((name) => files.get(name).code).join('\n')),
    lazy: lazy.map((name) => ({ name, gzip: gzip(files.get(name).code) })),
  };
}

async function withEsbuild(dir, splitting) {
  const result = await build({
    absWorkingDir: dir,
    entryPoints: { main: 'main.js' },
    bundle: true,
    splitting,
    format: 'esm',
    minify: true,
    platform: 'browser',
    conditions: ['production'],
    external: EXTERNAL,
    outdir: mkdtempSync(join(tmpdir(), 'size-esbuild-')),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = new Map();
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    if (!path.endsWith('.js')) continue;
    const file = result.outputFiles.find((item) => item.path.endsWith(path.split('/').pop()));
    const imports = output.imports.filter((item) => item.kind === 'import-statement').map((item) => item.path);
    files.set(path.split('/').pop(), { code: file.text, imports: imports.map((item) => item.split('/').pop()) });
  }
  return summarise(files, 'main.js');
}

async function withRollup(dir, splitting) {
  const bundle = await rollup({
    input: join(dir, 'main.js'),
    plugins: [nodeResolve({ browser: true, exportConditions: ['production'], rootDir: dir })],
    external: EXTERNAL,
    onLog: () => {},
  });
  const { output } = await bundle.generate({
    format: 'esm',
    inlineDynamicImports: !splitting,
    plugins: [terser({ format: { comments: false } })],
  });
  await bundle.close();
  const files = new Map(
    output
      .filter((item) => item.type === 'chunk')
      .map((chunk) => [chunk.fileName, { code: chunk.code, imports: chunk.imports }]),
  );
  return summarise(files, output.find((item) => item.type === 'chunk' && item.isEntry).fileName);
}

console.log('Minified + gzipped (gzip -9) sizes of the packed package in a fresh consumer project:');
for (const [title, code] of Object.entries(CASES)) {
  const consumer = createConsumer('size', { files: { 'main.js': code } });
  console.log(`\n  ${title}`);
  for (const [tool, bundle] of [
    ['esbuild', withEsbuild],
    ['Rollup ', withRollup],
  ]) {
    const split = await bundle(consumer.dir, true);
    const single = await bundle(consumer.dir, false);
    const lazy = split.lazy.map((item) => `${item.name.replace(/-[\w-]{8}\.js$/, '')} ${kb(item.gzip)}`).join(', ');
    console.log(
      `    ${tool} split: ${kb(split.eager)} = ${split.eager} B eager${lazy ? `; lazy: ${lazy}` : ''}` +
        `\n    ${tool} single file: ${kb(single.eager)} = ${single.eager} B`,
    );
  }
  consumer.remove();
}

const cdn = join(repoRoot, 'dist/cdn');
const cdnSize = (path) => gzip(readFileSync(join(cdn, path)));
console.log('\n  script-tag build (dist/cdn/, Lit and jwt-decode inside)');
console.log(`    embed-dashboard.js: ${kb(cdnSize('embed-dashboard.js'))} = ${cdnSize('embed-dashboard.js')} B`);
const chunks = readdirSync(join(cdn, 'chunks')).filter((name) => name.endsWith('.js'));
console.log(
  `    lazy: ${chunks.map((name) => `${name.replace(/-[\w-]{8}\.js$/, '')} ${kb(cdnSize(`chunks/${name}`))}`).join(', ')}`,
);
