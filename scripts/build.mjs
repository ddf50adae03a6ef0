// `npm run build`: rollup for the JavaScript (the package and the script-tag build), tsc for the type
// declarations, then the editor data: custom-elements.json (from the element's JSDoc) and VS Code's
// HTML custom data made from it.
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { writeCustomData } from './custom-data.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
rmSync('dist', { recursive: true, force: true });
execSync('npx rollup -c rollup.config.mjs --silent', { stdio: 'inherit' });
execSync('npx tsc -p tsconfig.build.json', { stdio: 'inherit' });
execSync(
  'npx cem analyze --litelement --globs src/element/embed-dashboard.ts src/entries/element.ts --outdir dist --quiet',
  {
    stdio: 'inherit',
  },
);
writeCustomData('dist/custom-elements.json', 'dist/vscode.html-custom-data.json');
