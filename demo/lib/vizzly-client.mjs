// Builds Vizzly's published client, `<vizzly-dashboard>` from @vizzly/dashboard-webcomponent (which
// bundles @vizzly/dashboard 0.4.16 and React 17), into one browser script with esbuild. Used by the
// browser tests (served at /__bundles/vizzly-dashboard.js) and by the demo. Nothing of Vizzly's is
// committed: the script is written to the gitignored .cache/ folder and rebuilt when the package changes.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = '@vizzly/dashboard-webcomponent';

/**
 * The built script's path, building it first when it is missing or older than the package. Its ESM
 * build (dist/index.mjs) defines `<vizzly-dashboard>` when it runs; its UMD build would need a
 * `process` shim, the ESM build only `process.env.NODE_ENV` defined.
 * @returns {Promise<string>}
 */
export async function buildVizzlyClient() {
  const packageDir = join(root, 'node_modules', PACKAGE);
  const { version, module: entry } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
  const source = join(packageDir, entry);
  const outfile = join(root, '.cache', 'vizzly-client', `vizzly-dashboard-${version}.js`);
  const built = await stat(outfile).catch(() => null);
  if (built && built.mtimeMs >= (await stat(source)).mtimeMs) return outfile;
  await mkdir(dirname(outfile), { recursive: true });
  await build({
    // Imported by name, so esbuild picks the package's `import` condition: its ESM build.
    stdin: { contents: `import '${PACKAGE}';`, resolveDir: root, loader: 'js' },
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return outfile;
}
