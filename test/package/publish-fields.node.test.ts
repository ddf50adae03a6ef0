import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { missingPublishFields } from '../../scripts/check-publish.mjs';

const complete = {
  repository: { type: 'git', url: 'git+https://example.test/embed-dashboard.git' },
  homepage: 'https://example.test/embed-dashboard#readme',
  bugs: { url: 'https://example.test/embed-dashboard/issues' },
};

test('a manifest with its source, home page and issue tracker may be published', () => {
  assert.deepEqual(missingPublishFields(complete), []);
  assert.deepEqual(
    missingPublishFields({ ...complete, repository: 'github:owner/name', bugs: { email: 'a@b.test' } }),
    [],
  );
});

test('each missing or empty address is named', () => {
  assert.deepEqual(missingPublishFields({}), ['repository', 'homepage', 'bugs']);
  assert.deepEqual(missingPublishFields({ ...complete, homepage: ' ', bugs: {} }), ['homepage', 'bugs']);
});

test('npm publish runs the check first, and it refuses what package.json lacks', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  assert.equal(manifest.scripts.prepublishOnly, 'node scripts/check-publish.mjs');
  const missing = missingPublishFields(manifest);
  const run = spawnSync(process.execPath, ['scripts/check-publish.mjs'], { encoding: 'utf8' });
  assert.equal(run.status, missing.length > 0 ? 1 : 0, run.stderr);
  for (const field of missing) assert.match(run.stderr, new RegExp(field));
});
