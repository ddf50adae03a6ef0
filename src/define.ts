// The one module with a side effect: it registers <embed-dashboard>. Importing it twice (or in a
// page where another copy already did) is harmless; importing it on the server does nothing.
import { EmbedDashboard } from './element/embed-dashboard.js';
import type { EmbedDashboardJsxAttributes } from './element/jsx.js';

if (typeof customElements !== 'undefined' && !customElements.get('embed-dashboard')) {
  customElements.define('embed-dashboard', EmbedDashboard);
}

export { EmbedDashboard };

declare global {
  interface HTMLElementTagNameMap {
    'embed-dashboard': EmbedDashboard;
  }
  // The JSX namespace TypeScript consults for intrinsic elements (React ≤ 18 types, Preact, Solid).
  // For React 19's React.JSX, see the README.
  namespace JSX {
    interface IntrinsicElements {
      'embed-dashboard': EmbedDashboardJsxAttributes;
    }
  }
}
