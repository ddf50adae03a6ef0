// One server instance as an app would run several of them: its own Redis client and store, a Looker
// client and identity handler on top. Used in-process and by instance-process.ts (a child process).
import { createIdentityHandler } from '../../../src/server/handler.js';
import { createClient as createLookerClient } from '../../../src/server/looker/client.js';
import { identityProvider as lookerProvider } from '../../../src/server/looker/provider.js';
import { createRedisSessionStore } from '../../../src/server/session-store.js';
import { connectClient } from './harness.js';

export const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';
export const ORIGIN = 'https://app.example.com';
export const CLIENT_ID = 'standin-client-id';
export const CLIENT_SECRET = 'standin-client-secret-5f3a9c';

/** Builds an instance on Redis at `redisUrl` in front of the Looker stand-in at `lookerUrl`. */
export async function buildInstance(redisUrl: string, lookerUrl: string) {
  const redis = await connectClient(redisUrl);
  const store = createRedisSessionStore({ client: redis });
  const client = createLookerClient({
    baseUrl: lookerUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tokenStore: store,
  });
  const errors: unknown[] = [];
  const handler = createIdentityHandler<{ id: string }>({
    authenticate: (request) => {
      const id = request.headers.get('x-test-user');
      return id ? { id } : null;
    },
    vendors: {
      looker: lookerProvider<{ id: string }>({
        client,
        sessionStore: store,
        embedDomain: ORIGIN,
        user: (appUser) => ({
          external_user_id: `app-${appUser.id}`,
          session_length: 3600,
          permissions: ['access_data', 'see_user_dashboards'],
          models: ['thelook'],
        }),
      }),
    },
    onError: (error) => errors.push(error),
  });
  return { handler, redis, errors, close: () => redis.destroy() };
}

/** The identity request a Looker embed sends for `user` (`action`: none = acquire, or `refresh`). */
export function identityRequest(user: string, action?: 'acquire' | 'refresh', base = 'http://127.0.0.1'): Request {
  return new Request(`${base}/api/embed/identity`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': UA, origin: ORIGIN, 'x-test-user': user },
    body: JSON.stringify({ vendor: 'looker', dashboardId: '7', context: {}, ...(action ? { action } : {}) }),
  });
}
