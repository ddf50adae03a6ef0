// One vendor's panel on the demo page: its title and badges, the <embed-dashboard> itself, the token
// countdown with a "Refresh now" button, and the event log the page script (demo/app.ts) fills.
import type { EmbedSettings, VendorName } from './page.js';
import { escapeHtml } from './escape.js';

const TITLES: Record<VendorName, string> = {
  vizzly: 'Vizzly',
  databrain: 'DataBrain',
  formant: 'Formant',
  looker: 'Looker',
};

// Vizzly's local panel runs its real client, whose token rhythm differs from the others': say so.
const VIZZLY_LOCAL_NOTE = `
        <p class="panel-note">
          Vizzly's own client (<code>@vizzly/dashboard</code> from npm) against a local stand-in of its API and query
          engine. It asks for tokens every 5 minutes and keeps them, so its tokens live 30 minutes: press
          <b>Refresh now</b> to see a refresh.
        </p>`;

/** The panel's badge: where the vendor runs (Vizzly's local mode runs its real client on a stand-in API). */
export function modeBadge(vendor: VendorName, mode: EmbedSettings['mode']): string {
  if (mode === 'real') return 'real service';
  return vendor === 'vizzly' ? 'real client · local API' : 'local stand-in';
}

/** The HTML of `vendor`'s panel; every value from the settings is attribute-escaped. */
export function renderPanel(vendor: VendorName, settings: EmbedSettings): string {
  const title = TITLES[vendor];
  const note = vendor === 'vizzly' && settings.mode === 'local' ? VIZZLY_LOCAL_NOTE : '';
  return `
      <section class="panel" data-vendor="${vendor}" aria-labelledby="${vendor}-title">
        <header class="panel-head">
          <h2 id="${vendor}-title">${title}</h2>
          <span class="badge">${modeBadge(vendor, settings.mode)}</span>
          <span class="badge" data-role="state" data-state="idle">idle</span>
        </header>
        <embed-dashboard
          vendor="${vendor}"
          identity-url="/api/embed/identity"
          dashboard-id="${escapeHtml(settings.dashboardId)}"
          vendor-options="${escapeHtml(JSON.stringify(settings.options))}"
        ></embed-dashboard>${note}
        <div class="token">
          <span>Token expires in</span>
          <output data-role="countdown">—</output>
          <progress data-role="lifetime" max="1" value="0" aria-label="${title} token lifetime left"></progress>
          <button type="button" data-role="refresh">Refresh now</button>
        </div>
        <ol class="log" data-role="log" aria-label="${title} events"></ol>
      </section>`;
}
