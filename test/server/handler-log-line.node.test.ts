// What reaches the default log: one `[embed-dashboard]` line per failure whatever the vendor sent,
// and no secret in it, DataBrain's "200 without a token" answer included (its keys are vendor text).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as databrain from '../../src/server/databrain.js';
import { createIdentityHandler } from '../../src/server/handler.js';
import { callUpstream } from '../../src/server/upstream.js';
import { startStandin, type Standin, type StandinAnswer } from './standin-server.js';

const API_TOKEN = 'dbn_live_5ecret-T0ken';
let answer: StandinAnswer = { status: 200, body: {} };
let standin: Standin;
before(async () => {
  standin = await startStandin(() => answer);
});
after(() => standin.close());

/** The lines the default onError writes while `run` goes. */
async function loggedLines(run: () => Promise<unknown>): Promise<string[]> {
  const original = console.error;
  const lines: string[] = [];
  console.error = (...args: unknown[]) =>
    void lines.push(
      ...args
        .map(String)
        .join(' ')
        .split(/\r\n|[\n\r\u2028\u2029]/),
    );
  try {
    await run();
  } finally {
    console.error = original;
  }
  return lines;
}

const post = (vendor: string): Request =>
  new Request('https://app.example.com/api/embed/identity', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ vendor }),
  });

describe('the default log line', () => {
  it('is one line although the vendor error text holds line breaks that imitate log lines', async () => {
    answer = {
      status: 500,
      body: {
        error: { code: 'E\n[embed-dashboard] x', message: 'down\n[embed-dashboard] identity endpoint forged\r\nmore' },
      },
    };
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      vendors: {
        stub: async () => {
          await callUpstream({ vendor: 'stub', method: 'GET', url: `${standin.url}/x` });
          return { tokens: {} };
        },
      },
    });
    const lines = await loggedLines(() => handler(post('stub')));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /^\[embed-dashboard\] identity endpoint POST \/api\/embed\/identity failed: /);
    assert.match(lines[0]!, /forged more/);
  });

  it('never lists the API token when DataBrain answers 200 without a token, even as a key', async () => {
    answer = { status: 200, body: { [API_TOKEN]: true, [`x\n[embed-dashboard] ${API_TOKEN}`]: 1, status: 'ok' } };
    const handler = createIdentityHandler({
      authenticate: () => ({ id: 'u' }),
      vendors: {
        databrain: databrain.identityProvider({
          apiToken: API_TOKEN,
          workspaceName: 'ws',
          baseUrl: standin.url,
          claims: () => ({ clientId: 'None', params: { dashboard: { id: 'd' } } }),
        } as never),
      },
    });
    const lines = await loggedLines(() => handler(post('databrain')));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /without a guest token/);
    assert.match(lines[0]!, /"\[redacted\]"/);
    assert.match(lines[0]!, /"status"/);
    assert.ok(!lines[0]!.includes(API_TOKEN), lines[0]);
    assert.ok(!lines[0]!.includes('5ecret'), lines[0]);
  });
});
