// What the demo page embeds: for each vendor, the `<embed-dashboard>` attributes (dashboard id and
// vendor options) pointing at the local stand-in embeds or at the real vendor, filled into
// demo/index.html. Nothing secret is ever part of it.
import { STANDIN_API_PREFIX } from '../standin-apis/index.js';
import { LOCAL_DASHBOARDS, type DemoConfig } from './config.js';
import { escapeHtml } from './escape.js';
import { modeBadge, renderPanel } from './panel.js';

export { escapeHtml };

export type VendorName = 'vizzly' | 'databrain' | 'formant' | 'looker';
/** The vendors in the order of their panels. */
const VENDORS: readonly VendorName[] = ['vizzly', 'databrain', 'formant', 'looker'];

/** One vendor's embed on the page. */
export interface EmbedSettings {
  mode: 'local' | 'real';
  dashboardId: string;
  /** The `vendor-options` JSON object. */
  options: Record<string, unknown>;
}

/** The settings the page script reads (`<script type="application/json" id="demo-config">`). */
export interface PageSettings {
  tokenTtlSeconds: number;
  user: string;
}

/** Where the demo serves Vizzly's real client, built from the npm packages (demo/lib/vizzly-client.mjs). */
export const VIZZLY_CLIENT_PATH = '/demo/vizzly-client/vizzly-dashboard.js';

/**
 * The other loopback name for `origin` (localhost ↔ 127.0.0.1, same port): the stand-in embeds are
 * served from it so their iframes are cross-origin to the page, as real vendor embeds are.
 * Any other host is returned unchanged.
 */
export function embedOrigin(origin: string): string {
  const url = new URL(origin);
  if (url.hostname === 'localhost') url.hostname = '127.0.0.1';
  else if (url.hostname === '127.0.0.1') url.hostname = 'localhost';
  return url.origin;
}

/** Each vendor's embed settings for a page served from `pageOrigin`. */
export function embedSettings(config: DemoConfig, pageOrigin: string): Record<VendorName, EmbedSettings> {
  const other = embedOrigin(pageOrigin);
  const { vizzly, databrain, formant, looker } = config;
  return {
    vizzly:
      vizzly.mode === 'real'
        ? { mode: 'real', dashboardId: vizzly.dashboardId, options: { ...vizzly.bundle } }
        : // Vizzly's real client, against the local stand-in of its API and query engine (same origin).
          {
            mode: 'local',
            dashboardId: LOCAL_DASHBOARDS.vizzly,
            options: {
              scriptUrl: `${pageOrigin}${VIZZLY_CLIENT_PATH}`,
              vizzlyApiHost: `${pageOrigin}${STANDIN_API_PREFIX}/vizzly`,
              queryEngineEndpoint: `${pageOrigin}${STANDIN_API_PREFIX}/vizzly/query-engine`,
            },
          },
    databrain:
      databrain.mode === 'real'
        ? { mode: 'real', dashboardId: databrain.dashboardId, options: {} }
        : // Same origin as the page: the plugin is an npm package an app bundles and serves itself.
          {
            mode: 'local',
            dashboardId: LOCAL_DASHBOARDS.databrain,
            options: { moduleUrl: `${pageOrigin}/demo/standin-apis/databrain-plugin.js` },
          },
    formant:
      formant.mode === 'real'
        ? {
            mode: 'real',
            dashboardId: formant.viewId,
            options: {
              deviceIds: formant.deviceIds,
              ...(formant.apiBaseUrl ? { apiBaseUrl: formant.apiBaseUrl } : {}),
              ...(formant.embedUrl ? { embedUrl: formant.embedUrl } : {}),
            },
          }
        : {
            mode: 'local',
            dashboardId: LOCAL_DASHBOARDS.formant,
            options: {
              embedUrl: `${other}/demo/standins/formant-embed.html`,
              apiBaseUrl: `${other}/standin-api/formant`,
              deviceIds: ['demo-robot-1', 'demo-robot-2'],
            },
          },
    looker:
      looker.mode === 'real'
        ? { mode: 'real', dashboardId: looker.dashboardId, options: { host: looker.host } }
        : { mode: 'local', dashboardId: LOCAL_DASHBOARDS.looker, options: { host: other } },
  };
}

/** The page settings for the page script. */
export function pageSettings(config: DemoConfig): PageSettings {
  return {
    tokenTtlSeconds: config.tokenTtlSeconds,
    user: config.user,
  };
}

/**
 * Fills demo/index.html: `{{panels}}` (the four vendors' panels), `{{vendor.dashboardId}}`,
 * `{{vendor.options}}`, `{{vendor.mode}}` (attribute escaped) and `{{settings}}` (JSON for a
 * `<script type="application/json">`, `<` escaped).
 * Throws on an unknown placeholder, so a typo in the template cannot ship silently.
 */
export function renderPage(template: string, config: DemoConfig, pageOrigin: string): string {
  const embeds = embedSettings(config, pageOrigin);
  return template.replace(/\{\{([a-zA-Z.]+)\}\}/g, (_match, key: string) => {
    if (key === 'settings') return JSON.stringify(pageSettings(config)).replace(/</g, '\\u003c');
    if (key === 'panels') return VENDORS.map((vendor) => renderPanel(vendor, embeds[vendor])).join('\n');
    const [vendor, field] = key.split('.') as [VendorName, string | undefined];
    const settings = embeds[vendor];
    if (!settings) throw new Error(`demo/index.html: unknown placeholder {{${key}}}`);
    if (field === 'dashboardId') return escapeHtml(settings.dashboardId);
    if (field === 'options') return escapeHtml(JSON.stringify(settings.options));
    if (field === 'mode') return modeBadge(vendor, settings.mode);
    throw new Error(`demo/index.html: unknown placeholder {{${key}}}`);
  });
}
