// Fresh consumer projects of the packed package, as an app gets it: `npm pack` of dist/ (built
// first), unpacked into <tmp>/<name>/node_modules/embed-dashboard, beside links to the few packages
// the app itself would have installed (taken from this repo's node_modules: no network, no install).
// Nothing else is reachable from there: @databrainhq/plugin, the optional peer, is not installed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** What npm installs with the package for every consumer: its dependencies. */
export const PACKAGE_DEPENDENCIES = Object.keys(
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).dependencies ?? {},
);

let unpacked = null;

/** Packs the repo once per process (dist/ must be built) and returns the unpacked package's folder, removed at exit. */
export function packedPackage() {
  if (unpacked) return unpacked;
  if (!existsSync(join(repoRoot, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first.');
  const dir = mkdtempSync(join(tmpdir(), 'embed-dashboard-pack-'));
  const [{ filename }] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' }),
  );
  execFileSync('tar', ['-xzf', join(dir, filename), '-C', dir]);
  // Consumers copy it; it goes when this process ends, so test runs leave no temp folders behind.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  unpacked = join(dir, 'package');
  return unpacked;
}

/**
 * Makes a consumer project: `files` (path → text) written in a new folder under the system's temp
 * folder, the packed package in its node_modules, and `dependencies` (names in this repo's
 * node_modules) linked beside it. Returns the folder; `remove()` deletes it.
 * @param {string} name
 * @param {{ files?: Record<string, string>, dependencies?: string[] }} [options]
 */
export function createConsumer(name, { files = {}, dependencies = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), `embed-dashboard-consumer-${name}-`));
  const modules = join(dir, 'node_modules');
  cpSync(packedPackage(), join(modules, 'embed-dashboard'), { recursive: true });
  for (const dependency of [...PACKAGE_DEPENDENCIES, ...dependencies]) {
    const link = join(modules, dependency);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', dependency), link, 'dir');
  }
  const all = { 'package.json': JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }), ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
