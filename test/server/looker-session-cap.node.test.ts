// One signed-in user cycling User-Agents creates a Looker session per UA: those count against that
// user's cap only, so everyone else's sessions stay.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from '../../src/server/looker/client.js';
import { identityProvider, type StoredLookerSession } from '../../src/server/looker/provider.js';
import { createMemorySessionStore } from '../../src/server/session-store.js';
import type { IdentityRequestBody } from '../../src/server/types.js';
import { CLIENT_ID, CLIENT_SECRET, startLookerStandin, type Standin } from './looker-standin.js';

const ORIGIN = 'https://app.example.com';
let standin: Standin;
before(async () => {
  standin = await startLookerStandin();
});
after(() => standin.close());

function context(user: string, userAgent: string, action?: string) {
  const body: IdentityRequestBody = { vendor: 'looker', context: {}, ...(action ? { action } : {}) };
  const headers = { 'user-agent': userAgent, origin: ORIGIN };
  return { user, request: new Request(`${ORIGIN}/api/embed/identity`, { method: 'POST', headers }), body };
}

describe('looker.identityProvider: sessions capped per user', () => {
  it("a user cycling 200 User-Agents evicts only their own oldest sessions, never another user's", async () => {
    const store = createMemorySessionStore<StoredLookerSession>({ maxEntries: 100, maxEntriesPerOwner: 5 });
    const provider = identityProvider<string>({
      client: createClient({ baseUrl: standin.baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
      sessionStore: store,
      embedDomain: ORIGIN,
      user: (id) => ({ external_user_id: id, session_length: 3600, permissions: ['access_data'], models: ['m'] }),
    });
    const victims = Array.from({ length: 50 }, (_, i) => `user-${i}`);
    for (const id of victims) await provider(context(id, 'Browser/1.0'));
    for (let i = 0; i < 200; i += 1) await provider(context('cycler', `Cycling-Agent/${i}`));
    assert.equal(store.size, 55, "50 victims' sessions and the cycler's last 5");
    for (const id of victims) {
      const refreshed = await provider(context(id, 'Browser/1.0', 'refresh'));
      assert.ok(refreshed.tokens.api_token, `${id} still has a session`);
    }
    await provider(context('cycler', 'Cycling-Agent/199', 'refresh'));
    await assert.rejects(provider(context('cycler', 'Cycling-Agent/194', 'refresh')), { code: 'session-ended' });
  });
});
