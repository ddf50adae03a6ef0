// Bundles the demo page (demo/app.ts and the SDK it imports) with esbuild, in memory: nothing is written
// to disk. Code splitting keeps each vendor adapter a lazy chunk, as in an app's own build.
import { relative } from 'node:path';
import { build } from 'esbuild';

/** DataBrain's plugin, which demo/databrain-loader.ts imports (the SDK never does). */
const DATABRAIN_PLUGIN = '@databrainhq/plugin/web';

/** One built file. */
export interface BuiltFile {
  contents: Uint8Array;
  contentType: string;
}

/** The built page: files by URL path (`/build/app.js`, `/build/chunks/…`). */
export interface PageBundle {
  files: Map<string, BuiltFile>;
  /** How long the build took, in milliseconds. */
  buildMs: number;
}

/** Options of {@link buildPageBundle}. */
export interface BundleOptions {
  /** The repository root (where demo/ and src/ are). */
  root: string;
  /**
   * Bundle DataBrain's real plugin (a ~6 MB lazy chunk, loaded only when the page embeds real DataBrain).
   * Off, the import stays external: the page then loads the local stand-in through `moduleUrl` instead.
   */
  includeDataBrainPlugin: boolean;
}

function contentType(path: string): string {
  if (path.endsWith('.js')) return 'text/javascript; charset=utf-8';
  if (path.endsWith('.map')) return 'application/json; charset=utf-8';
  if (path.endsWith('.css')) return 'text/css; charset=utf-8';
  return 'application/octet-stream';
}

/** Builds demo/app.ts for the browser; throws with esbuild's messages when the code does not build. */
export async function buildPageBundle(options: BundleOptions): Promise<PageBundle> {
  const started = performance.now();
  const outdir = `${options.root}/demo/.build`; // only names the files: write is off
  const result = await build({
    absWorkingDir: options.root,
    entryPoints: ['demo/app.ts'],
    bundle: true,
    format: 'esm',
    splitting: true,
    target: 'es2022',
    platform: 'browser',
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    write: false,
    logLevel: 'silent',
    // DataBrain's plugin reads process.env.NODE_ENV, which bundlers define.
    define: { 'process.env.NODE_ENV': '"production"' },
    external: options.includeDataBrainPlugin ? [] : [DATABRAIN_PLUGIN],
  });
  const files = new Map<string, BuiltFile>();
  for (const file of result.outputFiles) {
    const path = `/build/${relative(outdir, file.path).split('\\').join('/')}`;
    files.set(path, { contents: file.contents, contentType: contentType(path) });
  }
  return { files, buildMs: Math.round(performance.now() - started) };
}
