import type { EmbedDashboard } from './embed-dashboard.js';
import type { EmbedErrorDetail, EmbedExpiredDetail, EmbedReadyDetail, EmbedTokenDetail } from './events.js';

/**
 * What JSX may set on `<embed-dashboard>`: the attributes (kebab-case), the properties (camelCase;
 * React 19, Preact and Solid set them as properties), and the standard HTML attributes.
 */
export interface EmbedDashboardJsxAttributes {
  vendor?: string;
  'identity-url'?: string;
  'dashboard-id'?: string;
  'vendor-options'?: string;
  credentials?: 'same-origin' | 'include' | 'omit';
  debug?: boolean;
  identityUrl?: string;
  dashboardId?: string;
  fetchTokens?: EmbedDashboard['fetchTokens'];
  context?: EmbedDashboard['context'];
  options?: EmbedDashboard['options'];
  headers?: EmbedDashboard['headers'];
  sessionOptions?: EmbedDashboard['sessionOptions'];
  share?: 'page' | 'tabs';
  // React 19 and Preact listen for exactly what follows `on`: the event names, dashes included.
  'onembed-token'?: (event: CustomEvent<EmbedTokenDetail>) => void;
  'onembed-ready'?: (event: CustomEvent<EmbedReadyDetail>) => void;
  'onembed-error'?: (event: CustomEvent<EmbedErrorDetail>) => void;
  'onembed-expired'?: (event: CustomEvent<EmbedExpiredDetail>) => void;
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
