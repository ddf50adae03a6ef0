// An app that never installed @databrainhq/plugin must still bundle this package: esbuild over the
// built dist/ (npm test builds it first), with the plugin made unresolvable, with and without splitting.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { build, type BuildOptions, type Plugin } from 'esbuild';

/** What a bundler meets in an app without the optional peer: the plugin cannot be resolved. */
const withoutPlugin: Plugin = {
  name: 'without-databrain-plugin',
  setup(setup) {
    setup.onResolve({ filter: /^@databrainhq\// }, (args) => ({
      errors: [{ text: `Could not resolve "${args.path}" (not installed)` }],
    }));
  },
};

function bundle(options: BuildOptions) {
  return build({
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    outdir: 'out', // names the files only: nothing is written
    plugins: [withoutPlugin],
    ...options,
  });
}

test('the unresolvable plugin fails a bundle that imports it literally (the check can fail)', async () => {
  await assert.rejects(
    bundle({ stdin: { contents: "export const load = () => import('@databrainhq/plugin/web');", loader: 'js' } }),
    /Could not resolve "@databrainhq\/plugin\/web"/,
  );
});

for (const splitting of [false, true]) {
  test(`esbuild bundles dist/ without @databrainhq/plugin (splitting: ${splitting})`, async () => {
    assert.ok(existsSync('dist/define.js'), 'run `npm run build` first');
    const result = await bundle({ entryPoints: ['dist/index.js', 'dist/define.js'], splitting });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.warnings.map((warning) => warning.text),
      [],
    );
    const code = (result.outputFiles ?? []).map((file) => file.text).join('\n');
    assert.match(code, /dbn-dashboard/, 'the DataBrain adapter is in the bundle');
    assert.match(code, /loadPlugin/);
  });
}
