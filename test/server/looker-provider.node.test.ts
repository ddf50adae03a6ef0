import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIdentityHandler } from '../../src/server/handler.js';
import type { LookerClient } from '../../src/server/looker/client.js';
import { identityProvider, sessionKey } from '../../src/server/looker/provider.js';
import type { StoredLookerSession } from '../../src/server/looker/provider.js';
import type { LookerEmbedUser } from '../../src/server/looker/types.js';
import { createMemorySessionStore } from '../../src/server/session-store.js';
import type { MemorySessionStore } from '../../src/server/session-store.js';
import type { IdentityProvider, IdentityRequestBody, VendorTokens } from '../../src/server/types.js';
import { ACQUIRE_FIELDS, CLIENT_SECRET, GENERATE_FIELDS, standinClient, useLookerStandin } from './looker-standin.js';
import type { Standin } from './looker-standin.js';
import { rejection } from './rejection.js';

const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15';
const ORIGIN = 'https://app.example.com';
const ACQUIRE_PATH = '/api/4.0/embed/cookieless_session/acquire';
const GENERATE_PATH = '/api/4.0/embed/cookieless_session/generate_tokens';

interface AppUser {
  id: string;
  tenant: string;
}
const alice: AppUser = { id: 'alice', tenant: 't1' };

const embedUserFor = (appUser: AppUser): LookerEmbedUser => ({
  external_user_id: `app-${appUser.id}`,
  session_length: 3600,
  permissions: ['access_data', 'see_user_dashboards'],
  models: ['thelook'],
  user_attributes: { tenant: appUser.tenant },
});

let standin: Standin;
let client: LookerClient;
let clock: number;
let store: MemorySessionStore<StoredLookerSession>;
let callbackArgs: Array<[AppUser, IdentityRequestBody]>;
let provider: IdentityProvider<AppUser>;

useLookerStandin((started) => {
  standin = started;
  clock = 1_700_000_000_000;
  client = standinClient(standin, () => clock);
  store = createMemorySessionStore<StoredLookerSession>({ now: () => clock });
  callbackArgs = [];
  provider = identityProvider<AppUser>({
    client,
    sessionStore: store,
    embedDomain: ORIGIN,
    user: (appUser, body) => {
      callbackArgs.push([appUser, body]);
      return embedUserFor(appUser);
    },
  });
});

function context(
  action?: string,
  headers: Record<string, string> = { 'user-agent': UA, origin: ORIGIN },
  user = alice,
) {
  const body: IdentityRequestBody = { vendor: 'looker', dashboardId: '7', context: {}, ...(action ? { action } : {}) };
  return {
    user,
    request: new Request('https://app.example.com/api/embed/identity', { method: 'POST', headers }),
    body,
  };
}

/** Every session reference token Looker has issued so far. */
const references = () => [...standin.sessions.keys()];

function assertNoSecrets(text: string): void {
  assert.ok(!text.includes(CLIENT_SECRET), 'client secret leaked');
  for (const ref of references()) assert.ok(!text.includes(ref), `session reference token leaked: ${text}`);
  assert.ok(!/session_reference_token"/.test(text), `a session_reference_token field leaked: ${text}`);
}

describe('looker.identityProvider: acquire', () => {
  it('answers the iframe tokens with expiresIn = min(api, navigation ttl) and never the session reference', async () => {
    const result = await provider(context('acquire'));
    assert.deepEqual(Object.keys(result.tokens).sort(), ACQUIRE_FIELDS);
    assert.equal(result.expiresIn, 540);
    assert.equal(result.tokens.session_reference_token_ttl, 3000);
    assert.equal(references().length, 1);
    assertNoSecrets(JSON.stringify(result));
  });

  it('no action means acquire', async () => {
    const result = await provider(context());
    assert.ok(result.tokens.authentication_token);
    assert.equal(standin.to('POST', ACQUIRE_PATH).length, 1);
  });

  it('the embed user comes from the app callback, never from the request body', async () => {
    const ctx = context('acquire');
    ctx.body.context = { external_user_id: 'admin', permissions: ['see_sql', 'develop'], models: ['everything'] };
    await provider(ctx);
    const sent = JSON.parse(standin.to('POST', ACQUIRE_PATH)[0]!.body);
    assert.equal(sent.external_user_id, 'app-alice');
    assert.deepEqual(sent.permissions, ['access_data', 'see_user_dashboards']);
    assert.deepEqual(sent.models, ['thelook']);
    assert.equal(sent.embed_domain, ORIGIN);
    assert.equal(standin.to('POST', ACQUIRE_PATH)[0]!.headers['user-agent'], UA);
    assert.equal(callbackArgs.length, 1);
    assert.equal(callbackArgs[0]![0], alice);
    assert.equal(callbackArgs[0]![1], ctx.body);
  });

  it('stores the session under a hashed user+UA key with the reference TTL', async () => {
    await provider(context('acquire'));
    const key = await sessionKey('app-alice', UA, ORIGIN);
    assert.match(key, /^looker:cookieless:[0-9a-f]{64}$/);
    assert.ok(!key.includes('alice') && !key.includes('Mozilla'));
    const stored = await store.get(key);
    const [ref] = references();
    assert.equal(stored?.session_reference_token, ref);
    assert.deepEqual(Object.keys(stored!).sort(), ['api_token', 'navigation_token', 'session_reference_token']);
    clock += 2_999_999;
    assert.ok(await store.get(key));
    clock += 1;
    assert.equal(await store.get(key), undefined, 'expires with session_reference_token_ttl');
  });

  it('a second iframe of the same user and browser rejoins the session; another browser gets its own', async () => {
    await provider(context('acquire'));
    await provider(context('acquire'));
    await provider(context('acquire', { 'user-agent': 'Other Browser/1.0', origin: ORIGIN }));
    const bodies = standin.to('POST', ACQUIRE_PATH).map((request) => JSON.parse(request.body));
    assert.equal(bodies[0].session_reference_token, undefined);
    assert.equal(bodies[1].session_reference_token, references()[0]);
    assert.equal(bodies[2].session_reference_token, undefined);
    assert.equal(references().length, 2);
  });

  it('when Looker refuses to rejoin a stale session, starts a fresh one', async () => {
    await provider(context('acquire'));
    standin.replyOnce('POST', ACQUIRE_PATH, { status: 404, body: { message: 'Session not found' } });
    const result = await provider(context('acquire'));
    assert.ok(result.tokens.authentication_token);
    const bodies = standin.to('POST', ACQUIRE_PATH).map((request) => JSON.parse(request.body));
    assert.equal(bodies.length, 3);
    assert.equal(bodies[2].session_reference_token, undefined);
    assert.equal(
      (await store.get(await sessionKey('app-alice', UA, ORIGIN)))?.session_reference_token,
      references()[1],
    );
  });
});

describe('looker.identityProvider: refresh', () => {
  it('generates tokens from the stored ones and answers only browser-safe fields', async () => {
    const acquired = await provider(context('acquire'));
    const refreshed = await provider(context('refresh'));
    assert.deepEqual(Object.keys(refreshed.tokens).sort(), GENERATE_FIELDS);
    assert.equal(refreshed.expiresIn, 540);
    const sent = JSON.parse(standin.to('PUT', GENERATE_PATH)[0]!.body);
    assert.deepEqual(sent, {
      session_reference_token: references()[0],
      api_token: acquired.tokens.api_token,
      navigation_token: acquired.tokens.navigation_token,
    });
    assert.equal(standin.to('PUT', GENERATE_PATH)[0]!.headers['user-agent'], UA);
    assertNoSecrets(JSON.stringify(refreshed));
  });

  it('stores the new tokens: a second refresh sends the ones the first one got', async () => {
    await provider(context('acquire'));
    const first = await provider(context('refresh'));
    const second = await provider(context('refresh'));
    const sent = JSON.parse(standin.to('PUT', GENERATE_PATH)[1]!.body);
    assert.equal(sent.api_token, first.tokens.api_token);
    assert.equal(sent.navigation_token, first.tokens.navigation_token);
    assert.notEqual(second.tokens.api_token, first.tokens.api_token);
  });

  it('without a stored session throws session-ended and calls nobody', async () => {
    const error = await rejection(provider(context('refresh')));
    assert.equal(error.code, 'session-ended');
    assert.equal(standin.requests.length, 0);
  });

  it('when Looker says the session ended (ttl 0): session-ended, the store forgets it, the next acquire starts fresh', async () => {
    await provider(context('acquire'));
    const [ref] = references();
    standin.endSession(ref!);
    const error = await rejection(provider(context('refresh')));
    assert.equal(error.code, 'session-ended');
    assertNoSecrets(error.message);
    assert.equal(await store.get(await sessionKey('app-alice', UA, ORIGIN)), undefined);
    await provider(context('acquire'));
    assert.equal(JSON.parse(standin.to('POST', ACQUIRE_PATH)[1]!.body).session_reference_token, undefined);
  });

  it('Looker\'s 400 "Invalid input tokens provided" ends the session: session-ended, the store forgets it', async () => {
    await provider(context('acquire'));
    const key = await sessionKey('app-alice', UA, ORIGIN);
    // Another server instance (or tab) rotated the tokens: the stored pair no longer matches Looker's.
    const stored = (await store.get(key))!;
    await store.set(key, { ...stored, api_token: 'api-stale' }, 3000);
    const error = await rejection(provider(context('refresh')));
    assert.equal(error.code, 'session-ended');
    assert.equal(standin.to('PUT', GENERATE_PATH).length, 1);
    assertNoSecrets(error.message);
    assert.equal(await store.get(key), undefined);
    // The next refresh calls nobody: the element acquires a new session instead.
    assert.equal((await rejection(provider(context('refresh')))).code, 'session-ended');
    assert.equal(standin.to('PUT', GENERATE_PATH).length, 1);
  });

  it('after the stored session expires on the clock, refresh is session-ended', async () => {
    await provider(context('acquire'));
    clock += 3000 * 1000;
    assert.equal((await rejection(provider(context('refresh')))).code, 'session-ended');
  });

  it('concurrent refreshes of one session share one generate_tokens call', async () => {
    await provider(context('acquire'));
    const results = await Promise.all([
      provider(context('refresh')),
      provider(context('refresh')),
      provider(context('refresh')),
    ]);
    assert.equal(standin.to('PUT', GENERATE_PATH).length, 1);
    assert.equal(new Set(results.map((r: VendorTokens) => r.tokens.api_token)).size, 1);
  });

  it('Looker errors reach the caller without the session reference or client secret, even when Looker echoes them', async () => {
    await provider(context('acquire'));
    const [ref] = references();
    standin.replyOnce('PUT', GENERATE_PATH, {
      status: 422,
      body: { message: `Bad session_reference_token ${ref} for client ${CLIENT_SECRET}` },
    });
    const error = await rejection(provider(context('refresh')));
    assert.equal(error.code, 'upstream-http');
    assertNoSecrets(error.message);
    assertNoSecrets(error.vendorMessage ?? '');
    assertNoSecrets(JSON.stringify(error));
    standin.replyOnce('PUT', GENERATE_PATH, { status: 500, body: { message: 'Internal error' } });
    const retriable = await rejection(provider(context('refresh')));
    assert.equal(retriable.retriable, true);
  });
});

describe('looker.identityProvider: request checks and configuration', () => {
  it('takes embed_domain from an allowed Origin header', async () => {
    const byOrigin = identityProvider<AppUser>({
      client,
      sessionStore: store,
      allowedEmbedDomains: ['https://a.example.com', 'https://b.example.com'],
      user: embedUserFor,
    });
    await byOrigin(context('acquire', { 'user-agent': UA, origin: 'https://b.example.com' }));
    assert.equal(JSON.parse(standin.to('POST', ACQUIRE_PATH)[0]!.body).embed_domain, 'https://b.example.com');
    const refused = await rejection(
      byOrigin(context('acquire', { 'user-agent': UA, origin: 'https://evil.example.com' })),
    );
    assert.equal(refused.code, 'forbidden');
    assert.match(refused.message, /allowedEmbedDomains/);
    assert.equal((await rejection(byOrigin(context('acquire', { 'user-agent': UA })))).code, 'forbidden');
    assert.equal(standin.to('POST', ACQUIRE_PATH).length, 1);
  });

  it('requires a User-Agent and a known action', async () => {
    const noAgent = await rejection(provider(context('acquire', { origin: ORIGIN })));
    assert.equal(noAgent.code, 'bad-request');
    assert.match(noAgent.message, /User-Agent/);
    const badAction = await rejection(provider(context('logout')));
    assert.equal(badAction.code, 'bad-request');
    assert.match(badAction.message, /unknown action "logout"/);
    assert.equal(standin.requests.length, 0);
  });

  it('validates the callback result and the configuration', async () => {
    const broken = identityProvider<AppUser>({
      client,
      embedDomain: ORIGIN,
      user: () => ({ external_user_id: 'x' }) as LookerEmbedUser,
    });
    assert.match((await rejection(broken(context('acquire')))).message, /session_length/);
    assert.throws(() => identityProvider<AppUser>({ client, user: embedUserFor }), {
      code: 'invalid-input',
      message: /embedDomain/,
    });
    assert.throws(() => identityProvider<AppUser>({ client, embedDomain: 'app.example.com', user: embedUserFor }), {
      code: 'invalid-input',
    });
    assert.throws(
      () => identityProvider<AppUser>({ client, allowedEmbedDomains: ['https://a.example.com/'], user: embedUserFor }),
      { code: 'invalid-input' },
    );
  });

  it('a callback that throws refuses the request (revoking access works at the next refresh)', async () => {
    await provider(context('acquire'));
    const revoked = identityProvider<AppUser>({
      client,
      sessionStore: store,
      embedDomain: ORIGIN,
      user: () => {
        throw new Error('no access');
      },
    });
    await assert.rejects(revoked(context('refresh')), /no access/);
    assert.equal(standin.to('PUT', GENERATE_PATH).length, 0);
  });
});

describe('looker.identityProvider behind createIdentityHandler', () => {
  it('acquire → 200 without the reference; ended session → 409 session-ended; nothing secret in any body', async () => {
    const logged: unknown[] = [];
    const handler = createIdentityHandler<AppUser>({
      authenticate: () => alice,
      vendors: { looker: provider },
      onError: (error) => logged.push(error),
      now: () => clock,
    });
    const post = (action: string) =>
      handler(
        new Request('https://app.example.com/api/embed/identity', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': UA, origin: ORIGIN },
          body: JSON.stringify({ vendor: 'looker', action }),
        }),
      );
    const acquired = await post('acquire');
    const acquiredText = await acquired.text();
    assert.equal(acquired.status, 200, acquiredText);
    assert.equal(JSON.parse(acquiredText).expiresIn, 540);
    assertNoSecrets(acquiredText);
    const refreshed = await post('refresh');
    const refreshedText = await refreshed.text();
    assert.equal(refreshed.status, 200, refreshedText);
    assertNoSecrets(refreshedText);
    standin.endSession(references()[0]!);
    const ended = await post('refresh');
    const endedText = await ended.text();
    assert.equal(ended.status, 409);
    assert.equal(JSON.parse(endedText).error.code, 'session-ended');
    assertNoSecrets(endedText);
    assert.deepEqual(logged, []);
  });

  it('a 400 "Invalid input tokens provided" from generate_tokens answers 409 session-ended, not 502', async () => {
    const handler = createIdentityHandler<AppUser>({
      authenticate: () => alice,
      vendors: { looker: provider },
      onError: () => {},
      now: () => clock,
    });
    const post = (action: string) =>
      handler(
        new Request('https://app.example.com/api/embed/identity', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': UA, origin: ORIGIN },
          body: JSON.stringify({ vendor: 'looker', action }),
        }),
      );
    assert.equal((await post('acquire')).status, 200);
    standin.replyOnce('PUT', GENERATE_PATH, {
      status: 400,
      body: { message: 'Invalid input tokens provided', documentation_url: 'https://docs.example/' },
    });
    const ended = await post('refresh');
    const endedText = await ended.text();
    assert.equal(ended.status, 409, endedText);
    assert.equal(JSON.parse(endedText).error.code, 'session-ended');
    assertNoSecrets(endedText);
    // The element then acquires again, which starts a fresh session.
    const again = await post('acquire');
    assert.equal(again.status, 200);
  });
});
