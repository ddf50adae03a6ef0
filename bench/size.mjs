// Prints the minified + gzipped size of the browser entry (element + token engine + Lit's
// ReactiveElement, what a page
// downloads before any vendor adapter) and of the token engine alone (with jwt-decode), and of each
// lazily loaded vendor adapter chunk. Figures only: nothing here fails on size.
//   node bench/size.mjs
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { gzipSync } from 'node:zlib';

process.chdir(new URL('..', import.meta.url).pathname);

const ENGINE_ENTRY = '\0engine-entry';
const LIT_ENTRY = '\0lit-entry';
// Virtual entries: the token engine's public API, and Lit with the pieces the element uses (a baseline).
const virtual = {
  [ENGINE_ENTRY]: `export { TokenSession } from '${process.cwd()}/src/token/session.ts';
    export { acquireSession } from '${process.cwd()}/src/token/registry.ts';`,
  [LIT_ENTRY]: `import { ReactiveElement, css } from '@lit/reactive-element';
    customElements.define('x-lit', class extends ReactiveElement { static styles = css\`:host{display:block}\`; static properties = { a: { type: String, reflect: true } }; });`,
};
const virtualEntries = {
  name: 'virtual-entries',
  resolveId: (id) => (id in virtual ? id : null),
  load: (id) => virtual[id] ?? null,
};

async function measure(input, externals = []) {
  const bundle = await rollup({
    input,
    plugins: [
      virtualEntries,
      nodeResolve({ exportConditions: ['browser', 'production'], extensions: ['.ts', '.js'] }),
      esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
    ],
    // The DataBrain plugin is the app's optional peer dependency, not part of our bundle.
    external: (id) => id.startsWith('@databrainhq/') || externals.includes(id),
    onwarn: () => {},
    onLog: () => {},
  });
  const { output } = await bundle.generate({ format: 'esm', plugins: [terser({ format: { comments: false } })] });
  await bundle.close();
  const chunks = new Map(output.filter((item) => item.type === 'chunk').map((chunk) => [chunk.fileName, chunk]));
  const entry = output.find((item) => item.type === 'chunk' && item.isEntry);
  // The entry plus everything it imports statically: what loads before any dynamic import.
  const eager = new Set();
  const visit = (name) => {
    if (eager.has(name)) return;
    eager.add(name);
    for (const dep of chunks.get(name).imports) if (chunks.has(dep)) visit(dep); // externals are not ours
  };
  visit(entry.fileName);
  const size = (names) => {
    const code = [...names].map((name) => chunks.get(name).code).join('\n');
    return { min: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length };
  };
  const lazy = [...chunks.values()]
    .filter((chunk) => !eager.has(chunk.fileName))
    .map((chunk) => ({ name: chunk.name, ...size([chunk.fileName]) }));
  return { eager: size(eager), lazy };
}

// KB = 1024 bytes; the targets' byte counts are printed too, so nothing hides in the rounding.
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const entry = await measure('src/define.ts');
const engine = await measure(ENGINE_ENTRY);
const engineOwn = await measure(ENGINE_ENTRY, ['jwt-decode']);
const lit = await measure(LIT_ENTRY);
console.log('Minified + gzipped sizes (terser, gzip -9):');
console.log(
  `  browser entry (element + engine + Lit):  ${kb(entry.eager.gzip)} gzip = ${entry.eager.gzip} B (${kb(entry.eager.min)} min)   target ≤ 12 KB = 12288 B`,
);
console.log(`    of which Lit's ReactiveElement:       ${kb(lit.eager.gzip)} gzip (${kb(lit.eager.min)} min)`);
console.log(
  `  token engine alone (+ jwt-decode):      ${kb(engine.eager.gzip)} gzip = ${engine.eager.gzip} B (${kb(engine.eager.min)} min)   target ≤ 3 KB = 3072 B`,
);
console.log(
  `    without jwt-decode:                   ${kb(engineOwn.eager.gzip)} gzip (${kb(engineOwn.eager.min)} min)`,
);
for (const chunk of entry.lazy)
  console.log(`  lazy chunk ${chunk.name.padEnd(28)} ${kb(chunk.gzip)} gzip (${kb(chunk.min)} min)`);
