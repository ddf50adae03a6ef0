/**
 * `embed-dashboard/server`: the runtime-agnostic server half. Serve the identity endpoint with
 * `createIdentityHandler` (any Web runtime) or `toNodeHandler(createIdentityHandler(...))`
 * (node:http, Express, Connect), with one provider per vendor from the vendor namespaces.
 */
export {
  createIdentityHandler,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_BODY_BYTES,
  MAX_ACTION_LENGTH,
  MAX_CONTEXT_DEPTH,
  MAX_BODY_BYTES_LIMIT,
  MAX_DASHBOARD_ID_LENGTH,
  PREFLIGHT_MAX_AGE_SECONDS,
  RETRY_AFTER_SECONDS,
} from './handler.js';
export type { IdentityErrorCode, IdentityHandler, IdentityHandlerOptions, IdentityResponseBody } from './handler.js';
export { toNodeHandler, type NodeHandlerOptions } from './node.js';
export type { NextFunction, NodeHandler } from './node.js';
export { EmbedServerError } from './errors.js';
export type { ServerErrorCode, ServerErrorDetails } from './errors.js';
export type { IdentityProvider, IdentityRequestBody, ProviderContext, VendorTokens } from './types.js';
export { createMemorySessionStore, createRedisSessionStore, DEFAULT_MAX_ENTRIES_PER_OWNER } from './session-store.js';
export type {
  HeldTokens,
  MemorySessionStore,
  MemorySessionStoreOptions,
  RedisCommandClient,
  RedisSessionStoreOptions,
  SessionStore,
  SetOptions,
  StoreLimits,
  TokenReuseOptions,
} from './session-store.js';

export * as vizzly from './vizzly.js';
export * as databrain from './databrain.js';
export * as formant from './formant.js';
export * as looker from './looker.js';
