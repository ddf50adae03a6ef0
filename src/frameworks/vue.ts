// `embed-dashboard/vue`: `isCustomElement` for Vue's template compiler, and `<embed-dashboard>` in
// Vue's `GlobalComponents`, so vue-tsc checks its attributes, bindings and `@embed-*` listeners.
// It registers nothing: import `embed-dashboard/define` before `app.mount()`.
import type { DefineComponent } from 'vue';
import type { EmbedDashboard } from '../element/embed-dashboard.js';
import type { EmbedErrorDetail, EmbedExpiredDetail, EmbedReadyDetail, EmbedTokenDetail } from '../element/events.js';

/**
 * For `vue({ template: { compilerOptions: { isCustomElement } } })` (Vite) or
 * `app.config.compilerOptions.isCustomElement`: tells Vue that `<embed-dashboard>` is not a Vue component.
 */
export function isCustomElement(tag: string): boolean {
  return tag === 'embed-dashboard';
}

/** What a Vue template may bind on `<embed-dashboard>` (Vue sets properties when the element has them). */
export interface EmbedDashboardVueProps {
  vendor?: string;
  identityUrl?: string;
  dashboardId?: string;
  vendorOptions?: string;
  credentials?: 'same-origin' | 'include' | 'omit';
  debug?: boolean;
  fetchTokens?: EmbedDashboard['fetchTokens'];
  context?: EmbedDashboard['context'];
  options?: EmbedDashboard['options'];
  headers?: EmbedDashboard['headers'];
  sessionOptions?: EmbedDashboard['sessionOptions'];
  /** `@embed-token` */
  onEmbedToken?: (event: CustomEvent<EmbedTokenDetail>) => void;
  /** `@embed-ready` */
  onEmbedReady?: (event: CustomEvent<EmbedReadyDetail>) => void;
  /** `@embed-error` */
  onEmbedError?: (event: CustomEvent<EmbedErrorDetail>) => void;
  /** `@embed-expired` */
  onEmbedExpired?: (event: CustomEvent<EmbedExpiredDetail>) => void;
}

declare module 'vue' {
  interface GlobalComponents {
    'embed-dashboard': DefineComponent<EmbedDashboardVueProps>;
  }
}
