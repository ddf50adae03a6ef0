import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { createNonce, embedUrlStringToSign, hmacSha1Base64, signEmbedUrl } from '../../src/server/looker/signed-url.js';
import type { LookerEmbedUser } from '../../src/server/looker/types.js';

// Looker's published known-answer vector (docs/vendors.md, Looker).
const vectorUser = (): LookerEmbedUser => ({
  external_user_id: 'user1',
  session_length: 3600,
  permissions: ['access_data', 'see_looks', 'see_user_dashboards'],
  models: ['powered_by', 'thelook'],
  group_ids: [1, 2, 3],
  external_group_id: 'group1',
  user_attributes: { locale: 'en_US' },
  access_filters: { powered_by: { 'products.brand': 'Allegra K' } },
});
const vector = {
  host: 'test.looker.com',
  secret: 'hunter2',
  nonce: 'abc123',
  time: 1561486800,
  src: '/embed/dashboards/1',
};

function query(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

describe('looker.signEmbedUrl', () => {
  it('reproduces the known-answer signature', async () => {
    const url = await signEmbedUrl({ ...vector, user: vectorUser() });
    assert.equal(query(url).get('signature'), 'jcMKWo4eb4Y34CV7dpC6hAgi8oM=');
    assert.ok(url.includes('signature=jcMKWo4eb4Y34CV7dpC6hAgi8oM%3D'));
  });

  it('unsigned fields (names, time zone, force_logout_login) do not change the signature', async () => {
    const url = await signEmbedUrl({
      ...vector,
      user: { ...vectorUser(), first_name: 'Pat', last_name: 'Embed', user_timezone: 'America/Los_Angeles' },
      forceLogoutLogin: false,
    });
    const params = query(url);
    assert.equal(params.get('signature'), 'jcMKWo4eb4Y34CV7dpC6hAgi8oM=');
    assert.equal(params.get('first_name'), '"Pat"');
    assert.equal(params.get('last_name'), '"Embed"');
    assert.equal(params.get('user_timezone'), '"America/Los_Angeles"');
    assert.equal(params.get('force_logout_login'), 'false');
  });

  it('without the optional signed fields signs access_filters as {} (second published vector)', async () => {
    const { group_ids, external_group_id, user_attributes, access_filters, ...bare } = vectorUser();
    const url = await signEmbedUrl({ ...vector, user: bare });
    const params = query(url);
    assert.equal(params.get('signature'), 'RXMPyKsQerTI/fbPIwgoTqUsvio=');
    assert.equal(params.get('access_filters'), '{}');
    for (const absent of [
      'group_ids',
      'external_group_id',
      'user_attributes',
      'first_name',
      'last_name',
      'user_timezone',
    ])
      assert.equal(params.has(absent), false, absent);
  });

  it('builds https://{host}/login/embed/{encoded src}?… with every param JSON-encoded', async () => {
    const url = await signEmbedUrl({ ...vector, user: vectorUser() });
    const parsed = new URL(url);
    assert.equal(parsed.origin, 'https://test.looker.com');
    assert.equal(parsed.pathname, '/login/embed/%2Fembed%2Fdashboards%2F1');
    const params = parsed.searchParams;
    assert.equal(params.get('nonce'), '"abc123"');
    assert.equal(params.get('time'), '1561486800');
    assert.equal(params.get('session_length'), '3600');
    assert.equal(params.get('external_user_id'), '"user1"');
    assert.deepEqual(JSON.parse(params.get('permissions')!), vectorUser().permissions);
    assert.deepEqual(JSON.parse(params.get('models')!), vectorUser().models);
    assert.equal(params.get('group_ids'), '[1,2,3]');
    assert.equal(params.get('external_group_id'), '"group1"');
    assert.deepEqual(JSON.parse(params.get('user_attributes')!), { locale: 'en_US' });
    assert.deepEqual(JSON.parse(params.get('access_filters')!), vectorUser().access_filters);
    assert.equal(params.get('force_logout_login'), 'true');
    // Spaces are %20 (encodeURIComponent), as Looker's own examples produce.
    assert.ok(url.includes('access_filters=%7B%22powered_by%22%3A%7B%22products.brand%22%3A%22Allegra%20K%22%7D%7D'));
  });

  it('signs exactly the newline-joined string Looker recomputes (checked with node:crypto)', async () => {
    const user = { ...vectorUser(), external_user_id: 'ünïcødé ✓' };
    const url = await signEmbedUrl({ ...vector, user, embedDomain: 'https://app.example.com' });
    const params = query(url);
    const path = new URL(url).pathname;
    const expected = createHmac('sha1', vector.secret)
      .update(
        [
          vector.host,
          path,
          params.get('nonce'),
          params.get('time'),
          params.get('session_length'),
          params.get('external_user_id'),
          params.get('permissions'),
          params.get('models'),
          params.get('group_ids'),
          params.get('external_group_id'),
          params.get('user_attributes'),
          params.get('access_filters'),
        ].join('\n'),
        'utf8',
      )
      .digest('base64');
    assert.equal(params.get('signature'), expected);
  });

  it('puts embed_domain into the signed src', async () => {
    const url = await signEmbedUrl({
      ...vector,
      src: '/embed/dashboards/1?Date=1%20years',
      user: vectorUser(),
      embedDomain: 'https://app.example.com',
    });
    const src = decodeURIComponent(new URL(url).pathname.slice('/login/embed/'.length));
    assert.equal(src, '/embed/dashboards/1?Date=1%20years&embed_domain=https://app.example.com');
    assert.notEqual(query(url).get('signature'), 'jcMKWo4eb4Y34CV7dpC6hAgi8oM=');
  });

  it('defaults: a fresh 32-hex-digit nonce per URL and the current time', async () => {
    const before = Math.floor(Date.now() / 1000);
    const urls = await Promise.all(
      Array.from({ length: 50 }, () =>
        signEmbedUrl({ host: vector.host, secret: vector.secret, src: vector.src, user: vectorUser() }),
      ),
    );
    const after = Math.floor(Date.now() / 1000);
    const nonces = urls.map((url) => JSON.parse(query(url).get('nonce')!) as string);
    for (const nonce of nonces) assert.match(nonce, /^[0-9a-f]{32}$/);
    assert.equal(new Set(nonces).size, nonces.length);
    for (const url of urls) {
      const time = Number(query(url).get('time'));
      assert.ok(time >= before && time <= after);
    }
  });

  it('rejects a host with a scheme, a relative src and a broken user', async () => {
    await assert.rejects(signEmbedUrl({ ...vector, host: 'https://test.looker.com', user: vectorUser() }), {
      code: 'invalid-input',
      message: /host/,
    });
    await assert.rejects(signEmbedUrl({ ...vector, src: 'embed/dashboards/1', user: vectorUser() }), {
      code: 'invalid-input',
      message: /src/,
    });
    await assert.rejects(
      signEmbedUrl({ ...vector, user: { ...vectorUser(), permissions: undefined as unknown as string[] } }),
      { code: 'invalid-input', message: /permissions/ },
    );
    await assert.rejects(signEmbedUrl({ ...vector, secret: '', user: vectorUser() }), {
      code: 'invalid-input',
      message: /secret/,
    });
    await assert.rejects(signEmbedUrl({ ...vector, src: '/embed/dashboards/\uD800', user: vectorUser() }), {
      code: 'invalid-input',
      message: /surrogate/,
    });
  });

  it('a lone surrogate in a user field is JSON-escaped, so the URL stays valid and signed', async () => {
    const url = await signEmbedUrl({ ...vector, user: { ...vectorUser(), external_user_id: 'bad\uD800' } });
    assert.equal(query(url).get('external_user_id'), '"bad\\ud800"');
  });

  it('never puts the secret in the URL', async () => {
    const url = await signEmbedUrl({ ...vector, secret: 'super-secret-embed-key', user: vectorUser() });
    assert.ok(!url.includes('super-secret-embed-key'));
  });
});

describe('looker signing helpers', () => {
  it('embedUrlStringToSign orders fields and skips only absent optional ones', () => {
    const fields = {
      host: 'h',
      embedPath: '/p',
      nonce: '"n"',
      time: '1',
      session_length: '2',
      external_user_id: '"u"',
      permissions: '[]',
      models: '[]',
      access_filters: '{}',
    };
    assert.equal(embedUrlStringToSign(fields), 'h\n/p\n"n"\n1\n2\n"u"\n[]\n[]\n{}');
    assert.equal(
      embedUrlStringToSign({ ...fields, external_group_id: '"g"' }),
      'h\n/p\n"n"\n1\n2\n"u"\n[]\n[]\n"g"\n{}',
    );
  });

  it('hmacSha1Base64 matches node:crypto', async () => {
    assert.equal(
      await hmacSha1Base64('k', 'message ✓'),
      createHmac('sha1', 'k').update('message ✓', 'utf8').digest('base64'),
    );
  });

  it('createNonce gives 2 hex digits per byte and refuses fewer than 16 bytes', () => {
    assert.match(createNonce(), /^[0-9a-f]{32}$/);
    assert.match(createNonce(24), /^[0-9a-f]{48}$/);
    assert.throws(() => createNonce(8), { code: 'invalid-input' });
  });
});
