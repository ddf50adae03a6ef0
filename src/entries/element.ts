// `embed-dashboard/element`: registers <embed-dashboard> with no vendor adapter. Add the ones you use
// with `embed-dashboard/vendors/<name>` (in the same bundle) or `embed-dashboard/vendors` (all four,
// as lazy chunks). `embed-dashboard/define` is this plus every built-in vendor.
import { EmbedDashboard } from '../element/embed-dashboard.js';
import type { EmbedDashboardHtmlAttributes } from '../element/jsx.js';

// Guarded: importing it twice, or in a page where another copy already did, is harmless; on the
// server (no customElements) it does nothing.
if (typeof customElements !== 'undefined' && !customElements.get('embed-dashboard')) {
  customElements.define('embed-dashboard', EmbedDashboard);
}

export { EmbedDashboard };

declare global {
  interface HTMLElementTagNameMap {
    'embed-dashboard': EmbedDashboard;
  }
  // The global JSX namespace (React ≤ 18's types, Preact, Solid): attributes only, because React ≤ 18
  // sets every prop as an attribute. React 19's React.JSX gets properties and events from
  // `embed-dashboard/react`; React 18 apps use its wrapper for those.
  namespace JSX {
    interface IntrinsicElements {
      'embed-dashboard': EmbedDashboardHtmlAttributes;
    }
  }
}
