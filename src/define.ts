// The one module with a side effect: it registers <embed-dashboard>. Importing it twice (or in a
// page where another copy already did) is harmless; importing it on the server does nothing.
import { EmbedDashboard } from './element/embed-dashboard.js';

if (typeof customElements !== 'undefined' && !customElements.get('embed-dashboard')) {
  customElements.define('embed-dashboard', EmbedDashboard);
}

export { EmbedDashboard };

declare global {
  interface HTMLElementTagNameMap {
    'embed-dashboard': EmbedDashboard;
  }
}
