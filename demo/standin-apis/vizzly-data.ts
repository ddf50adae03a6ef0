// What the Vizzly stand-in serves: one data set, its rows, and one dashboard with a bar chart and a
// single stat, in the shapes Vizzly's published client (@vizzly/dashboard 0.4.16) reads. Made up
// for the demo; city names are non-ASCII on purpose (they travel through secure filters in tokens).

/** A field of a Vizzly data set, as `resolve-data-sets` answers it. */
export interface StandinField {
  id: string;
  publicName: string;
  dataType: 'string' | 'number';
  canBeDimension: boolean;
  canBeMeasure: boolean;
  allowedOperators: string[];
}

/** The one data set's id. */
export const SALES_DATA_SET_ID = 'dts_sales';

/** The one dashboard's id (a parent dashboard: every user sees it). */
export const SALES_DASHBOARD_ID = 'dsh_demo_sales';

const STRING_OPERATORS = ['=', '!=', 'is_one_of', 'is_not_one_of', 'starts_with', 'contains_substring'];
const NUMBER_OPERATORS = ['=', '!=', '>', '<', '>=', '<='];

/** The data set, as Vizzly's `resolve-data-sets` answers it. */
export const SALES_DATA_SET = {
  id: SALES_DATA_SET_ID,
  name: 'Sales',
  fields: [field('region', 'Region', 'string'), field('city', 'City', 'string'), field('revenue', 'Revenue', 'number')],
};

function field(id: string, publicName: string, dataType: 'string' | 'number'): StandinField {
  const isNumber = dataType === 'number';
  return {
    id,
    publicName,
    dataType,
    canBeDimension: !isNumber,
    canBeMeasure: true,
    allowedOperators: isNumber ? NUMBER_OPERATORS : STRING_OPERATORS,
  };
}

/** The rows of the data set, by field id. */
export const SALES_ROWS: ReadonlyArray<Readonly<Record<string, string | number>>> = [
  { region: 'North', city: 'Kraków', revenue: 420 },
  { region: 'North', city: 'Tromsø', revenue: 310 },
  { region: 'North', city: 'Malmö', revenue: 470 },
  { region: 'South', city: 'São Paulo', revenue: 560 },
  { region: 'South', city: 'Sevilla', revenue: 390 },
  { region: 'East', city: 'Zürich', revenue: 640 },
  { region: 'East', city: 'Łódź', revenue: 290 },
  { region: 'East', city: 'Plzeň', revenue: 500 },
  { region: 'West', city: 'Besançon', revenue: 330 },
  { region: 'West', city: 'A Coruña', revenue: 450 },
];

/** The query engine's capabilities (`GET /api/v1/support`): what the dashboard may ask for. */
export const QUERY_ENGINE_SUPPORT = {
  supportedFeatures: ['simpleMaths'],
  supportedTimeTruncFunctions: { month: { publicName: 'Monthly', dateFormat: 'MMMM YYYY' } },
  supportedAggregates: {
    sum: { publicName: 'Sum', validDataTypes: ['number'] },
    count: { publicName: 'Count', validDataTypes: ['string', 'number'] },
  },
  supportedOperators: {
    '=': { publicName: 'Equal to', validDataTypes: ['number', 'string'] },
    '!=': { publicName: 'Not equal to', validDataTypes: ['number', 'string'] },
    '>': { publicName: 'Greater than', validDataTypes: ['number'] },
    '<': { publicName: 'Less than', validDataTypes: ['number'] },
    '>=': { publicName: 'Greater than or equal to', validDataTypes: ['number'] },
    '<=': { publicName: 'Less than or equal to', validDataTypes: ['number'] },
    is_one_of: { publicName: 'Is one of', validDataTypes: ['number', 'string'] },
    is_not_one_of: { publicName: 'Is not one of', validDataTypes: ['number', 'string'] },
    starts_with: { publicName: 'Starts with', validDataTypes: ['string'] },
    contains_substring: { publicName: 'Contains', validDataTypes: ['string'] },
  },
  supportedTransformationFunctions: {},
};

function component(colSpan: number, attributes: Record<string, unknown>) {
  return {
    colSpan,
    localFilters: [],
    attributes: {
      dataSetId: SALES_DATA_SET_ID,
      displaySubject: '',
      order: [],
      filter: [],
      timeDimension: null,
      ...attributes,
    },
  };
}

/** The dashboard as `multi-get-dashboard` answers it (`found[]` entries). */
export function salesDashboard(createdAt: string) {
  return {
    id: SALES_DASHBOARD_ID,
    parent_dashboard_id: null,
    created_at: createdAt,
    updated_at: createdAt,
    metadata: {},
    webhook_id: null,
    definition: {
      isPlayground: false,
      globalFilters: [],
      componentLibrary: [],
      display: [
        {
          height: 320,
          components: [
            component(8, {
              type: 'barChart',
              displayTitle: 'Revenue by region',
              measure: [{ field: 'revenue', aggregate: 'sum' }],
              dimension: [{ field: 'region', function: 'none' }],
              limit: 100,
            }),
            component(4, {
              type: 'singleStat',
              displayTitle: 'Total revenue',
              measure: [{ field: 'revenue', aggregate: 'sum' }],
              dimension: [],
            }),
          ],
        },
      ],
    },
  };
}
