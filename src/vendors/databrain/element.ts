// Pure DataBrain pieces: which element to create, with which attributes, from the options. No DOM.
import { invalidAttribute } from '../../errors.js';
import { optionalString, type VendorOptions } from '../options.js';
import type { TokenSet } from '../../token/types.js';
import { requireToken } from '../tokens.js';

/** Which element to create and the attributes to set on it. */
export interface DataBrainElementSpec {
  tagName: 'dbn-dashboard' | 'dbn-metric';
  /** Attribute name (kebab-case) → value. */
  attributes: Record<string, string>;
}

// Options the adapter consumes itself; never set as attributes.
const ADAPTER_OPTIONS = new Set(['loadPlugin', 'moduleUrl', 'scriptUrl', 'handleServerEvent', 'refusalText']);
// Attributes the adapter owns.
const RESERVED = new Set(['token', 'dashboardId', 'handleServerEvent']);

/** `dashboardId` → `dashboard-id`, the way the plugin maps its props to attributes. */
export function toKebabCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * The guest token from a token set (`tokens.token`). Throws an `EmbedError` `'malformed-token'`
 * when it is missing or not a non-empty string.
 */
export function dataBrainToken(tokens: TokenSet): string {
  return requireToken(tokens, 'token', 'DataBrain');
}

/**
 * Builds the element and attributes for the options: `<dbn-metric metric-id>` when `metricId` is
 * given, else `<dbn-dashboard dashboard-id>` (from the element's `dashboard-id`); `token`;
 * `handle-server-event` = `handlerName`; every other option as a kebab-case attribute, objects and
 * arrays JSON-encoded, numbers and booleans as text. Throws `'invalid-attribute'` on bad options.
 */
export function buildDataBrainElement(
  options: VendorOptions,
  dashboardId: string,
  token: string,
  handlerName: string,
): DataBrainElementSpec {
  const metricId = optionalString(options, 'metricId', 'DataBrain');
  if (metricId === undefined && dashboardId === '') {
    throw invalidAttribute(
      'DataBrain needs a dashboard: set the `dashboard-id` attribute (or `metricId` in vendor-options).',
      'dashboard-id',
    );
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (ADAPTER_OPTIONS.has(key) || key === 'metricId' || value === undefined || value === null) continue;
    if (RESERVED.has(key)) {
      throw invalidAttribute(
        `The DataBrain \`${key}\` attribute is set by <embed-dashboard>; remove it from vendor-options.`,
      );
    }
    if (typeof value === 'object') attributes[toKebabCase(key)] = JSON.stringify(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      attributes[toKebabCase(key)] = String(value);
    else throw invalidAttribute(`The DataBrain \`${key}\` vendor option has an unsupported type (${typeof value}).`);
  }
  attributes['token'] = token;
  attributes['handle-server-event'] = handlerName;
  if (metricId !== undefined) return { tagName: 'dbn-metric', attributes: { ...attributes, 'metric-id': metricId } };
  return { tagName: 'dbn-dashboard', attributes: { ...attributes, 'dashboard-id': dashboardId } };
}
