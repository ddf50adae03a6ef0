// Several server instances sharing one real redis-server: any instance serves any request of a
// Looker cookieless session, an instance can die mid-session, and Redis can restart.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startLookerStandin, type Standin } from '../looker-standin.js';
import { startRedisServer, untilReady, type RedisServer } from './harness.js';
import { buildInstance, identityRequest } from './instance.js';

const ACQUIRE = '/api/4.0/embed/cookieless_session/acquire';
const GENERATE = '/api/4.0/embed/cookieless_session/generate_tokens';

let redis: RedisServer;
let looker: Standin;
let instanceA: Awaited<ReturnType<typeof buildInstance>>;
let instanceB: Awaited<ReturnType<typeof buildInstance>>;

before(async () => {
  redis = await startRedisServer();
  looker = await startLookerStandin();
  instanceA = await buildInstance(redis.url, looker.baseUrl);
  instanceB = await buildInstance(redis.url, looker.baseUrl);
});
after(async () => {
  instanceA.close();
  instanceB.close();
  await looker.close();
  await redis.stop();
});
beforeEach(() => {
  looker.requests.length = 0;
});

async function json(response: Response | Promise<Response>) {
  const answer = await response;
  return { status: answer.status, headers: answer.headers, body: (await answer.json()) as Record<string, any> };
}

/** Starts an instance in a child process and resolves with its base URL and the process. */
async function childInstance(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./instance-process.ts', import.meta.url).pathname],
    {
      env: { ...process.env, REDIS_URL: redis.url, LOOKER_URL: looker.baseUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (data: Buffer) => {
      out += data.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the instance process exited (${code}) before listening`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

describe('several instances on one Redis (real redis-server, Looker stand-in)', () => {
  it('a session acquired on instance A gets new tokens on instance B; both share one API login', async () => {
    const acquired = await json(instanceA.handler(identityRequest('ann')));
    assert.equal(acquired.status, 200);
    assert.ok(acquired.body.tokens.authentication_token);
    const refreshed = await json(instanceB.handler(identityRequest('ann', 'refresh')));
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.tokens.api_token, acquired.body.tokens.api_token);
    assert.equal(refreshed.body.tokens.session_reference_token, undefined, 'the reference stays on the server');
    const generate = looker.requests.filter((r) => r.path === GENERATE);
    assert.equal(generate.length, 1);
    assert.equal(JSON.parse(generate[0]!.body).api_token, acquired.body.tokens.api_token, "B used A's session");
    // A second acquire on B rejoins A's session instead of starting another.
    const rejoined = await json(instanceB.handler(identityRequest('ann')));
    assert.equal(rejoined.status, 200);
    const acquires = looker.requests.filter((r) => r.path === ACQUIRE).map((r) => JSON.parse(r.body));
    assert.equal(acquires.length, 2);
    assert.ok(acquires[1].session_reference_token, 'the second acquire carried the stored reference');
    assert.ok(looker.requests.filter((r) => r.path === '/api/4.0/login').length <= 1, 'one API login for both');
  });

  it('instance A killed mid-session (its process): instance B carries the session on', async () => {
    const { url, child } = await childInstance();
    try {
      const acquired = await json(fetch(identityRequest('bea', undefined, url)));
      assert.equal(acquired.status, 200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    const refreshed = await json(instanceB.handler(identityRequest('bea', 'refresh')));
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.ok(refreshed.body.tokens.api_token);
  });

  it('Redis restarted: clear 503s with Retry-After meanwhile, a new session after it is back', async () => {
    assert.equal((await json(instanceB.handler(identityRequest('cal')))).status, 200);
    instanceB.errors.length = 0;
    await redis.stop();
    try {
      for (const action of [undefined, 'refresh'] as const) {
        const down = await json(instanceB.handler(identityRequest('cal', action)));
        assert.equal(down.status, 503);
        assert.equal(down.body.error.code, 'upstream-error');
        assert.equal(down.headers.get('retry-after'), '5');
        assert.doesNotMatch(JSON.stringify(down.body), /redis|127\.0\.0\.1|secret/i);
      }
      assert.equal(instanceB.errors.length, 2, 'each failure reaches onError');
    } finally {
      await redis.start();
    }
    await untilReady(instanceB.redis);
    // Redis kept nothing (no persistence): the refresh says the session ended, and a new one starts.
    const ended = await json(instanceB.handler(identityRequest('cal', 'refresh')));
    assert.equal(ended.status, 409);
    assert.equal(ended.body.error.code, 'session-ended');
    assert.equal((await json(instanceB.handler(identityRequest('cal')))).status, 200);
    await untilReady(instanceA.redis);
    assert.equal((await json(instanceA.handler(identityRequest('cal', 'refresh')))).status, 200);
  });
});
