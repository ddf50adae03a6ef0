// One contract suite, run against every framework recipe: real requests over loopback to the
// recipe's server, the same answers whatever serves the handler.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { APP_ORIGIN, setVizzlyEnvironment } from './identity.js';

/** A running recipe: its identity endpoint's URL and how to stop it. */
export interface RunningRecipe {
  url: string;
  close(): Promise<void>;
}

const JSON_HEADERS = { 'content-type': 'application/json', cookie: 'sid=user-1' };
const BODY = JSON.stringify({ vendor: 'vizzly', dashboardId: 'dsh_1' });

/** Runs the identity-endpoint contract against the server `start()` brings up. */
export function identityContract(name: string, start: () => Promise<RunningRecipe>): void {
  describe(`recipe: ${name}`, () => {
    let recipe: RunningRecipe;
    before(async () => {
      await setVizzlyEnvironment();
      recipe = await start();
    });
    after(() => recipe.close());

    it('answers a signed-in POST with Vizzly tokens and their expiry, never cached', async () => {
      const response = await fetch(recipe.url, { method: 'POST', headers: JSON_HEADERS, body: BODY });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.ok(response.headers.get('date'));
      const body = (await response.json()) as { vendor: string; tokens: Record<string, string>; expiresIn: number };
      assert.equal(body.vendor, 'vizzly');
      assert.match(body.tokens.dashboardAccessToken ?? '', /^ey[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.ok(body.expiresIn > 3500 && body.expiresIn <= 3600);
    });

    it('answers 401 without a session', async () => {
      const response = await fetch(recipe.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    });

    it('answers 405 with Allow for GET, and 415 for a non-JSON POST', async () => {
      const get = await fetch(recipe.url);
      assert.equal(get.status, 405);
      assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
      const text = await fetch(recipe.url, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'content-type': 'text/plain' },
        body: BODY,
      });
      assert.equal(text.status, 415);
    });

    it('answers the preflight of an allowed origin with the CORS headers, and the POST carries them', async () => {
      const preflight = await fetch(recipe.url, {
        method: 'OPTIONS',
        headers: {
          origin: APP_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), APP_ORIGIN);
      assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'POST');
      assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type/);
      const post = await fetch(recipe.url, {
        method: 'POST',
        headers: { ...JSON_HEADERS, origin: APP_ORIGIN },
        body: BODY,
      });
      assert.equal(post.status, 200);
      assert.equal(post.headers.get('access-control-allow-origin'), APP_ORIGIN);
      assert.match(post.headers.get('access-control-expose-headers') ?? '', /Date/);
    });

    it('refuses the preflight of another origin, without CORS headers', async () => {
      const preflight = await fetch(recipe.url, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
      });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    });
  });
}
