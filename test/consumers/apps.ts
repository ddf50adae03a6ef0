// The consumer apps: the same page, written as a user of each stack writes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/packed-consumer.mjs';

/** The page every bundler builds: one Vizzly dashboard. */
export function indexHtml(script: string, { module = true } = {}): string {
  return `<!doctype html>
<html>
  <head><meta charset="utf-8" /><title>consumer</title></head>
  <body>
    <embed-dashboard vendor="vizzly" identity-url="/api/embed/identity" dashboard-id="dsh_1"></embed-dashboard>
    <script ${module ? 'type="module" ' : ''}src="${script}"></script>
  </body>
</html>
`;
}

/** An app for a bundler that splits code: every built-in vendor, each a lazy chunk. */
export const DEFINE_APP = `import 'embed-dashboard/define';\n`;

/** An app for a single-file bundle: the element and only the vendor it uses. */
export const ONE_VENDOR_APP = `import 'embed-dashboard/element';\nimport 'embed-dashboard/vendors/vizzly';\n`;

/**
 * The HTML code block of the README that follows the line containing `marker` (the Quick start's
 * snippets), so the tests run them as written.
 */
export function readmeSnippet(marker: string): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no line with "${marker}"`);
  const block = /```html\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block?.[1]) throw new Error(`README.md has no html block after "${marker}"`);
  return block[1];
}
