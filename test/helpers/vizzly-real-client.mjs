// Dev-server middleware for the tests against Vizzly's REAL published client:
// - GET  /__bundles/vizzly-dashboard.js: Vizzly's <vizzly-dashboard> built from the npm packages
//   (demo/lib/vizzly-client.mjs, into the gitignored .cache/);
// - POST /__vizzly/identity: this package's OWN identity endpoint (createIdentityHandler + the Vizzly
//   provider + the ES256 signer from src/server, bundled for Node at test time), with a P-256 key made
//   at start. TEST ONLY: the claims come from the request's `context.claims`, so a test decides them;
//   a real app takes claims from its own user records, never from the request;
// - GET  /__vizzly/public-key: that key's public half (JWK), for the stand-in of Vizzly's API to
//   check signatures as Vizzly does.
import { readFile } from 'node:fs/promises';
import { webcrypto } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildVizzlyClient } from '../../demo/lib/vizzly-client.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The project id every test token carries (the API stand-in insists on it). */
export const TEST_PROJECT_ID = 'prj_real_client_test';

/** The server module from source, bundled to one ES module for Node and imported. */
async function importServerModule() {
  const outfile = `${root}/.cache/vizzly-client/server-module.mjs`;
  await build({
    entryPoints: [`${root}/src/server/index.ts`],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

async function createEndpoint() {
  const server = await importServerModule();
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const signer = server.vizzly.createSigner({
    privateKey: pair.privateKey,
    ttlMinutes: 60,
    projectId: TEST_PROJECT_ID,
  });
  await signer.ready();
  const handler = server.createIdentityHandler({
    authenticate: () => ({ id: 'test-user' }),
    vendors: {
      // Signs anew on every request, so each refresh is a distinguishable token set.
      vizzly: server.vizzly.identityProvider({ signer, cache: false, claims: (_user, body) => body.context.claims }),
    },
    onError: () => {},
  });
  return {
    identity: server.toNodeHandler(handler),
    publicJwk: JSON.stringify(await webcrypto.subtle.exportKey('jwk', pair.publicKey)),
  };
}

/**
 * The Koa middleware for web-test-runner's `middleware` list.
 * @returns {(ctx: any, next: () => Promise<void>) => Promise<void>}
 */
export function vizzlyRealClient() {
  /** @type {Promise<Awaited<ReturnType<typeof createEndpoint>>> | undefined} */
  let endpoint;
  /** @type {Promise<string> | undefined} */
  let client;
  return async (ctx, next) => {
    if (ctx.path === '/__bundles/vizzly-dashboard.js') {
      client ??= buildVizzlyClient().then((file) => readFile(file, 'utf8'));
      ctx.type = 'js';
      ctx.body = await client;
      return;
    }
    if (ctx.path === '/__vizzly/identity' || ctx.path === '/__vizzly/public-key') {
      endpoint ??= createEndpoint();
      const { identity, publicJwk } = await endpoint;
      if (ctx.path === '/__vizzly/public-key') {
        ctx.type = 'json';
        ctx.body = publicJwk;
        return;
      }
      ctx.respond = false; // node:http answers directly
      await identity(ctx.req, ctx.res);
      return;
    }
    await next();
  };
}
