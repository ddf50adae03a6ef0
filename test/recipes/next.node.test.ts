// Recipe: a Next.js App Router route handler, through Next itself. The README's route file in a
// fresh project of the packed package; `next build` without any vendor secret (the handler is built
// at the first request, never at import), then `next start` with the secrets and the contract suite
// over loopback.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { identityContract } from './contract.js';
import { createNextApp, readmeRoute, startNext, type NextApp } from './next-app.js';

// The control and the cacheComponents build skip the type check: the main build runs it on the same files.
const NO_TYPE_CHECK = { typescript: { ignoreBuildErrors: true } };

let app: NextApp | undefined;
let built = false;
after(() => app?.remove());

test('control: a route that builds the handler at import fails `next build` without the secrets', () => {
  app = createNextApp();
  const eager = readmeRoute().replace(/^export function POST/m, 'identityHandler();\n\nexport function POST');
  assert.notEqual(eager, readmeRoute(), 'the README route has an `export function POST`');
  app.setRoute(eager);
  const result = app.build(NO_TYPE_CHECK);
  app.setRoute(readmeRoute());
  // Next loads every route module while collecting page data: an eager handler meets the missing key.
  assert.notEqual(result.status, 0, result.output);
  assert.match(result.output, /invalid-key/);
});

test('`next build` of the README route passes with cacheComponents on (no `dynamic` export to refuse)', () => {
  assert.ok(app, 'the project exists');
  const result = app.build({ ...NO_TYPE_CHECK, cacheComponents: true });
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /ƒ \/api\/embed\/identity/, 'the route stays dynamic (never run at build)');
});

test('`next build` of the README route passes with no vendor secret in the environment', () => {
  assert.ok(app, 'the project exists');
  const result = app.build();
  assert.equal(result.status, 0, result.output);
  assert.match(result.output, /ƒ \/api\/embed\/identity/, 'the route is dynamic (never run at build)');
  built = true;
});

identityContract('Next.js App Router route handler (next build, next start)', async () => {
  assert.ok(app && built, 'next build failed (see the test above)');
  const server = await startNext(app.dir);
  return { url: `${server.origin}/api/embed/identity`, close: server.close };
});
