// The session store abstraction and the built-in stores, in one import for the vendor modules.
export type { SessionStore, SetOptions, StoreLimits } from './stores/types.js';
export { DEFAULT_MAX_ENTRIES_PER_OWNER } from './stores/types.js';
export { createMemorySessionStore } from './stores/memory.js';
export type { MemorySessionStore, MemorySessionStoreOptions } from './stores/memory.js';
export { createRedisSessionStore } from './stores/redis.js';
export type { RedisCommandClient, RedisSessionStoreOptions } from './stores/redis.js';
export type { HeldTokens, TokenReuseOptions } from './stores/reuse.js';
