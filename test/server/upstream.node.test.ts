import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import * as databrain from '../../src/server/databrain.js';
import { EmbedServerError } from '../../src/server/errors.js';
import { redact, redactError } from '../../src/server/redact.js';
import { callUpstream, describeFetchFailure } from '../../src/server/upstream.js';
import { rejection } from './rejection.js';
import { closedUrl, startStandin, type Standin, type StandinAnswer } from './standin-server.js';

const SECRET = 'sk_live_9Qe"Z/+w t0ken';

let standin: Standin;
let answer: StandinAnswer = { status: 200, body: { ok: true } };
before(async () => {
  standin = await startStandin(() => answer);
});
after(() => standin.close());
beforeEach(() => {
  standin.requests.length = 0;
  answer = { status: 200, body: { ok: true } };
});

/** Every place an error could carry text to a log or a browser. */
function everything(error: EmbedServerError): string[] {
  return [
    error.message,
    error.vendorMessage ?? '',
    error.vendorCode ?? '',
    String(error.stack),
    JSON.stringify(error),
    JSON.stringify({ ...error }),
    inspect(error, { depth: 5 }),
  ];
}

function assertNoSecret(error: EmbedServerError, secret: string): void {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
  for (const text of everything(error)) {
    for (const form of forms) assert.ok(!text.includes(form), `the secret leaked into: ${text}`);
  }
}

describe('redact', () => {
  it('replaces raw, JSON-escaped, URL-encoded and form-encoded forms', () => {
    const text = [
      SECRET,
      JSON.stringify(SECRET),
      encodeURIComponent(SECRET),
      new URLSearchParams({ k: SECRET }).toString(),
    ].join(' | ');
    assert.equal(redact(text, [SECRET]), '[redacted] | "[redacted]" | [redacted] | k=[redacted]');
  });

  it('cuts out a secret that contains another secret whole, whatever the order given', () => {
    assert.equal(redact('token abc-long-part here', ['abc', 'abc-long-part']), 'token [redacted] here');
    assert.equal(redact('token abc-long-part here', ['abc-long-part', 'abc']), 'token [redacted] here');
  });

  it('ignores empty and missing secrets and leaves other text alone', () => {
    assert.equal(redact('nothing to hide', ['', undefined]), 'nothing to hide');
    assert.equal(redact('a short pin 42 here', ['42']), 'a short pin [redacted] here');
  });
});

describe('redactError', () => {
  it('scrubs message, vendorMessage and vendorCode and keeps the rest', () => {
    const error = new EmbedServerError('upstream-http', `failed for ${SECRET}`, {
      vendor: 'x',
      status: 401,
      vendorCode: SECRET,
      vendorMessage: `bad ${JSON.stringify(SECRET)}`,
      retriable: false,
    });
    const clean = redactError(error, [SECRET]);
    assert.ok(clean instanceof EmbedServerError);
    assert.deepEqual([clean.code, clean.vendor, clean.status, clean.retriable], ['upstream-http', 'x', 401, false]);
    assert.equal(clean.message, 'failed for [redacted]');
    assert.equal(clean.vendorCode, '[redacted]');
    assert.equal(clean.vendorMessage, 'bad "[redacted]"');
    assertNoSecret(clean, SECRET);
  });

  it('returns the same error when there is nothing to cut, and anything else unchanged', () => {
    const error = new EmbedServerError('upstream-timeout', 'slow');
    assert.equal(redactError(error, [SECRET]), error);
    const other = new Error(SECRET);
    assert.equal(redactError(other, [SECRET]), other);
  });
});

describe('callUpstream: network failures name safe facts only', () => {
  it('never repeats a header value fetch refuses (a secret with a line break), even without `secrets`', async () => {
    for (const secrets of [[SECRET], undefined]) {
      const error = await rejection(
        callUpstream({
          vendor: 'vizzly',
          method: 'PUT',
          url: `${standin.url}/api`,
          headers: { auth: `Api-Key ${SECRET}\nx` },
          secrets,
        }),
      );
      assert.equal(error.code, 'upstream-network');
      assert.equal(error.retriable, true);
      assert.equal(error.cause, undefined);
      assert.match(
        error.message,
        /^vizzly API could not be reached \(PUT http:\/\/127\.0\.0\.1:\d+\/api\): TypeError without a system error code/,
      );
      assertNoSecret(error, SECRET);
      assert.ok(!error.message.includes('\nx'), 'the refused header value leaked');
    }
    assert.equal(standin.requests.length, 0, 'fetch sent nothing');
  });

  it('an API token with a line break never leaks through a vendor module (DataBrain)', async () => {
    const apiToken = `dbn_${SECRET}\nx`;
    const error = await rejection(
      databrain.createGuestToken({ apiToken, baseUrl: standin.url, workspaceName: 'w', clientId: 'c' }),
    );
    assert.equal(error.code, 'upstream-network');
    assertNoSecret(error, apiToken);
    assertNoSecret(error, SECRET);
  });

  it('names the system error code of a refused connection', async () => {
    const error = await rejection(
      callUpstream({
        vendor: 'formant',
        method: 'POST',
        url: `${await closedUrl()}/v1/login`,
        body: { password: SECRET },
      }),
    );
    assert.equal(error.code, 'upstream-network');
    assert.match(error.message, /: ECONNREFUSED\.$/);
    assert.equal(error.cause, undefined);
  });

  it("describeFetchFailure reads the code of the error, its cause or the cause's first error, never a message", () => {
    const withCause = (cause: unknown) => Object.assign(new TypeError(`fetch failed ${SECRET}`), { cause });
    assert.equal(describeFetchFailure(withCause(Object.assign(new Error(SECRET), { code: 'ENOTFOUND' }))), 'ENOTFOUND');
    assert.equal(
      describeFetchFailure(withCause(new AggregateError([Object.assign(new Error(SECRET), { code: 'ECONNREFUSED' })]))),
      'ECONNREFUSED',
    );
    assert.equal(describeFetchFailure(Object.assign(new Error(SECRET), { code: 'ECONNRESET' })), 'ECONNRESET');
    for (const error of [
      withCause(new Error(SECRET)),
      Object.assign(new Error(SECRET), { code: SECRET }),
      SECRET,
      null,
    ]) {
      assert.ok(!describeFetchFailure(error).includes(SECRET));
    }
  });

  it('a custom fetch whose error quotes a secret: code only, secret cut out, no cause', async () => {
    const failing = (async () => {
      throw Object.assign(new TypeError(`boom ${SECRET}`), {
        cause: Object.assign(new Error(SECRET), { code: 'ECONNRESET' }),
      });
    }) as typeof fetch;
    const error = await rejection(
      callUpstream({ vendor: 'looker', method: 'GET', url: 'https://looker.test/api', fetch: failing }),
    );
    assert.match(error.message, /: ECONNRESET\.$/);
    assert.equal(error.cause, undefined);
    assertNoSecret(error, SECRET);
  });
});

describe('callUpstream: `secrets` are cut out of every error', () => {
  it('an error answer echoing the secret (JSON-escaped, as the code too)', async () => {
    answer = {
      status: 400,
      body: { error: { code: SECRET, message: `you sent ${JSON.stringify({ token: SECRET })}` } },
    };
    const error = await rejection(
      callUpstream({ vendor: 'databrain', method: 'POST', url: `${standin.url}/x`, body: {}, secrets: [SECRET] }),
    );
    assert.equal(error.code, 'upstream-http');
    assert.equal(error.status, 400);
    assert.equal(error.vendorCode, '[redacted]');
    assert.equal(error.vendorMessage, 'you sent {"token":"[redacted]"}');
    assertNoSecret(error, SECRET);
  });

  it('a secret in the URL path (a session reference), on an error answer and on a timeout', async () => {
    const url = `${standin.url}/session/${encodeURIComponent(SECRET)}`;
    answer = { status: 404, body: { message: 'Not found' } };
    const notFound = await rejection(callUpstream({ vendor: 'looker', method: 'DELETE', url, secrets: [SECRET] }));
    assert.match(notFound.message, /\/session\/\[redacted\]/);
    assertNoSecret(notFound, SECRET);
    answer = 'hang';
    const slow = await rejection(
      callUpstream({ vendor: 'looker', method: 'DELETE', url, timeoutMs: 50, secrets: [SECRET] }),
    );
    assert.equal(slow.code, 'upstream-timeout');
    assertNoSecret(slow, SECRET);
  });

  it('a long text answer is cut to 500 characters after redaction, so no half of a secret is kept', async () => {
    answer = { status: 500, raw: `${'x'.repeat(495)}${SECRET} and more` };
    const error = await rejection(
      callUpstream({ vendor: 'formant', method: 'POST', url: `${standin.url}/x`, secrets: [SECRET] }),
    );
    assert.equal(error.vendorMessage?.length, 500);
    assert.ok(!error.message.includes(SECRET.slice(0, 5)), error.message);
    assert.equal(error.retriable, true);
  });

  it('an invalid URL is an invalid-input error that does not quote the URL', async () => {
    const error = await rejection(
      callUpstream({ vendor: 'looker', method: 'GET', url: `not a url/${SECRET}`, secrets: [] }),
    );
    assert.equal(error.code, 'invalid-input');
    assertNoSecret(error, SECRET);
  });
});
