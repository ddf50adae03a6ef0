// `embed-dashboard`: the element class, the token engine, the vendor registry and their types.
// Importing it registers nothing (`embed-dashboard/define` does) and is safe in Node for server-side
// rendering. Every module is its own file in dist/ and free of side effects, so an app that imports
// only `TokenSession` gets the engine alone (or import `embed-dashboard/engine`).
export { EmbedDashboard } from './element/embed-dashboard.js';
export type { EmbedState } from './element/embed-controller.js';
export type { FetchTokens, FetchTokensRequest, IdentityHeaders, SessionSettings } from './element/config.js';
export type { EmbedDashboardJsxAttributes, EmbedDashboardHtmlAttributes } from './element/jsx.js';
export type { EmbedTokenDetail, EmbedReadyDetail, EmbedErrorDetail, EmbedExpiredDetail } from './element/events.js';

export * from './entries/engine.js';

export { registerVendor, vendorNames } from './vendors/registry.js';
export type {
  TokenGrant,
  TokenRequestOptions,
  VendorAdapter,
  VendorEmbed,
  VendorLoader,
  VendorMountContext,
} from './vendors/contract.js';
// Type-only: the Looker embed's run() and updateFilters(), for `element.vendorEmbed as LookerEmbed`.
export type { LookerEmbed } from './vendors/looker/types.js';
export type {
  DataBrainOptions,
  FormantOptions,
  FrameInputOptions,
  LookerOptions,
  VizzlyOptions,
} from './vendor-options.js';
