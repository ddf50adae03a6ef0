// A real Next.js App Router app serving the identity endpoint, as an app gets it: the packed package
// in a fresh project (the consumer matrix's machinery), `app/api/embed/identity/route.ts` taken word
// for word from the README, `lib/identity.ts` the identity module every recipe shares, then
// `next build` and `next start` on a free loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { createConsumer, repoRoot } from '../../scripts/packed-consumer.mjs';

export const ROUTE_PATH = 'app/api/embed/identity/route.ts';
const NEXT_BIN = 'node_modules/next/dist/bin/next';
/** Prefixes of the variables a deployment keeps its vendor secrets in: none may reach `next build`. */
const SECRET_PREFIXES = ['VIZZLY_', 'DATABRAIN_', 'FORMANT_', 'LOOKER_'];

/** The README's route file: its one `ts` block that starts with a `// app/api/embed/identity/route.ts` line. */
export function readmeRoute(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .filter((text) => text.startsWith(`// ${ROUTE_PATH}`));
  if (blocks.length !== 1) {
    throw new Error(
      `README.md needs exactly one \`\`\`ts block starting with "// ${ROUTE_PATH}"; found ${blocks.length}`,
    );
  }
  return blocks[0] as string;
}

/** test/recipes/identity.ts as the app's own lib/identity.ts: the same handler, from the package. */
function identityModule(): string {
  const source = readFileSync(join(repoRoot, 'test/recipes/identity.ts'), 'utf8');
  const fromPackage = source.replace("from '../../src/server/index.js'", "from 'embed-dashboard/server'");
  if (fromPackage === source) throw new Error('test/recipes/identity.ts no longer imports ../../src/server/index.js');
  return fromPackage;
}

/** The deepest folder holding both `a` and `b`. */
function commonFolder(a: string, b: string): string {
  const left = a.split(sep);
  const right = b.split(sep);
  let shared = 0;
  while (shared < left.length && left[shared] === right[shared]) shared += 1;
  return left.slice(0, shared).join(sep) || sep;
}

// What create-next-app writes (strict, the `@/` alias), so that the route is type-checked as in an app.
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2017',
    lib: ['dom', 'dom.iterable', 'esnext'],
    strict: true,
    noEmit: true,
    module: 'esnext',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    isolatedModules: true,
    skipLibCheck: true,
    paths: { '@/*': ['./*'] },
  },
  include: ['**/*.ts'],
  exclude: ['node_modules'],
};

export interface NextApp {
  dir: string;
  /** Rewrites the route file (a control build), or puts the README's back. */
  setRoute(text: string): void;
  /** Runs `next build` with no vendor secret in its environment; returns its exit status and output. */
  build(config?: Record<string, unknown>): { status: number | null; output: string };
  remove(): void;
}

/** A fresh Next.js project with the README's route. */
export function createNextApp(): NextApp {
  const app = createConsumer('next-server', {
    // What `create-next-app --typescript` installs (linked from this repo, no network).
    dependencies: ['next', 'react', 'react-dom', 'typescript', '@types/node', '@types/react'],
    files: {
      [ROUTE_PATH]: readmeRoute(),
      'lib/identity.ts': identityModule(),
      'tsconfig.json': JSON.stringify(TSCONFIG, null, 2),
    },
  });
  // Turbopack (Next 16's default) compiles nothing outside its root, and the linked dependencies live
  // in this repo's node_modules: the root has to hold both.
  const turbopack = { root: commonFolder(app.dir, join(repoRoot, 'node_modules')) };
  return {
    dir: app.dir,
    setRoute: (text) => writeFileSync(join(app.dir, ROUTE_PATH), text),
    build(config = {}) {
      writeFileSync(join(app.dir, 'next.config.mjs'), `export default ${JSON.stringify({ ...config, turbopack })};\n`);
      const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' };
      for (const name of Object.keys(env)) {
        if (SECRET_PREFIXES.some((prefix) => name.startsWith(prefix))) delete env[name];
      }
      const result = spawnSync(process.execPath, [NEXT_BIN, 'build'], { cwd: app.dir, encoding: 'utf8', env });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    },
    remove: app.remove,
  };
}

export interface NextServer {
  /** The server's origin, e.g. http://127.0.0.1:41405. */
  origin: string;
  /** Stops the server and waits until its process has exited. */
  close(): Promise<void>;
}

/** `next start` of a built app on a free loopback port, with this process's environment (its secrets). */
export function startNext(dir: string, timeoutMs = 30_000): Promise<NextServer> {
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', '0', '--hostname', '127.0.0.1'], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // If this process dies first, the server goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const close = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
  };
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void close().then(() => reject(new Error(`next start ${why}:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    void exited.then((code) => fail(`exited (${code}) before it was ready`));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      // Next prints the address it listens on (the port the system chose), then "Ready".
      const origin = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (settled || !origin || !/Ready in/.test(output)) return;
      settled = true;
      clearTimeout(timer);
      resolve({ origin, close });
    });
  });
}
