// The demo's configuration from environment variables. Without any vendor variables every vendor runs
// against the local stand-ins; a vendor's credential variables switch that vendor to the real service.
// Errors name the variable at fault, never its value.

/** Seconds the stand-ins' tokens live by default: short, so refreshes can be watched. */
export const DEFAULT_TOKEN_TTL_SECONDS = 90;
/** The shortest lifetime accepted: the element never refreshes sooner than 5 s after new tokens. */
export const MIN_TOKEN_TTL_SECONDS = 10;

/**
 * The shortest Vizzly token lifetime, in minutes. Vizzly's client pulls identity() every 300 s and keeps
 * what it got, so each set must keep 300 s + 60 s margin when handed out; the element refreshes at 0.8
 * of the lifetime or 60 s before expiry (never before half of it), leaving min(0.5 L, max(0.2 L, 60 s))
 * ≥ 360 s, i.e. L ≥ 1800 s. The local demo uses it too: Vizzly's real client runs there.
 */
export const VIZZLY_MIN_TTL_MINUTES = 30;

/** The dashboard ids the local stand-ins show. */
export const LOCAL_DASHBOARDS = {
  vizzly: 'dsh_demo_sales',
  databrain: 'demo-operations',
  formant: 'demo-fleet-view',
  looker: '42',
} as const;

export type Env = Readonly<Record<string, string | undefined>>;

/** Vizzly against its real service. */
export interface RealVizzly {
  mode: 'real';
  privateKey: string;
  projectId: string;
  dashboardId: string;
  /** Vizzly's bundle re-asks for tokens only every 5 minutes and keeps them: at least {@link VIZZLY_MIN_TTL_MINUTES}. */
  ttlMinutes: number;
  /** `scriptUrl` or `version` vendor option, when set. */
  bundle: { scriptUrl: string } | { version: string } | Record<string, never>;
}

export interface RealDataBrain {
  mode: 'real';
  apiToken: string;
  workspaceName: string;
  dashboardId: string;
  clientId: string;
  baseUrl: string | undefined;
}

export interface RealFormant {
  mode: 'real';
  email: string;
  password: string;
  viewId: string;
  deviceIds: string[];
  apiBaseUrl: string | undefined;
  embedUrl: string | undefined;
}

export interface RealLooker {
  mode: 'real';
  /** The Looker host the iframe loads, e.g. `https://example.looker.com`. */
  host: string;
  /** The API base URL (default: the host). */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  dashboardId: string;
  models: string[];
  permissions: string[];
  sessionLength: number;
}

/** The demo's whole configuration. */
export interface DemoConfig {
  /** Requested port; `undefined` = 8080, falling back to a free one. */
  port: number | undefined;
  /** Lifetime of the stand-ins' tokens (and of real DataBrain / Formant tokens), in seconds. */
  tokenTtlSeconds: number;
  /** The user the demo signs in as. */
  user: string;
  vizzly: { mode: 'local' } | RealVizzly;
  databrain: { mode: 'local' } | RealDataBrain;
  formant: { mode: 'local' } | RealFormant;
  looker: { mode: 'local' } | RealLooker;
}

/** A configuration mistake: the message names the variable, never a secret. */
export class DemoConfigError extends Error {
  override name = 'DemoConfigError';
}

function value(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/** Reads `name` when the vendor is switched to real; a missing one is an error naming it. */
function required(env: Env, name: string, vendor: string, because: string): string {
  const found = value(env, name);
  if (found === undefined)
    throw new DemoConfigError(`${because} switches ${vendor} to the real service, which also needs ${name}.`);
  return found;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function wholeNumber(env: Env, name: string, min: number, max: number): number | undefined {
  const raw = value(env, name);
  if (raw === undefined) return undefined;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new DemoConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return parsed;
}

/** True when any of `names` is set; the vendor then needs all of its variables. */
function anySet(env: Env, names: string[]): string | undefined {
  return names.find((name) => value(env, name) !== undefined);
}

function readVizzly(env: Env): DemoConfig['vizzly'] {
  const trigger = anySet(env, ['VIZZLY_PRIVATE_KEY', 'VIZZLY_PROJECT_ID']);
  if (!trigger) return { mode: 'local' };
  const because = `${trigger} being set`;
  const scriptUrl = value(env, 'VIZZLY_SCRIPT_URL');
  const version = value(env, 'VIZZLY_VERSION');
  if (scriptUrl && version) throw new DemoConfigError('Set VIZZLY_SCRIPT_URL or VIZZLY_VERSION, not both.');
  return {
    mode: 'real',
    privateKey: required(env, 'VIZZLY_PRIVATE_KEY', 'Vizzly', because),
    projectId: required(env, 'VIZZLY_PROJECT_ID', 'Vizzly', because),
    dashboardId: value(env, 'VIZZLY_DASHBOARD_ID') ?? '',
    ttlMinutes: wholeNumber(env, 'VIZZLY_TTL_MINUTES', VIZZLY_MIN_TTL_MINUTES, 24 * 60) ?? 60,
    bundle: scriptUrl ? { scriptUrl } : version ? { version } : {},
  };
}

function readDataBrain(env: Env): DemoConfig['databrain'] {
  const trigger = anySet(env, ['DATABRAIN_API_TOKEN', 'DATABRAIN_WORKSPACE']);
  if (!trigger) return { mode: 'local' };
  const because = `${trigger} being set`;
  return {
    mode: 'real',
    apiToken: required(env, 'DATABRAIN_API_TOKEN', 'DataBrain', because),
    workspaceName: required(env, 'DATABRAIN_WORKSPACE', 'DataBrain', because),
    dashboardId: required(env, 'DATABRAIN_DASHBOARD_ID', 'DataBrain', because),
    clientId: value(env, 'DATABRAIN_CLIENT_ID') ?? 'None',
    baseUrl: value(env, 'DATABRAIN_BASE_URL'),
  };
}

function readFormant(env: Env): DemoConfig['formant'] {
  const trigger = anySet(env, ['FORMANT_EMAIL', 'FORMANT_PASSWORD']);
  if (!trigger) return { mode: 'local' };
  const because = `${trigger} being set`;
  return {
    mode: 'real',
    email: required(env, 'FORMANT_EMAIL', 'Formant', because),
    password: required(env, 'FORMANT_PASSWORD', 'Formant', because),
    viewId: required(env, 'FORMANT_VIEW_ID', 'Formant', because),
    deviceIds: list(value(env, 'FORMANT_DEVICE_IDS')),
    apiBaseUrl: value(env, 'FORMANT_API_BASE_URL'),
    embedUrl: value(env, 'FORMANT_EMBED_URL'),
  };
}

function readLooker(env: Env): DemoConfig['looker'] {
  const trigger = anySet(env, ['LOOKER_HOST', 'LOOKER_CLIENT_ID', 'LOOKER_CLIENT_SECRET']);
  if (!trigger) return { mode: 'local' };
  const because = `${trigger} being set`;
  const rawHost = required(env, 'LOOKER_HOST', 'Looker', because);
  const host = /^[a-z]+:\/\//i.test(rawHost) ? rawHost.replace(/\/+$/, '') : `https://${rawHost.replace(/\/+$/, '')}`;
  return {
    mode: 'real',
    host,
    apiUrl: value(env, 'LOOKER_API_URL') ?? host,
    clientId: required(env, 'LOOKER_CLIENT_ID', 'Looker', because),
    clientSecret: required(env, 'LOOKER_CLIENT_SECRET', 'Looker', because),
    dashboardId: required(env, 'LOOKER_DASHBOARD_ID', 'Looker', because),
    models: list(required(env, 'LOOKER_MODELS', 'Looker', because)),
    permissions: list(value(env, 'LOOKER_PERMISSIONS') ?? 'access_data,see_user_dashboards,see_lookml_dashboards'),
    sessionLength: wholeNumber(env, 'LOOKER_SESSION_LENGTH', 60, 2_592_000) ?? 3600,
  };
}

/**
 * Reads the demo's configuration from `env` (pass `process.env`). Throws {@link DemoConfigError}
 * naming the variable at fault.
 */
export function readDemoConfig(env: Env): DemoConfig {
  return {
    port: wholeNumber(env, 'PORT', 0, 65_535),
    tokenTtlSeconds:
      wholeNumber(env, 'DEMO_TOKEN_TTL_SECONDS', MIN_TOKEN_TTL_SECONDS, 86_400) ?? DEFAULT_TOKEN_TTL_SECONDS,
    user: value(env, 'DEMO_USER') ?? 'demo-user',
    vizzly: readVizzly(env),
    databrain: readDataBrain(env),
    formant: readFormant(env),
    looker: readLooker(env),
  };
}

/** One line per vendor saying where it runs (no secrets), for the start banner. */
export function describeModes(config: DemoConfig): string[] {
  const where = (
    vendor: keyof Pick<DemoConfig, 'vizzly' | 'databrain' | 'formant' | 'looker'>,
    real: string,
    local = '',
  ): string =>
    `${vendor.padEnd(10)}${config[vendor].mode === 'real' ? `REAL service (${real})` : `local stand-in${local}`}`;
  return [
    where(
      'vizzly',
      config.vizzly.mode === 'real'
        ? `Vizzly's embed bundle, tokens signed here, live ${config.vizzly.ttlMinutes} min`
        : '',
      ` API, with Vizzly's real client (tokens live ${VIZZLY_MIN_TTL_MINUTES} min)`,
    ),
    where(
      'databrain',
      config.databrain.mode === 'real' ? (config.databrain.baseUrl ?? 'https://api.usedatabrain.com') : '',
    ),
    where('formant', config.formant.mode === 'real' ? (config.formant.apiBaseUrl ?? 'https://api.formant.io') : ''),
    where('looker', config.looker.mode === 'real' ? config.looker.host : ''),
  ];
}
