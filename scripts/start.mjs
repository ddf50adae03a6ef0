// `npm start`: the offline demo. Works on a fresh clone: installs dependencies when they are missing,
// then runs demo/server.ts through tsx and stops it with Ctrl+C (or SIGTERM).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));
const { ensureDependencies } = await import('./ensure-deps.mjs');
ensureDependencies();

const server = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], { stdio: 'inherit', env: process.env });

// Ctrl+C reaches the server too (same process group); a SIGTERM sent to this process only is passed on.
// Either way this process waits for the server to finish and exits as it did.
const forward = (signal) => () => {
  if (server.exitCode === null && server.signalCode === null) server.kill(signal);
};
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));

server.on('error', (error) => {
  console.error(`Could not start the demo server: ${error.message}`);
  process.exit(1);
});
server.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
