// Pure DataBrain pieces: which element to create, with which attributes, from the options. No DOM.
import { EmbedError } from '../../errors.js';
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

/** An `invalid-attribute` error about `vendor-options`. */
export function invalidOption(message: string): EmbedError {
  return new EmbedError('invalid-attribute', message, { attribute: 'vendor-options' });
}

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
 * A string option, or `undefined` when not set.
 * @throws EmbedError `invalid-attribute` when it is set but not a non-blank string.
 */
export function stringOption(options: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = options[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidOption(`The DataBrain \`${key}\` vendor option must be a non-empty string.`);
  return value;
}

/**
 * Builds the element and attributes for the options: `<dbn-metric metric-id>` when `metricId` is
 * given, else `<dbn-dashboard dashboard-id>` (from the element's `dashboard-id`); `token`;
 * `handle-server-event` = `handlerName`; every other option as a kebab-case attribute, objects and
 * arrays JSON-encoded, numbers and booleans as text. Throws `'invalid-attribute'` on bad options.
 */
export function buildDataBrainElement(
  options: Readonly<Record<string, unknown>>,
  dashboardId: string,
  token: string,
  handlerName: string,
): DataBrainElementSpec {
  const metricId = options['metricId'];
  if (metricId !== undefined && (typeof metricId !== 'string' || metricId === '')) {
    throw invalidOption('The DataBrain `metricId` vendor option must be a non-empty string.');
  }
  if (metricId === undefined && dashboardId === '') {
    throw new EmbedError(
      'invalid-attribute',
      'DataBrain needs a dashboard: set the `dashboard-id` attribute (or `metricId` in vendor-options).',
      { attribute: 'dashboard-id' },
    );
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(options)) {
    if (ADAPTER_OPTIONS.has(key) || key === 'metricId' || value === undefined || value === null) continue;
    if (RESERVED.has(key)) {
      throw invalidOption(
        `The DataBrain \`${key}\` attribute is set by <embed-dashboard>; remove it from vendor-options.`,
      );
    }
    if (typeof value === 'object') attributes[toKebabCase(key)] = JSON.stringify(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      attributes[toKebabCase(key)] = String(value);
    else throw invalidOption(`The DataBrain \`${key}\` vendor option has an unsupported type (${typeof value}).`);
  }
  attributes['token'] = token;
  attributes['handle-server-event'] = handlerName;
  if (typeof metricId === 'string')
    return { tagName: 'dbn-metric', attributes: { ...attributes, 'metric-id': metricId } };
  return { tagName: 'dbn-dashboard', attributes: { ...attributes, 'dashboard-id': dashboardId } };
}
