// looker.sdkHandlers: the acquire (GET) and generate (PUT) endpoints of Looker's official embed SDK,
// against the Looker API stand-in on 127.0.0.1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sdkHandlers, type LookerSdkHandlers } from '../../src/server/looker/sdk-handlers.js';
import {
  ACQUIRE_FIELDS,
  CLIENT_SECRET,
  GENERATE_FIELDS,
  standinClient,
  useLookerStandin,
  type Standin,
} from './looker-standin.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36';
const ORIGIN = 'https://app.example.com';
const GENERATE_PATH = '/api/4.0/embed/cookieless_session/generate_tokens';

let standin: Standin;
let handlers: LookerSdkHandlers;
let signedIn: string | null;
let reported: unknown[];

useLookerStandin((started) => {
  standin = started;
  signedIn = 'alice';
  reported = [];
  handlers = sdkHandlers<string>({
    client: standinClient(standin),
    embedDomain: ORIGIN,
    authenticate: () => signedIn,
    user: (id) => ({ external_user_id: id, session_length: 3600, permissions: ['access_data'], models: ['thelook'] }),
    onError: (error) => reported.push(error),
  });
});

const acquire = (headers: Record<string, string> = {}) =>
  handlers.acquire(
    new Request('https://app.example.com/looker/acquire', { headers: { 'user-agent': UA, ...headers } }),
  );
const generate = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  handlers.generate(
    new Request('https://app.example.com/looker/generate', {
      method: 'PUT',
      headers: { 'user-agent': UA, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
const assertNoSecrets = (text: string) => {
  assert.ok(!text.includes('ref-secret'), `no session reference in ${text}`);
  assert.ok(!text.includes(CLIENT_SECRET), 'no client secret');
};

describe('looker.sdkHandlers', () => {
  it('acquire: GET → exactly the seven non-secret fields, flat, not cached', async () => {
    const response = await acquire();
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(Object.keys(JSON.parse(text)).sort(), ACQUIRE_FIELDS);
    assertNoSecrets(text);
    const [session] = [...standin.sessions.values()];
    assert.equal(session!.userAgent, UA, "Looker's session is bound to the browser's User-Agent");
  });

  it('generate: PUT {api_token, navigation_token} → the five fields, from the session the server keeps', async () => {
    const acquired = await (await acquire()).json();
    const response = await generate({ api_token: acquired.api_token, navigation_token: acquired.navigation_token });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const fresh = JSON.parse(text);
    assert.deepEqual(Object.keys(fresh).sort(), GENERATE_FIELDS);
    assert.notEqual(fresh.api_token, acquired.api_token);
    assert.equal(standin.to('PUT', GENERATE_PATH).length, 1);
    assertNoSecrets(text);
  });

  it('an ended session answers generate with session_reference_token_ttl 0 (the SDK then tells Looker)', async () => {
    const acquired = await (await acquire()).json();
    standin.endSession([...standin.sessions.keys()][0]!);
    const ended = await generate({ api_token: acquired.api_token, navigation_token: acquired.navigation_token });
    assert.equal(ended.status, 200);
    assert.equal((await ended.json()).session_reference_token_ttl, 0);
    // Looker's 400 for tokens of no live session ends it the same way; nothing is reported as a failure.
    await acquire();
    standin.replyOnce('PUT', GENERATE_PATH, { status: 400, body: { message: 'Invalid input tokens provided' } });
    const refused = await generate({ api_token: 'a', navigation_token: 'n' });
    assert.deepEqual(await refused.json(), {
      api_token: '',
      api_token_ttl: 0,
      navigation_token: '',
      navigation_token_ttl: 0,
      session_reference_token_ttl: 0,
    });
    assert.deepEqual(reported, []);
  });

  it('401 when nobody is signed in; 405 for other methods; 400 for a body the SDK never sends', async () => {
    signedIn = null;
    assert.equal((await acquire()).status, 401);
    signedIn = 'alice';
    const post = await handlers.acquire(new Request('https://app.example.com/a', { method: 'POST', body: '{}' }));
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
    assert.equal((await handlers.generate(new Request('https://app.example.com/g'))).status, 405);
    await acquire();
    for (const [body, headers] of [
      ['not json', undefined],
      [[1, 2], undefined],
      [{ api_token: 7 }, undefined],
      [{ api_token: 'a', navigation_token: 'n' }, { 'content-type': 'text/plain' }],
    ] as const) {
      const response = await generate(body, headers ?? { 'content-type': 'application/json' });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal((await response.json()).error.code, 'invalid-request');
    }
    assert.equal(standin.to('PUT', GENERATE_PATH).length, 0, 'Looker is not called for a bad request');
  });

  it('Looker failures become 502/503 with a fixed message; the details go to onError only', async () => {
    standin.replyOnce('POST', '/api/4.0/embed/cookieless_session/acquire', {
      status: 500,
      body: { message: `boom ${CLIENT_SECRET}` },
    });
    const failed = await acquire();
    const text = await failed.text();
    assert.equal(failed.status, 503);
    assert.ok(failed.headers.get('retry-after'));
    assertNoSecrets(text);
    assert.equal(reported.length, 1);
  });

  it('refuses a configuration without authenticate', () => {
    assert.throws(
      () => sdkHandlers({ client: {} as never, embedDomain: ORIGIN, user: () => ({}) as never } as never),
      /authenticate/,
    );
  });
});
