// Bench servers run as plain JavaScript, as an app's compiled server would: TypeScript loaders such
// as tsx add per-request overhead that would distort the figures.
import { fileURLToPath } from 'node:url';

/**
 * Bundles the bench script at `scriptUrl` (its `import.meta.url`) with esbuild, packages left
 * external, into node_modules/.cache/embed-dashboard-bench/`name`.mjs; resolves to that file's path.
 */
export async function compiledCopy(scriptUrl: string, name: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = fileURLToPath(new URL(`../node_modules/.cache/embed-dashboard-bench/${name}.mjs`, import.meta.url));
  await build({
    entryPoints: [fileURLToPath(scriptUrl)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}
