// The vendor options as an app writes them (the `options` property, or `vendor-options` as JSON).
// The adapters check them at mount and report a bad one as an `invalid-attribute` error; these types
// let an editor catch most mistakes before that.

/** The iframe attributes Formant and Looker accept. */
export interface FrameInputOptions {
  /** The iframe's `sandbox` tokens, or `false` for no sandbox attribute (default: a safe set). */
  sandbox?: string | false;
  /** The iframe's `allow` attribute (default `fullscreen; clipboard-write`). */
  allow?: string;
}

/** Vizzly: where its bundle comes from, and props passed on to its `render()`. */
export interface VizzlyOptions {
  /** Vizzly's bundle version on its CDN (default: the build Vizzly's public examples pin). */
  version?: string;
  /** The whole bundle URL instead of `version`, for self-hosting. */
  scriptUrl?: string;
  /** The parent dashboard child dashboards are created from. */
  parentDashboardId?: string;
  /** A self-hosted query engine's URL. */
  queryEngineEndpoint?: string;
  /** Vizzly's API host. */
  vizzlyApiHost?: string;
  /** Any other prop Vizzly's `render()` takes (`theme`, …), passed unchanged. */
  [prop: string]: unknown;
}

/** DataBrain: where the plugin comes from; other keys become kebab-case attributes of its element. */
export interface DataBrainOptions {
  /** Render `<dbn-metric>` for this metric instead of the dashboard. */
  metricId?: string;
  /** Where to import the plugin's module from (default: the `@databrainhq/plugin` package). */
  moduleUrl?: string;
  /** A classic script URL that defines the plugin's elements. */
  scriptUrl?: string;
  /** Called with each server event the plugin raises (after a `TOKEN_EXPIRED` refresh). */
  handleServerEvent?: (event: { type: string; [key: string]: unknown }) => void;
  /** Any other attribute of DataBrain's element (objects are sent as JSON). */
  [attribute: string]: unknown;
}

/** Formant: a view of Formant's external embed, or your own custom module. */
export interface FormantOptions extends FrameInputOptions {
  /** The view to show (default: the element's `dashboard-id`). */
  viewId?: string;
  /** Devices the view shows. */
  deviceIds?: string[];
  /** One module of the view to show alone. */
  moduleId?: string;
  /** The Formant API the embed talks to (default `https://api.formant.io`). */
  apiBaseUrl?: string;
  /** Theme overrides, in Formant's shape. */
  themeOverride?: unknown;
  /** Time range, in Formant's shape. */
  timeRange?: unknown;
  /** More fields for the embed's load/update messages (never `messageType` or `authToken`). */
  message?: Record<string, unknown>;
  /** The embed page (default `https://embed.formant.io`; your module's page in module mode). */
  embedUrl?: string;
  /** Custom-module mode: the module's name. */
  module?: string;
  /** More query parameters for the module page (never `auth` or `module`). */
  moduleParams?: Record<string, string>;
}

/** Looker: the host and what to show, cookieless (default) or signed. */
export interface LookerOptions extends FrameInputOptions {
  /** Your Looker host, `example.looker.com` or `https://example.looker.com[:port]` (required). */
  host: string;
  /** What to show (default `/embed/dashboards/<dashboard-id>`); starts with `/embed/`. */
  embedPath?: string;
  /** More query parameters for the embedded page, e.g. `{ theme: 'Dark' }`. */
  params?: Record<string, string>;
  /** `cookieless` (default) or `signed` (tokens carry a signed `url`). */
  mode?: 'cookieless' | 'signed';
  /** New sessions tried in a row after Looker reports the session ended (default 3). */
  maxRecoveries?: number;
  /** Signed mode: how long before the session ends to load a fresh URL (default 60). */
  renewBeforeSeconds?: number;
}
