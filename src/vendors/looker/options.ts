// Looker's `vendor-options`, read and checked once at mount.
import { EmbedError } from '../../errors.js';
import { DEFAULT_SANDBOX, checkEmbedUrl } from '../iframe-channel.js';
import { frameOptions, numberOption, optionalRecord, optionalString, type FrameOptions } from '../iframe-options.js';

/** Parameters the adapter sets itself; `params` and `embedPath` may not carry them. */
export const RESERVED_PARAMS: readonly string[] = [
  'embed_domain',
  'embed_navigation_token',
  'embed_authentication_token',
  // `sdk` tells Looker to expect @looker/embed-sdk's handshake, which this adapter does not speak.
  'sdk',
];

/**
 * The `sandbox` a Looker iframe gets unless `sandbox` is set: the shared embed default plus
 * `allow-modals`, because Looker asks with `confirm()` (e.g. before deleting a tile) and a sandbox
 * without it makes those dialogs fail silently.
 */
export const LOOKER_SANDBOX = `${DEFAULT_SANDBOX} allow-modals`;

/**
 * Looker's `vendor-options` (JSON), as the adapter reads them.
 * - `host` (required): the Looker host, `example.looker.com` or `https://example.looker.com[:port]`.
 * - `embedPath`: what to show (default `/embed/dashboards/<dashboard-id>`); must start with `/embed/`.
 * - `params`: more query parameters for the embedded page (e.g. `{"theme": "Dark"}`).
 * - `mode`: `"cookieless"` (default) or `"signed"` (tokens carry a signed `url`).
 * - `maxRecoveries`: new sessions tried in a row after the embed reports its session ended (default 3).
 * - `renewBeforeSeconds`: signed mode, how long before the session ends to load a fresh URL (default 60).
 * - `tokenMarginSeconds`: cookieless mode, the least life (seconds) tokens handed to the iframe keep;
 *   held tokens are reused until then, then one refresh serves every iframe (default 120, as Looker's
 *   own host; at most half the tokens' lifetime).
 * - `sandbox` (default {@link LOOKER_SANDBOX}; `false` for none), `allow`: the iframe's attributes.
 */
export interface LookerOptions {
  /** The Looker origin messages come from and go to, e.g. `https://example.looker.com`. */
  origin: string;
  embedPath: string;
  params: Record<string, string>;
  mode: 'cookieless' | 'signed';
  maxRecoveries: number;
  renewBeforeSeconds: number;
  tokenMarginSeconds: number;
  frame: FrameOptions;
}

function invalid(message: string, attribute = 'vendor-options'): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute });
}

/**
 * The origin of a Looker `host` option. A bare host name means `https://`; plain `http://` passes only
 * for localhost and 127.0.0.1 (development). @throws EmbedError `invalid-attribute`
 */
export function lookerOrigin(host: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
  const url = checkEmbedUrl(withScheme, 'Looker option "host"');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw invalid(`Looker option "host" must be a host or origin only, without a path (got "${host}").`);
  }
  return url.origin;
}

function checkQueryKeys(keys: Iterable<string>, where: string): void {
  for (const key of keys) {
    if (RESERVED_PARAMS.includes(key))
      throw invalid(`Looker ${where} must not set "${key}": the adapter sets it (or must not).`);
  }
}

/** Reads and checks Looker's options; `dashboardId` gives the default `embedPath`. @throws EmbedError `invalid-attribute` */
export function readLookerOptions(raw: Readonly<Record<string, unknown>>, dashboardId: string): LookerOptions {
  const host = optionalString(raw, 'host', 'Looker');
  if (host === undefined)
    throw invalid('Looker needs vendor-options "host": your Looker host, e.g. "example.looker.com".');

  const mode = raw['mode'] ?? 'cookieless';
  if (mode !== 'cookieless' && mode !== 'signed')
    throw invalid('Looker option "mode" must be "cookieless" or "signed".');

  let embedPath = optionalString(raw, 'embedPath', 'Looker');
  if (embedPath === undefined) {
    if (!dashboardId) throw invalid('Looker needs dashboard-id or vendor-options "embedPath".', 'dashboard-id');
    embedPath = `/embed/dashboards/${encodeURIComponent(dashboardId)}`;
  }
  if (!embedPath.startsWith('/embed/')) {
    throw invalid(`Looker option "embedPath" must start with "/embed/" (got "${embedPath}").`);
  }
  const query = embedPath.indexOf('?');
  if (query >= 0) checkQueryKeys(new URLSearchParams(embedPath.slice(query + 1)).keys(), 'option "embedPath"');

  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(optionalRecord(raw, 'params', 'Looker') ?? {})) {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw invalid(`Looker option "params.${key}" must be a string, number or boolean.`);
    }
    params[key] = String(value);
  }
  checkQueryKeys(Object.keys(params), 'option "params"');

  return {
    origin: lookerOrigin(host),
    embedPath,
    params,
    mode,
    maxRecoveries: Math.floor(numberOption(raw, 'maxRecoveries', 'Looker', 3, 0)),
    renewBeforeSeconds: numberOption(raw, 'renewBeforeSeconds', 'Looker', 60, 0),
    tokenMarginSeconds: numberOption(raw, 'tokenMarginSeconds', 'Looker', 120, 0),
    frame: { sandbox: LOOKER_SANDBOX, ...frameOptions(raw, 'Looker') },
  };
}
