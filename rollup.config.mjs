// Builds dist/ in two shapes:
// - the package: every source module its own file (dist/<path>.js, with a source map to src/), so an
//   app's bundler keeps only the modules it uses (sideEffects in package.json names the few that
//   register something). Lit, jwt-decode, lru-cache (server), React and @lit/react stay external: they are dependencies
//   (or the app's own), and the app's bundler dedupes them.
// - the script-tag build (dist/cdn/): one self-contained, minified ES module with Lit and jwt-decode
//   inside, the four vendor adapters as lazy chunks beside it, for a plain HTML page without a bundler.
import esbuild from 'rollup-plugin-esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const PACKAGE_EXTERNALS = [
  /^lit(\/|$)/,
  /^@lit\//,
  /^jwt-decode$/,
  /^lru-cache$/,
  /^@hono\//,
  /^react(\/|$)/,
  /^react-dom(\/|$)/,
  /^vue$/,
];
// The DataBrain plugin is the app's optional peer dependency: never bundled, in either shape.
const ALWAYS_EXTERNAL = [/^node:/, /^@databrainhq\//];

const matches = (patterns) => (id) => patterns.some((pattern) => pattern.test(id));
const typescript = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' });

export default [
  {
    input: {
      index: 'src/index.ts',
      define: 'src/define.ts',
      react: 'src/react.ts',
      'frameworks/vue': 'src/frameworks/vue.ts',
      'entries/engine': 'src/entries/engine.ts',
      'entries/debug': 'src/entries/debug.ts',
      'entries/element': 'src/entries/element.ts',
      'entries/vendors': 'src/entries/vendors.ts',
      'entries/vendor-vizzly': 'src/entries/vendor-vizzly.ts',
      'entries/vendor-databrain': 'src/entries/vendor-databrain.ts',
      'entries/vendor-formant': 'src/entries/vendor-formant.ts',
      'entries/vendor-looker': 'src/entries/vendor-looker.ts',
      'entries/testing': 'src/entries/testing.ts',
      'server/index': 'src/server/index.ts',
    },
    external: matches([...PACKAGE_EXTERNALS, ...ALWAYS_EXTERNAL]),
    plugins: [typescript()],
    output: {
      dir: 'dist',
      format: 'esm',
      preserveModules: true,
      preserveModulesRoot: 'src',
      entryFileNames: '[name].js',
      sourcemap: true,
    },
  },
  {
    input: { 'embed-dashboard': 'src/define.ts' },
    // The adapters import shared code from the entry itself, so a page loads one file before them.
    preserveEntrySignatures: 'allow-extension',
    external: matches(ALWAYS_EXTERNAL),
    plugins: [nodeResolve({ exportConditions: ['browser', 'production'], extensions: ['.ts', '.js'] }), typescript()],
    output: {
      dir: 'dist/cdn',
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: true,
      plugins: [terser({ format: { comments: false } })],
    },
  },
];
