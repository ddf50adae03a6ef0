// Claims of Vizzly's data access token: data sets, secure filters (row-level security), parameters.
import { resolveProjectId, type PayloadContext } from './claims.js';
import { describe, fail, isPlainObject, onlyKeys, requireJson, requireString, requireStringList } from './validate.js';

/** A JSON value, as Vizzly compares it in a secure filter or receives it as a parameter. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * One secure filter: rows of the data set where `field` `op` `value` holds.
 * `op` is passed through as given (e.g. `"="`, `"!="`, `">="`, `"<="`, `"is_one_of"`).
 */
export interface Filter {
  /** The data set field (column) to filter on. */
  field: string;
  /** Vizzly's comparison operator. */
  op: string;
  /** The value to compare with (`null` allowed). */
  value: JsonValue;
}

/**
 * Secure filters per data set id. A flat list `Filter[]` means OR between the filters;
 * a nested list `Filter[][]` means AND inside each group and OR between the groups.
 */
export type SecureFilters = Record<string, Filter[] | Filter[][]>;

/** Data access claims: which data sets the user may query, with which row filters and parameters. */
export interface DataClaims {
  /** `"*"` for every data set, or the list of data set ids. Required: there is no permissive default. */
  dataSetIds: '*' | string[];
  /** Row-level filters per data set id (default `{}`: no filters). */
  secureFilters?: SecureFilters;
  /** Values for the data sets' parameters (default `{}`). */
  parameters?: Record<string, JsonValue>;
  /** Defaults to the signer's `projectId`; left out of the token when neither is set. */
  projectId?: string;
}

/** Payload of a data access token. */
export type DataTokenPayload = {
  projectId?: string;
  dataSetIds: '*' | string[];
  secureFilters: SecureFilters;
  parameters: Record<string, JsonValue>;
  expires: string;
};

const WHERE = 'Vizzly data claims';
const FILTER_HINT = 'a filter is {field: "column", op: "=", value: …}';

function readFilter(value: unknown, path: string): Filter {
  if (!isPlainObject(value))
    fail(`${WHERE}: ${path} must be a filter object (${FILTER_HINT}); got ${describe(value)}.`);
  onlyKeys(value, ['field', 'op', 'value'], `${WHERE}: ${path}`);
  const field = requireString(value.field, WHERE, `${path}.field`, 'the field to filter on');
  const op = requireString(value.op, WHERE, `${path}.op`, 'the comparison, e.g. "=" or ">="');
  if (!('value' in value) || value.value === undefined)
    fail(`${WHERE}: ${path}.value is missing (${FILTER_HINT}; use null to compare with null).`);
  requireJson(value.value, WHERE, `${path}.value`);
  return { field, op, value: value.value as JsonValue };
}

/** Checks one data set's filters: all filters (OR) or all groups of filters (AND inside, OR between). */
function readFilterList(value: unknown, path: string): Filter[] | Filter[][] {
  if (!Array.isArray(value))
    fail(`${WHERE}: ${path} must be a list of filters or a list of filter groups; got ${describe(value)}.`);
  const nested = value.length > 0 && Array.isArray(value[0]);
  if (value.some((item) => Array.isArray(item) !== nested)) {
    fail(
      `${WHERE}: ${path} mixes filters and filter groups; use either [filter, …] (OR) or [[filter, …], …] (AND in a group, OR between groups).`,
    );
  }
  if (!nested) return value.map((item, index) => readFilter(item, `${path}[${index}]`));
  return (value as unknown[][]).map((group, g) =>
    group.map((item, index) => readFilter(item, `${path}[${g}][${index}]`)),
  );
}

/** Checks secure filters and returns a copy holding only `{field, op, value}` per filter. */
export function readSecureFilters(value: unknown): SecureFilters {
  if (value === undefined) return {};
  if (!isPlainObject(value))
    fail(
      `${WHERE}: secureFilters must be an object keyed by data set id, e.g. {"dts_1": [{field, op, value}]}; got ${describe(value)}.`,
    );
  const out: SecureFilters = {};
  for (const [dataSetId, list] of Object.entries(value)) {
    if (list === undefined) continue;
    // defineProperty: a data set id such as "__proto__" must stay an ordinary key, not set the prototype.
    Object.defineProperty(out, dataSetId, {
      value: readFilterList(list, `secureFilters[${JSON.stringify(dataSetId)}]`),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Builds the exact payload of a data access token. Throws `invalid-input`. */
export function dataPayload(claims: DataClaims, context: PayloadContext): DataTokenPayload {
  if (!isPlainObject(claims)) fail(`${WHERE} must be an object like {dataSetIds: "*", secureFilters: {}}.`);
  onlyKeys(claims, ['dataSetIds', 'secureFilters', 'parameters', 'projectId'], WHERE);
  const projectId = resolveProjectId(claims, context, WHERE);
  if (claims.dataSetIds === undefined)
    fail(`${WHERE}: dataSetIds is required: "*" for every data set, or a list of data set ids.`);
  const dataSetIds: '*' | string[] =
    claims.dataSetIds === '*' ? '*' : requireStringList(claims.dataSetIds, WHERE, 'dataSetIds ("*" or a list)');
  const secureFilters = readSecureFilters(claims.secureFilters);
  let parameters: Record<string, JsonValue> = {};
  if (claims.parameters !== undefined) {
    if (!isPlainObject(claims.parameters))
      fail(`${WHERE}: parameters must be an object of parameter values; got ${describe(claims.parameters)}.`);
    requireJson(claims.parameters, WHERE, 'parameters');
    parameters = claims.parameters;
  }
  const rest = { dataSetIds, secureFilters, parameters, expires: context.expires };
  return projectId === undefined ? rest : { projectId, ...rest };
}
