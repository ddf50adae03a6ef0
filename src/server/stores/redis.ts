import { EmbedServerError, check } from '../errors.js';
import { checkLimits, checkTtl } from './checks.js';
import { DEFAULT_MAX_ENTRIES_PER_OWNER, type SessionStore, type StoreLimits } from './types.js';

/**
 * The part of a `redis` client (`createClient()` from the `redis` npm package, v4 or later) the store
 * uses: raw commands only, so any client with this method fits.
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** Options of {@link createRedisSessionStore}. */
export interface RedisSessionStoreOptions extends StoreLimits {
  /**
   * A connected client: `createClient({url, disableOfflineQueue: true})` then `await client.connect()`,
   * with an `error` listener (node-redis throws unhandled `error` events, which would end the process).
   * `disableOfflineQueue` makes commands fail at once while Redis is away instead of waiting for it.
   */
  client: RedisCommandClient;
  /** Prefix of every key the store writes (default `embed-dashboard:`), to share a Redis with other apps. */
  prefix?: string;
  /** Milliseconds one command may take before the store gives up (default 1000): a 503, not a hang. */
  timeoutMs?: number;
  /** Clock in epoch milliseconds (default `Date.now`), used to order each owner's entries. */
  now?: () => number;
}

/**
 * Sets the value, records it in its owner's sorted set (scored by expiry), drops the owner's expired or
 * deleted entries, and while the owner holds more than the cap deletes the ones expiring soonest. One
 * script, so concurrent instances never see half of it.
 */
const SET_OWNED = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local expiresAt = tonumber(ARGV[3]) + tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], expiresAt, KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[3])
for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if redis.call('EXISTS', member) == 0 then redis.call('ZREM', KEYS[2], member) end
end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  for _, member in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do redis.call('DEL', member) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
end
local latest = tonumber(redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')[2])
redis.call('PEXPIRE', KEYS[2], math.max(1, math.ceil(latest - tonumber(ARGV[3]))))
return 1
`;

/** The error every failed command becomes: retriable, with a fixed message (the client's text stays in `cause`). */
function unavailable(operation: string, cause: unknown): EmbedServerError {
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  return new EmbedServerError(
    timedOut ? 'upstream-timeout' : 'upstream-network',
    `session store (Redis) ${operation} failed: ${timedOut ? 'no answer in time' : 'Redis is unreachable or refused the command'}. Requests are answered 503 until it is back; check that Redis is up and the client connected.`,
    { vendor: 'session-store', retriable: true, cause },
  );
}

/**
 * A {@link SessionStore} on Redis, so that any instance behind a load balancer can serve any request:
 * values are stored as JSON with Redis' own TTL (`SET … PX`), keys under `prefix`, never logged. A
 * command that fails or takes longer than `timeoutMs` rejects with a retriable `upstream-*` error
 * (`vendor: 'session-store'`), which the identity endpoint answers 503 with `Retry-After`.
 *
 * @example
 * import { createClient } from 'redis';
 * const client = createClient({ url: process.env.REDIS_URL, disableOfflineQueue: true });
 * client.on('error', (error) => console.error('redis', error.message));
 * await client.connect();
 * const store = createRedisSessionStore({ client });
 */
export function createRedisSessionStore<Value = unknown>(options: RedisSessionStoreOptions): SessionStore<Value> {
  const where = 'createRedisSessionStore';
  check(
    options && typeof options.client?.sendCommand === 'function',
    `${where}: pass {client}, a connected client from the redis package's createClient().`,
  );
  const { client } = options;
  const prefix = options.prefix ?? 'embed-dashboard:';
  check(typeof prefix === 'string', `${where}: prefix must be a string.`);
  const timeoutMs = options.timeoutMs ?? 1000;
  check(Number.isFinite(timeoutMs) && timeoutMs > 0, `${where}: timeoutMs must be a positive number.`);
  const perOwner = options.maxEntriesPerOwner ?? DEFAULT_MAX_ENTRIES_PER_OWNER;
  checkLimits(perOwner, where);
  const now = options.now ?? Date.now;

  async function send(operation: string, args: string[]): Promise<unknown> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DOMException('timed out', 'TimeoutError')), timeoutMs);
    });
    try {
      return await Promise.race([client.sendCommand(args), timeout]);
    } catch (error) {
      throw unavailable(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async get(key) {
      const json = await send('get', ['GET', prefix + key]);
      return typeof json === 'string' ? (JSON.parse(json) as Value) : undefined;
    },
    async set(key, value, ttlSeconds, setOptions) {
      checkTtl(ttlSeconds);
      if (ttlSeconds <= 0) {
        await send('delete', ['DEL', prefix + key]);
        return;
      }
      const json = JSON.stringify(value);
      const ttlMs = String(Math.ceil(ttlSeconds * 1000));
      const owner = setOptions?.owner;
      if (owner === undefined) await send('set', ['SET', prefix + key, json, 'PX', ttlMs]);
      else {
        const ownerKey = `${prefix}owner:${owner}`;
        await send('set', [
          'EVAL',
          SET_OWNED,
          '2',
          prefix + key,
          ownerKey,
          json,
          ttlMs,
          String(now()),
          String(perOwner),
        ]);
      }
    },
    async delete(key) {
      await send('delete', ['DEL', prefix + key]);
    },
  };
}
