// The Vizzly query-engine stand-in's evaluator: runs the queries Vizzly's client sends to
// `POST /api/v1/create-results` over in-memory rows, after the secure filters of the user's data
// access token. Strict: an unknown field, operator, aggregate or query shape is an error, as a real
// engine would refuse it.

type Row = Readonly<Record<string, string | number>>;
type Value = string | number | null;

/** A query the stand-in cannot run; the route answers 400 with the message. */
export class QueryError extends Error {
  override name = 'QueryError';
}

/** `{field, op, value}` as in a data token's secure filters. */
export interface SecureFilter {
  field: string;
  op: string;
  value: unknown;
}

/** Compares two numbers with `test`; anything else never matches (no string ordering). */
function ordered(test: (left: number, right: number) => boolean) {
  return (left: Value, right: unknown) => typeof left === 'number' && typeof right === 'number' && test(left, right);
}

const OPERATORS: Record<string, (left: Value, right: unknown) => boolean> = {
  '=': (left, right) => left === right,
  '!=': (left, right) => left !== right,
  '>': ordered((left, right) => left > right),
  '<': ordered((left, right) => left < right),
  '>=': ordered((left, right) => left >= right),
  '<=': ordered((left, right) => left <= right),
  is_one_of: (left, right) => Array.isArray(right) && right.includes(left),
  is_not_one_of: (left, right) => Array.isArray(right) && !right.includes(left),
  starts_with: (left, right) => typeof left === 'string' && left.startsWith(String(right)),
  contains_substring: (left, right) => typeof left === 'string' && left.includes(String(right)),
};

const AGGREGATES: Record<string, (values: Value[]) => Value> = {
  sum: (values) => values.reduce<number>((total, value) => total + Number(value ?? 0), 0),
  count: (values) => values.length,
  countDistinct: (values) => new Set(values).size,
  min: (values) => (values.length ? Math.min(...values.map(Number)) : null),
  max: (values) => (values.length ? Math.max(...values.map(Number)) : null),
  mean: (values) => (values.length ? values.reduce<number>((a, b) => a + Number(b), 0) / values.length : null),
};

function record(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new QueryError(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function compare(op: string, left: Value, right: unknown): boolean {
  const test = OPERATORS[op];
  if (!test) throw new QueryError(`unsupported operator ${JSON.stringify(op)}`);
  return test(left, right);
}

function column(row: Row, fieldId: string, fields: ReadonlySet<string>): Value {
  if (!fields.has(fieldId)) throw new QueryError(`unknown field ${JSON.stringify(fieldId)}`);
  return row[fieldId] ?? null;
}

/**
 * The rows a user may see: secure filters as Vizzly defines them (a flat list: any filter matches;
 * a list of lists: every filter of some inner list matches). No entry for the data set: every row.
 */
export function secureRows(rows: readonly Row[], filters: unknown, fields: ReadonlySet<string>): Row[] {
  if (filters === undefined) return [...rows];
  if (!Array.isArray(filters)) throw new QueryError('secure filters for a data set must be a list');
  const groups = (filters.every(Array.isArray) ? filters : filters.map((filter) => [filter])) as unknown[][];
  return rows.filter((row) =>
    groups.some((group) =>
      group.every((raw) => {
        const filter = record(raw, 'a secure filter') as unknown as SecureFilter;
        return compare(filter.op, column(row, filter.field, fields), filter.value);
      }),
    ),
  );
}

/** One measure of a query over one row (`field`) or a group of rows (aggregated). */
function measureOf(definition: unknown, rows: readonly Row[], fields: ReadonlySet<string>): Value {
  const measure = record(definition, 'a measure');
  if (measure['type'] === 'number' || measure['type'] === 'string') return measure['value'] as Value;
  if (measure['type'] !== 'field') throw new QueryError(`unsupported measure type ${JSON.stringify(measure['type'])}`);
  const fieldId = String(measure['value']);
  const fn = String(measure['function']);
  const values = rows.map((row) => column(row, fieldId, fields));
  if (fn === 'none') return values[0] ?? null;
  const aggregate = AGGREGATES[fn];
  if (!aggregate) throw new QueryError(`unsupported aggregate ${JSON.stringify(fn)}`);
  return aggregate(values);
}

function matchesQueryFilter(row: Row, filter: unknown, fields: ReadonlySet<string>): boolean {
  if (!Array.isArray(filter)) throw new QueryError('query filter must be a list of lists');
  if (filter.length === 0) return true;
  return filter.some((group: unknown) => {
    if (!Array.isArray(group)) throw new QueryError('query filter must be a list of lists');
    return group.every((raw) => {
      const condition = record(raw, 'a query filter');
      return compare(String(condition['op']), measureOf(condition['field'], [row], fields), condition['value']);
    });
  });
}

/** Runs one `{type: 'query'}` over the rows the user may see; returns the result's `content` rows. */
export function runQuery(rawQuery: unknown, visible: readonly Row[], fields: ReadonlySet<string>): Value[][] {
  const query = record(rawQuery, 'a query');
  if (query['type'] !== 'query') throw new QueryError(`unsupported query type ${JSON.stringify(query['type'])}`);
  const measures = query['measure'];
  const group = query['group'];
  if (!Array.isArray(measures) || !Array.isArray(group)) throw new QueryError('a query needs measure and group lists');
  const rows = visible.filter((row) => matchesQueryFilter(row, query['filter'], fields));
  const groupBy = group.map((entry) => Number(record(entry, 'a group')['index']));

  const buckets = new Map<string, Row[]>();
  if (groupBy.length === 0) buckets.set('', rows);
  for (const row of groupBy.length ? rows : []) {
    const key = JSON.stringify(groupBy.map((index) => measureOf(measures[index], [row], fields)));
    buckets.set(key, [...(buckets.get(key) ?? []), row]);
  }
  let content = [...buckets.values()].map((bucket) => measures.map((measure) => measureOf(measure, bucket, fields)));

  for (const raw of [...(Array.isArray(query['order']) ? query['order'] : [])].reverse()) {
    const order = record(raw, 'an order');
    const index = Number(order['index']);
    const sign = order['direction'] === 'desc' ? -1 : 1;
    content = [...content].sort(
      (a, b) => sign * ((a[index] ?? 0) > (b[index] ?? 0) ? 1 : a[index] === b[index] ? 0 : -1),
    );
  }
  const offset = typeof query['offset'] === 'number' ? query['offset'] : 0;
  const limit = typeof query['limit'] === 'number' ? query['limit'] : content.length;
  return content.slice(offset, offset + limit);
}
