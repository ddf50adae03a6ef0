// ESLint: typescript-eslint's recommended rules everywhere, Lit and web-component rules for the element.
// Formatting is Prettier's job (`npm run format`), so no stylistic rules here.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', '.test-results/', 'test/mockServiceWorker.js', '**/*.generated.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // `_`-prefixed names mark values that are deliberately unused (a destructured field left out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // `declare global { namespace JSX … }` is how JSX typings are extended; no other namespaces.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
  {
    // Tests and benches poke at loosely typed values (answers, module namespaces) on purpose.
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Stand-ins of vendor bundles are plain ES5 scripts, written the way those bundles are.
    files: ['demo/standins/**/*.js'],
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
  {
    files: ['src/element/**/*.ts', 'src/define.ts'],
    ...wc.configs['flat/recommended'],
  },
  {
    files: ['src/element/**/*.ts', 'src/define.ts'],
    ...lit.configs['flat/recommended'],
  },
);
