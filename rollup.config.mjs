// Builds dist/: the browser entry, the registering module, vendor adapters as lazy chunks, and the
// server module. lit, jwt-decode and lru-cache stay external (they are dependencies); apps' bundlers dedupe them.
import esbuild from 'rollup-plugin-esbuild';

const external = (id) =>
  id === 'lit' ||
  id.startsWith('lit/') ||
  id.startsWith('@lit/') ||
  id === 'jwt-decode' ||
  id === 'lru-cache' ||
  id.startsWith('node:') ||
  id.startsWith('@databrainhq/');

export default [
  {
    input: { index: 'src/index.ts', define: 'src/define.ts' },
    external,
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  },
  {
    input: { 'server/index': 'src/server/index.ts' },
    external,
    plugins: [esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' })],
    output: { dir: 'dist', format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'server/[name]-[hash].js' },
  },
];
