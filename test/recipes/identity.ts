// The app side every recipe shares, as the README writes it: the identity handler, built on first
// use from the environment (so that importing it, e.g. during `next build`, needs no secret).
import { createIdentityHandler, vizzly, type IdentityHandler } from '../../src/server/index.js';

/** The origin the recipes allow cross-origin (the contract suite sends it). */
export const APP_ORIGIN = 'https://app.example.com';

let identity: IdentityHandler | undefined;

/** The identity handler, created at the first request from `VIZZLY_PRIVATE_KEY` and `VIZZLY_PROJECT_ID`. */
export function identityHandler(): IdentityHandler {
  identity ??= createIdentityHandler({
    authenticate: (request) => {
      const match = /(?:^|;\s*)sid=([\w-]+)/.exec(request.headers.get('cookie') ?? '');
      return match ? { id: match[1] as string } : null;
    },
    allowedOrigins: [APP_ORIGIN],
    vendors: {
      vizzly: vizzly.identityProvider({
        signer: vizzly.createSigner({
          privateKey: process.env.VIZZLY_PRIVATE_KEY as string,
          projectId: process.env.VIZZLY_PROJECT_ID as string,
          ttlMinutes: 60,
        }),
        claims: (user: { id: string }) => ({
          dashboard: { userReference: user.id },
          data: { dataSetIds: '*', secureFilters: {} },
        }),
      }),
    },
  });
  return identity;
}

/** Sets the environment the handler reads: a fresh P-256 key, as a deployment's secret would be. */
export async function setVizzlyEnvironment(): Promise<void> {
  const { generateKeyPairSync } = await import('node:crypto');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  process.env.VIZZLY_PRIVATE_KEY = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  process.env.VIZZLY_PROJECT_ID = 'prj_recipes';
}
