// `npm test`: format check, lint, type check, build, Node tests, browser tests; then one line "N passed, N failed".
// Works on a fresh clone: installs dependencies and finds (or installs) a browser first.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDependencies } from './ensure-deps.mjs';
import { findBrowser } from './find-browser.mjs';
import { findRedisServer } from './find-redis.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
ensureDependencies();
process.env.CHROME_PATH = findBrowser();
process.env.REDIS_SERVER_PATH = findRedisServer();

const totals = { passed: 0, failed: 0, skipped: 0 };
rmSync('.test-results', { recursive: true, force: true });
mkdirSync('.test-results', { recursive: true });

function run(title, command, args) {
  console.log(`\n── ${title} ──`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

function addCounts(file) {
  try {
    const counts = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
    return true;
  } catch {
    return false;
  }
}

/** Every *.node.test.ts below dir (Node 20's --test does not expand globs). */
function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.node.test.ts') ? [path] : [];
  });
}

// A failing format check, type check or build counts as one failed check of its own.
if (!run('format check (prettier)', 'npx', ['prettier', '--check', '.'])) totals.failed += 1;
else totals.passed += 1;
if (!run('lint (eslint)', 'npx', ['eslint', '.'])) totals.failed += 1;
else totals.passed += 1;
if (!run('type check (tsc)', 'npx', ['tsc', '-p', 'tsconfig.json'])) totals.failed += 1;
else totals.passed += 1;
if (!run('build (rollup)', 'node', ['scripts/build.mjs'])) totals.failed += 1;
else totals.passed += 1;

const nodeFiles = testFiles('test');
const nodeOk = run('Node tests', 'node', [
  '--import',
  'tsx',
  '--test',
  // A test file that hangs (a browser or bundler that never answers) fails after 10 minutes instead of
  // holding CI until its own limit.
  '--test-timeout=600000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/node-summary-reporter.mjs',
  '--test-reporter-destination=.test-results/node.json',
  ...nodeFiles,
]);
if (!addCounts('.test-results/node.json') || (!nodeOk && totals.failed === 0)) totals.failed += 1;

const browserOk = run('Browser tests (headless Chromium)', 'npx', [
  'web-test-runner',
  '--config',
  'web-test-runner.config.mjs',
]);
const hadBrowserCounts = addCounts('.test-results/browser.json');
if (!hadBrowserCounts || (!browserOk && totals.failed === 0)) totals.failed += 1;

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed === 0 && nodeOk && browserOk ? 0 : 1);
