// For test/vendors/formant-sdk.test.ts, on the browser tests' own server (both loopback origins):
// - bundles the published @formant/data-sdk with esbuild when the server starts, into the gitignored
//   test/vendors/fixtures/formant-sdk/ (the module page fixture imports it from there);
// - answers the one Formant API call the SDK makes with a token, `GET /v1/admin/users/{id}`, as
//   strictly as Formant: a Bearer JWT whose payload decodes with strict base64, not expired by this
//   stand-in's clock, for that user; anything else is a 401 `{message}`.
// - `POST /__formant-api/clock {now}` sets that clock (seconds; the tests inject time, never sleep),
//   `GET /__formant-api/requests` lists the user look-ups seen, `POST /__formant-api/reset` clears them.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bundleBrowserModule } from '../helpers/browser-module.mjs';

const OUT_DIR = fileURLToPath(new URL('./fixtures/formant-sdk/', import.meta.url));
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The SDK's published ES build as one browser module exposing what the module page uses. */
async function bundleSdk() {
  const sdk = await bundleBrowserModule(
    "export { App, Authentication } from '@formant/data-sdk';",
    'formant-sdk-entry.js',
    {
      logLevel: 'warning',
    },
  );
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(`${OUT_DIR}sdk.generated.js`, sdk);
}

/** The claims of a JWT whose payload is strict base64 JSON, else null. */
function strictClaims(token) {
  const payload = token.split('.')[1];
  if (payload === undefined || payload.length % 4 === 1 || !STRICT_BASE64.test(payload)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

async function readJson(ctx) {
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  return JSON.parse(text || '{}');
}

/** The dev-server plugin (bundling at start) and the middleware (the API stand-in). */
export function formantSdkStandin() {
  const state = { now: Math.floor(Date.now() / 1000), requests: [] };
  const answer = (ctx, status, body) => {
    ctx.status = status;
    ctx.type = 'application/json';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = JSON.stringify(body);
  };
  return {
    plugin: { name: 'formant-sdk-bundle', serverStart: bundleSdk },
    async middleware(ctx, next) {
      if (ctx.path === '/__formant-api/clock' && ctx.method === 'POST') {
        const { now } = await readJson(ctx);
        if (typeof now === 'number') state.now = now;
        return answer(ctx, 200, { now: state.now });
      }
      if (ctx.path === '/__formant-api/requests') return answer(ctx, 200, state.requests);
      if (ctx.path === '/__formant-api/reset' && ctx.method === 'POST') {
        state.requests = [];
        return answer(ctx, 200, {});
      }
      const user = /^\/v1\/admin\/users\/([^/]+)$/.exec(ctx.path);
      if (!user || ctx.method !== 'GET') return next();
      const id = decodeURIComponent(user[1]);
      const token = /^Bearer (\S+)$/.exec(ctx.get('authorization') ?? '')?.[1];
      state.requests.push({ id, token: token ?? null });
      const claims = token ? strictClaims(token) : null;
      if (!claims) return answer(ctx, 401, { message: 'Invalid authorization token.' });
      if (typeof claims.exp !== 'number' || claims.exp <= state.now)
        return answer(ctx, 401, { message: 'The token has expired.' });
      if (claims.sub !== id) return answer(ctx, 403, { message: 'Not allowed to read this user.' });
      return answer(ctx, 200, { id, email: `${id}@example.com`, organizationId: 'org-1', firstName: 'Test' });
    },
  };
}
