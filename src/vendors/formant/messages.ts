// Pure Formant pieces: options, URLs and the messages posted to the embed. No DOM, tested directly.
import { EmbedError } from '../../errors.js';
import type { TokenSet } from '../../token/types.js';
import { checkEmbedUrl } from '../iframe-channel.js';
import {
  frameOptions,
  optionalRecord,
  optionalString,
  optionalStringArray,
  type FrameOptions,
} from '../iframe-options.js';
import { requireToken } from '../tokens.js';

/** Formant's external embed, used when `embedUrl` is not set. */
export const DEFAULT_FORMANT_EMBED_URL = 'https://embed.formant.io';
/** Formant's API, passed to the embed as `apiBaseUrl` when not set. */
export const DEFAULT_FORMANT_API_BASE_URL = 'https://api.formant.io';

/**
 * Formant's `vendor-options` (JSON), as the adapter reads them.
 *
 * View mode (default): Formant's external embed loads a view; the token goes by postMessage only.
 * Custom-module mode (`module` set): `embedUrl` is your custom module's page, loaded with
 * `?auth=<token>&module=<name>` (the `@formant/data-sdk` protocol); the module asks for fresh tokens.
 */
export interface FormantOptions {
  /** The embed page (default {@link DEFAULT_FORMANT_EMBED_URL}; required in module mode). https only (http on localhost). */
  embedUrl: string;
  /** The view to show (default: the element's `dashboard-id`). Required in view mode. */
  viewId: string;
  /** Devices the view shows (default `[]`). */
  deviceIds: string[];
  /** A module of the view to show alone (optional). */
  moduleId?: string;
  /** The Formant API the embed talks to (default {@link DEFAULT_FORMANT_API_BASE_URL}). */
  apiBaseUrl: string;
  /** Theme overrides, passed to the embed as given (optional; its shape is Formant's). */
  themeOverride?: unknown;
  /** Time range, passed to the embed as given (optional; its shape is Formant's). */
  timeRange?: unknown;
  /**
   * More fields for the `viewEmbedLoad`/`viewEmbedUpdate` messages (option `message`), for fields
   * Formant adds later. They never replace `messageType` or `authToken`.
   */
  extra: Record<string, unknown>;
  /** Custom-module mode: the module name, sent as `?module=` and expected in `refresh_auth_token`. */
  module?: string;
  /** More query parameters for the module URL in module mode (option `moduleParams`, e.g. `{device: "…"}`). */
  moduleParams: Record<string, string>;
  /** The iframe's `sandbox` / `allow` (options `sandbox`, `allow`). */
  frame: FrameOptions;
}

/**
 * The message that starts the embed (posted as a JSON string after the iframe's `load`), or updates
 * it: the view fields of {@link FormantOptions}, the token, and any `extra` fields.
 */
export type FormantViewMessage = Pick<
  FormantOptions,
  'viewId' | 'deviceIds' | 'moduleId' | 'apiBaseUrl' | 'themeOverride' | 'timeRange'
> & {
  messageType: 'viewEmbedLoad' | 'viewEmbedUpdate';
  authToken: string;
  [extra: string]: unknown;
};

/** Module URL parameters the adapter sets itself: the token, the module name, the API. */
const RESERVED_MODULE_PARAMS = new Set(['auth', 'module', 'formant_url']);

function invalid(message: string, attribute = 'vendor-options'): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute });
}

/**
 * Reads and checks Formant's options. `dashboardId` (the element's `dashboard-id`) is the default view.
 * @throws EmbedError `invalid-attribute` (attribute `vendor-options`, or `dashboard-id` when no view is given).
 */
export function readFormantOptions(raw: Readonly<Record<string, unknown>>, dashboardId: string): FormantOptions {
  const module = optionalString(raw, 'module', 'Formant');
  const embedUrl = optionalString(raw, 'embedUrl', 'Formant');
  if (module !== undefined && embedUrl === undefined) {
    throw invalid('Formant option "module" needs "embedUrl": the URL of your custom module page.');
  }
  const resolvedEmbedUrl = checkEmbedUrl(embedUrl ?? DEFAULT_FORMANT_EMBED_URL, 'Formant option "embedUrl"').href;
  const apiBaseUrl = checkEmbedUrl(
    optionalString(raw, 'apiBaseUrl', 'Formant') ?? DEFAULT_FORMANT_API_BASE_URL,
    'Formant option "apiBaseUrl"',
  ).href.replace(/\/$/, '');
  const viewId = optionalString(raw, 'viewId', 'Formant') ?? dashboardId;
  if (module === undefined && !viewId) {
    throw invalid(
      'Formant needs a view: set dashboard-id to the view id (or vendor-options "viewId").',
      'dashboard-id',
    );
  }
  const moduleParams: Record<string, string> = {};
  for (const [key, value] of Object.entries(optionalRecord(raw, 'moduleParams', 'Formant') ?? {})) {
    if (typeof value !== 'string') throw invalid(`Formant option "moduleParams.${key}" must be a string.`);
    if (RESERVED_MODULE_PARAMS.has(key)) {
      throw invalid(`Formant option "moduleParams" must not set "${key}" (the adapter sets it; see apiBaseUrl).`);
    }
    moduleParams[key] = value;
  }
  const options: FormantOptions = {
    embedUrl: resolvedEmbedUrl,
    viewId,
    deviceIds: optionalStringArray(raw, 'deviceIds', 'Formant') ?? [],
    apiBaseUrl,
    extra: optionalRecord(raw, 'message', 'Formant') ?? {},
    moduleParams,
    frame: frameOptions(raw, 'Formant'),
  };
  const moduleId = optionalString(raw, 'moduleId', 'Formant');
  if (moduleId !== undefined) options.moduleId = moduleId;
  if (raw['themeOverride'] !== undefined) options.themeOverride = raw['themeOverride'];
  if (raw['timeRange'] !== undefined) options.timeRange = raw['timeRange'];
  if (module !== undefined) options.module = module;
  return options;
}

/**
 * The Formant token from a token set: `accessToken`, as Formant's login-embed returns it.
 * @throws EmbedError `malformed-token` when it is missing or not a non-empty string.
 */
export function readFormantToken(tokens: TokenSet): string {
  return requireToken(tokens, 'accessToken', 'Formant');
}

/** The external embed's URL: `embedUrl` with `?iframeId=<id>` (never the token). */
export function formantEmbedSrc(embedUrl: string, iframeId: string): string {
  const url = new URL(embedUrl);
  url.searchParams.set('iframeId', iframeId);
  return url.href;
}

/**
 * A custom module's URL: `embedUrl` with any `moduleParams`, then `?auth=<token>&module=<name>` and
 * `formant_url=<apiBaseUrl>`, where `@formant/data-sdk` takes its API from (it keeps only the origin).
 */
export function formantModuleSrc(
  embedUrl: string,
  token: string,
  module: string,
  params: Readonly<Record<string, string>> = {},
  apiBaseUrl: string = DEFAULT_FORMANT_API_BASE_URL,
): string {
  const url = new URL(embedUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  url.searchParams.set('auth', token);
  url.searchParams.set('module', module);
  url.searchParams.set('formant_url', apiBaseUrl);
  return url.href;
}

/**
 * The `viewEmbedLoad` (first) or `viewEmbedUpdate` (new token) message. Optional fields are left out
 * when not set; `extra` fields come first so they can never replace ours.
 */
export function buildViewMessage(
  messageType: FormantViewMessage['messageType'],
  options: FormantOptions,
  authToken: string,
): FormantViewMessage {
  const message: FormantViewMessage = {
    ...options.extra,
    messageType,
    authToken,
    viewId: options.viewId,
    deviceIds: [...options.deviceIds],
    apiBaseUrl: options.apiBaseUrl,
  };
  if (options.moduleId !== undefined) message.moduleId = options.moduleId;
  if (options.themeOverride !== undefined) message.themeOverride = options.themeOverride;
  if (options.timeRange !== undefined) message.timeRange = options.timeRange;
  return message;
}

/** True for a custom module's `{type: "refresh_auth_token", module}` naming our module. */
export function isTokenRefreshRequest(message: Readonly<Record<string, unknown>>, module: string): boolean {
  return message['type'] === 'refresh_auth_token' && message['module'] === module;
}

/** True for a module's `{type: "formant_online"}`: `App.checkConnection()` asking whether the host is online. */
export function isConnectionCheck(message: Readonly<Record<string, unknown>>): boolean {
  return message['type'] === 'formant_online' && !('online' in message);
}

/** The host's answer to a connection check (an object, like every module message). */
export function onlineMessage(online: boolean): { type: 'formant_online'; online: boolean } {
  return { type: 'formant_online', online };
}

/** The answer to a module's refresh request (posted as an object: that is what the module reads). */
export function authTokenMessage(token: string): { type: 'auth_token'; token: string } {
  return { type: 'auth_token', token };
}

let frameCounter = 0;

/** A page-unique `iframeId` for the external embed. */
export function newIframeId(): string {
  const random = new Uint32Array(1);
  globalThis.crypto.getRandomValues(random);
  frameCounter += 1;
  return `formant-embed-${frameCounter}-${(random[0] ?? 0).toString(36)}`;
}
