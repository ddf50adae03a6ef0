import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LookerClient } from '../../src/server/looker/client.js';
import { buildAcquireBody, parseGenerateTokensResponse } from '../../src/server/looker/cookieless.js';
import type { LookerEmbedUser } from '../../src/server/looker/types.js';
import { ACQUIRE_FIELDS, CLIENT_SECRET, standinClient, useLookerStandin } from './looker-standin.js';
import type { Standin } from './looker-standin.js';
import { rejection } from './rejection.js';

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const ORIGIN = 'https://app.example.com';
const user: LookerEmbedUser = {
  external_user_id: 'user-17',
  first_name: 'Ada',
  session_length: 3600,
  force_logout_login: true,
  permissions: ['access_data', 'see_user_dashboards'],
  models: ['thelook'],
  group_ids: [5],
  user_attributes: { tenant_id: '42' },
};

let standin: Standin;
let client: LookerClient;

useLookerStandin((started) => {
  standin = started;
  client = standinClient(standin);
});

describe('looker cookieless: acquire', () => {
  it('posts the embed user, embed_domain and the browser User-Agent with the admin token', async () => {
    const session = await client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN });
    const [request] = standin.to('POST', '/api/4.0/embed/cookieless_session/acquire');
    assert.equal(request!.headers['user-agent'], UA);
    assert.equal(request!.headers['content-type'], 'application/json');
    assert.match(request!.headers.authorization ?? '', /^Bearer admin-token-/);
    assert.deepEqual(JSON.parse(request!.body), { ...user, embed_domain: ORIGIN });
    assert.match(session.authentication_token, /^auth-/);
    assert.match(session.session_reference_token, /^ref-secret-/);
    assert.deepEqual(Object.keys(session).sort(), [...ACQUIRE_FIELDS, 'session_reference_token'].sort());
  });

  it('rejoins a session when given its reference token', async () => {
    const first = await client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN });
    const second = await client.acquireSession(user, {
      userAgent: UA,
      embedDomain: ORIGIN,
      sessionReferenceToken: first.session_reference_token,
    });
    assert.equal(second.session_reference_token, first.session_reference_token);
    assert.notEqual(second.authentication_token, first.authentication_token);
    const body = JSON.parse(standin.to('POST', '/api/4.0/embed/cookieless_session/acquire')[1]!.body);
    assert.equal(body.session_reference_token, first.session_reference_token);
  });

  it('omits undefined optional fields from the body', () => {
    const body = buildAcquireBody(
      { external_user_id: 'u', session_length: 60, permissions: [], models: [], first_name: undefined },
      ORIGIN,
    );
    assert.deepEqual(body, {
      external_user_id: 'u',
      session_length: 60,
      permissions: [],
      models: [],
      embed_domain: ORIGIN,
    });
  });

  it('rejects a bad user, User-Agent or embed domain before calling Looker', async () => {
    await assert.rejects(
      client.acquireSession({ ...user, external_user_id: '' }, { userAgent: UA, embedDomain: ORIGIN }),
      { code: 'invalid-input', message: /external_user_id/ },
    );
    await assert.rejects(
      client.acquireSession({ ...user, session_length: 0 }, { userAgent: UA, embedDomain: ORIGIN }),
      { code: 'invalid-input', message: /session_length/ },
    );
    await assert.rejects(
      client.acquireSession(
        { ...user, models: 'thelook' as unknown as string[] },
        { userAgent: UA, embedDomain: ORIGIN },
      ),
      { code: 'invalid-input', message: /models/ },
    );
    await assert.rejects(client.acquireSession(user, { userAgent: '', embedDomain: ORIGIN }), {
      code: 'invalid-input',
      message: /userAgent/,
    });
    await assert.rejects(client.acquireSession(user, { userAgent: UA, embedDomain: `${ORIGIN}/` }), {
      code: 'invalid-input',
      message: /embed domain/,
    });
    assert.equal(standin.requests.length, 0);
  });

  it('422 from Looker carries the field in the message', async () => {
    standin.replyOnce('POST', '/api/4.0/embed/cookieless_session/acquire', {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ field: 'permissions', code: 'invalid', message: 'Unknown permission see_everything' }],
        documentation_url: 'x',
      },
    });
    const error = await rejection(client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN }));
    assert.equal(error.code, 'upstream-http');
    assert.equal(error.status, 422);
    assert.match(error.message, /Validation Failed: permissions \[invalid\]: Unknown permission see_everything/);
  });

  it("the stand-in's own 422 (missing external_user_id) reaches the caller the same way", async () => {
    const error = await rejection(
      client.call({ method: 'POST', path: '/embed/cookieless_session/acquire', body: { embed_domain: ORIGIN } }),
    );
    assert.equal(error.status, 422);
    assert.match(error.message, /external_user_id \[missing_field\]: This field is required\./);
  });

  it('a 200 without the tokens is upstream-malformed and names only the fields', async () => {
    standin.replyOnce('POST', '/api/4.0/embed/cookieless_session/acquire', {
      status: 200,
      body: { authentication_token: 'auth-x', session_reference_token: 'ref-secret-leak' },
    });
    const error = await rejection(client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN }));
    assert.equal(error.code, 'upstream-malformed');
    assert.match(error.message, /navigation_token/);
    assert.ok(!error.message.includes('ref-secret-leak'));
  });
});

describe('looker cookieless: generate tokens and delete', () => {
  it('PUTs the three tokens with the User-Agent and answers fresh ones', async () => {
    const session = await client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN });
    const fresh = await client.generateTokens(
      {
        sessionReferenceToken: session.session_reference_token,
        apiToken: session.api_token,
        navigationToken: session.navigation_token,
      },
      { userAgent: UA },
    );
    const [request] = standin.to('PUT', '/api/4.0/embed/cookieless_session/generate_tokens');
    assert.equal(request!.headers['user-agent'], UA);
    assert.deepEqual(JSON.parse(request!.body), {
      session_reference_token: session.session_reference_token,
      api_token: session.api_token,
      navigation_token: session.navigation_token,
    });
    assert.notEqual(fresh.api_token, session.api_token);
    assert.notEqual(fresh.navigation_token, session.navigation_token);
    assert.equal(fresh.session_reference_token_ttl, 3000);
  });

  it('session_reference_token_ttl 0 throws session-ended', async () => {
    const session = await client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN });
    standin.endSession(session.session_reference_token);
    const error = await rejection(
      client.generateTokens(
        {
          sessionReferenceToken: session.session_reference_token,
          apiToken: session.api_token,
          navigationToken: session.navigation_token,
        },
        { userAgent: UA },
      ),
    );
    assert.equal(error.code, 'session-ended');
    assert.ok(!error.message.includes(session.session_reference_token));
  });

  it('keeps the previous reference when Looker does not repeat it', () => {
    const tokens = parseGenerateTokensResponse(
      {
        api_token: 'a',
        api_token_ttl: 1,
        navigation_token: 'n',
        navigation_token_ttl: 2,
        session_reference_token_ttl: 3,
      },
      'ref-old',
    );
    assert.equal(tokens.session_reference_token, 'ref-old');
  });

  it('deleteSession sends DELETE /embed/cookieless_session/{ref}', async () => {
    const session = await client.acquireSession(user, { userAgent: UA, embedDomain: ORIGIN });
    await client.deleteSession(session.session_reference_token, { userAgent: UA });
    const [request] = standin.to('DELETE', `/api/4.0/embed/cookieless_session/${session.session_reference_token}`);
    assert.ok(request);
    assert.equal(request.headers['user-agent'], UA);
    assert.equal(standin.sessions.get(session.session_reference_token)!.ended, true);
  });

  it('errors about a session never contain its reference token, though it is in the URL path', async () => {
    const ref = 'ref-secret-never-acquired-0001';
    const error = await rejection(client.deleteSession(ref, { userAgent: UA }));
    assert.equal(error.status, 404);
    assert.ok(!error.message.includes(ref), error.message);
    assert.match(error.message, /\[redacted\]/);
    assert.ok(!error.message.includes(CLIENT_SECRET));
  });
});

describe('looker: createSsoEmbedUrl', () => {
  it('posts the params to /embed/sso_url and answers {url}', async () => {
    const params = {
      target_url: 'https://looker.example.com/embed/dashboards/7',
      session_length: 600,
      external_user_id: 'u1',
      permissions: ['access_data'],
      models: ['thelook'],
    };
    const result = await client.createSsoEmbedUrl(params);
    assert.deepEqual(Object.keys(result), ['url']);
    assert.match(result.url, /^https:\/\/looker\.example\.com\/login\/embed\//);
    const [request] = standin.to('POST', '/api/4.0/embed/sso_url');
    assert.deepEqual(JSON.parse(request!.body), params);
    assert.match(request!.headers.authorization ?? '', /^Bearer /);
  });

  it('rejects a relative target_url', async () => {
    await assert.rejects(
      client.createSsoEmbedUrl({ target_url: '/embed/dashboards/7', session_length: 600, external_user_id: 'u1' }),
      { code: 'invalid-input', message: /target_url/ },
    );
  });
});
