import type { EmbedDashboard } from './embed-dashboard.js';
import type { EmbedErrorDetail, EmbedExpiredDetail, EmbedReadyDetail, EmbedTokenDetail } from './events.js';

/**
 * What any JSX may set on `<embed-dashboard>` as attributes: the element's own (kebab-case) and the
 * standard ones. This is all React ≤ 18 can pass (it sets every prop as an attribute); its types, Preact's
 * and Solid's read it from the global `JSX` namespace (declared by `embed-dashboard/define`).
 */
export interface EmbedDashboardHtmlAttributes {
  vendor?: string;
  'identity-url'?: string;
  'dashboard-id'?: string;
  'vendor-options'?: string;
  credentials?: 'same-origin' | 'include' | 'omit';
  debug?: boolean;
  id?: string;
  class?: string;
  className?: string;
  style?: unknown;
  slot?: string;
  hidden?: boolean;
  ref?: unknown;
  key?: string | number;
  children?: unknown;
}

/** The element's properties that React 19 (and Preact, Solid) set as properties, not attributes. */
export interface EmbedDashboardProperties {
  identityUrl?: string;
  dashboardId?: string;
  fetchTokens?: EmbedDashboard['fetchTokens'];
  context?: EmbedDashboard['context'];
  options?: EmbedDashboard['options'];
  headers?: EmbedDashboard['headers'];
  sessionOptions?: EmbedDashboard['sessionOptions'];
}

/** The listeners React 19 and Preact add for `on` + the exact event name, dashes included. */
export interface EmbedDashboardEventProps {
  'onembed-token'?: (event: CustomEvent<EmbedTokenDetail>) => void;
  'onembed-ready'?: (event: CustomEvent<EmbedReadyDetail>) => void;
  'onembed-error'?: (event: CustomEvent<EmbedErrorDetail>) => void;
  'onembed-expired'?: (event: CustomEvent<EmbedExpiredDetail>) => void;
}

/**
 * What React 19 may set on `<embed-dashboard>`: attributes, properties and event listeners
 * (`embed-dashboard/react` adds it to React 19's `React.JSX`).
 */
export interface EmbedDashboardJsxAttributes
  extends EmbedDashboardHtmlAttributes, EmbedDashboardProperties, EmbedDashboardEventProps {}
