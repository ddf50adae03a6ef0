// One browser ES module bundled from a few lines of entry code, for the test servers that serve
// npm packages (React, the fake timers, Looker's embed SDK, Formant's SDK) to the browser tests.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles `entry` (module code whose imports resolve from the repository root) into one ES module
 * for the browser and returns its text. `options` are esbuild's, added to (or overriding) these.
 * @param {string} entry
 * @param {string} name the entry's file name in errors and source maps
 * @param {import('esbuild').BuildOptions} [options]
 * @returns {Promise<string>}
 */
export async function bundleBrowserModule(entry, name, options = {}) {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js', sourcefile: name },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    ...options,
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${name}.`);
  return output.text;
}
