// Browser entry: the element class, the token engine and the vendor registry. Importing it registers
// nothing (import 'embed-dashboard/define' for that) and is safe in Node for server-side rendering.
export { EmbedDashboard } from './element/embed-dashboard.js';
export type { EmbedState } from './element/embed-controller.js';
export type { FetchTokens, FetchTokensRequest, IdentityHeaders, SessionSettings } from './element/config.js';
export type { EmbedDashboardJsxAttributes } from './element/jsx.js';
export type { EmbedTokenDetail, EmbedReadyDetail, EmbedErrorDetail, EmbedExpiredDetail } from './element/events.js';

export { TokenSession, type TokenSessionOptions, type SessionEvent, type SessionListener } from './token/session.js';
export { acquireSession, liveSessionCount, type SessionLease } from './token/registry.js';
export { TabSharedSession } from './token/tab-session.js';
export { shareAcrossTabs, type SharedFetcher, type TabShareClock, type TabShareOptions } from './token/tab-share.js';
export { resolveExpiry, type Expiry } from './token/expiry.js';
export { refreshTime, retryDelay, nextRefreshDelay, DEFAULT_SCHEDULE, type ScheduleOptions } from './token/schedule.js';
export { systemClock, type Clock } from './timers.js';
export type { TokenSet, IdentityResponse, TokenFetcher, FetchReason } from './token/types.js';

export {
  requestIdentity,
  createIdentityFetcher,
  type IdentityClientOptions,
  type IdentityRequest,
} from './identity/client.js';
export { EmbedError, isEmbedError, type EmbedErrorCode, type EmbedErrorDetails } from './errors.js';

export { registerVendor, vendorNames } from './vendors/registry.js';
export type { VendorAdapter, VendorEmbed, VendorLoader, VendorMountContext } from './vendors/contract.js';
// Type-only: the Looker embed's run() and updateFilters(), for `element.vendorEmbed as LookerEmbed`.
export type { LookerEmbed, LookerOptions } from './vendors/looker.js';
