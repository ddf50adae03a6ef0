// `embed-dashboard/engine`: the framework-free token engine alone (no element, no Lit, no vendor
// adapter), for apps that hand tokens to a vendor's embed themselves. `embed-dashboard` exports the
// same names; this subpath keeps the guarantee without relying on the bundler's tree shaking.
export { TokenSession, type TokenSessionOptions, type SessionEvent, type SessionListener } from '../token/session.js';
export { acquireSession, type SessionLease } from '../token/registry.js';
export type { ScheduleOptions } from '../token/schedule.js';
// The `debug` option's log; `consoleDebugLog()` itself is in `embed-dashboard/debug`.
export type { DebugEntry, DebugLog } from '../debug/lines.js';
export type { Clock } from '../timers.js';
export type { TokenSet, IdentityResponse, TokenFetcher, FetchReason } from '../token/types.js';
export { createIdentityFetcher, type IdentityClientOptions, type IdentityRequest } from '../identity/client.js';
export { EmbedError, isEmbedError, type EmbedErrorCode, type EmbedErrorDetails } from '../errors.js';
