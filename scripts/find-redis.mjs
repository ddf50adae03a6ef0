// Finds redis-server for the Redis store tests: REDIS_SERVER_PATH, one on PATH or in the usual places,
// or, on Debian as root, Debian's redis-server package (installed on demand: apt-get install, and
// apt-get update first when that fails). Prints nothing when all is well.
import { existsSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];

function onPath() {
  const result = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = result.status === 0 ? result.stdout.trim() : '';
  return path || undefined;
}

/** Returns the path of redis-server, installing Debian's package when that is possible. */
export function findRedisServer() {
  const fromEnv = process.env.REDIS_SERVER_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`REDIS_SERVER_PATH is set to ${fromEnv}, but no file is there. Point it at redis-server.`);
  }
  const found = CANDIDATES.find((path) => existsSync(path)) ?? onPath();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (existsSync('/etc/debian_version') && isRoot) {
    console.log("No redis-server found: installing Debian's redis-server (apt-get install -y redis-server)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
    try {
      install();
    } catch {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      install();
    }
    if (existsSync('/usr/bin/redis-server')) return '/usr/bin/redis-server';
  }
  throw new Error(
    'No redis-server found for the Redis store tests. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; ' +
      'macOS: `brew install redis`) or set REDIS_SERVER_PATH to its executable.',
  );
}
