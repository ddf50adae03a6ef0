// `npm run build`: rollup for the JavaScript, tsc for the type declarations.
import { execSync } from 'node:child_process';
import { rmSync } from 'node:fs';

process.chdir(new URL('..', import.meta.url).pathname);
rmSync('dist', { recursive: true, force: true });
execSync('npx rollup -c rollup.config.mjs --silent', { stdio: 'inherit' });
execSync('npx tsc -p tsconfig.build.json', { stdio: 'inherit' });
