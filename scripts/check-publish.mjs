// `npm publish` runs this first (package.json `prepublishOnly`): a package on npm must tell its users
// where its source, home page and issue tracker are. The repository has no public address yet, so
// `repository`, `homepage` and `bugs` are left out rather than guessed; this stops a publish until
// they are filled in.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fields npm shows users that `manifest` (a parsed package.json) lacks or leaves empty. */
export function missingPublishFields(manifest) {
  const address = (value) => (typeof value === 'string' ? value : (value?.url ?? value?.email ?? ''));
  return ['repository', 'homepage', 'bugs'].filter((field) => address(manifest[field]).trim() === '');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const missing = missingPublishFields(manifest);
  if (missing.length > 0) {
    console.error(
      `Not publishing: package.json has no ${missing.join(', ')}. Set them to the project's public ` +
        'repository (e.g. "repository": {"type": "git", "url": "git+https://…"}), its home page and its ' +
        'issue tracker, so npm users can find the source and report bugs.',
    );
    process.exit(1);
  }
}
