// The demo's identity endpoint, built with the real server module exactly as an app would build it:
// one provider per vendor, pointed at the local stand-in APIs (or at the real vendor when configured).
import { webcrypto } from 'node:crypto';
import {
  createIdentityHandler,
  databrain,
  formant,
  looker,
  vizzly,
  type IdentityHandler,
  type IdentityProvider,
} from '../../src/server/index.js';
import type { StandinCredentials } from '../standin-apis/index.js';
import { LOCAL_DASHBOARDS, VIZZLY_MIN_TTL_MINUTES, type DemoConfig } from './config.js';

/** The demo's signed-in user. A real app reads its session cookie in `authenticate`. */
export interface DemoUser {
  id: string;
}

/** What {@link createDemoIdentityHandler} needs besides the configuration. */
export interface IdentitySetup {
  config: DemoConfig;
  credentials: StandinCredentials;
  /** Where the stand-in APIs answer, e.g. `http://127.0.0.1:8080/standin-api`. */
  standinApiBase: string;
  /** The page origins the demo is served from (Looker binds its session to one of them). */
  pageOrigins: string[];
  /** The local Vizzly signing key (see {@link createDemoVizzlyKeys}); unused when Vizzly is real. */
  vizzlyKeys: CryptoKeyPair;
  /** Where failures go (default: the handler's one-line `console.error`, which never holds a secret). */
  onError?: (error: unknown, request: Request) => void;
  /** Told about every token set minted (never the tokens): for the demo's console log. */
  onTokens?: (event: TokenEvent) => void;
}

/** A token set was minted. */
export interface TokenEvent {
  vendor: string;
  /** The request's `action` (`acquire`, `refresh`…), or `fetch` when none. */
  action: string;
  /** Seconds until the tokens expire, `null` = never. */
  expiresIn: number | null;
}

/** The project id of the local Vizzly tokens (the Vizzly API stand-in insists on it). */
export const DEMO_VIZZLY_PROJECT_ID = 'prj_demo';

/**
 * A fresh P-256 key pair for the local Vizzly tokens: made at start, kept in memory, never written
 * anywhere. The signer gets the private half, the Vizzly API stand-in the public half.
 */
export async function createDemoVizzlyKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

async function vizzlyProvider(setup: IdentitySetup) {
  const { config } = setup;
  const real = config.vizzly.mode === 'real' ? config.vizzly : undefined;
  const signer = vizzly.createSigner({
    privateKey: real ? real.privateKey : setup.vizzlyKeys.privateKey,
    // Vizzly's client pulls tokens every 5 minutes and keeps them (even the local demo runs it).
    ttlMinutes: real ? real.ttlMinutes : VIZZLY_MIN_TTL_MINUTES,
    projectId: real ? real.projectId : DEMO_VIZZLY_PROJECT_ID,
  });
  await signer.ready(); // a wrong VIZZLY_PRIVATE_KEY fails here, at start
  return vizzly.identityProvider<DemoUser>({
    signer,
    claims: (user) => ({
      dashboard: { userReference: user.id, scope: 'read_write' },
      // Row-level security, decided here on the server: locally, the demo user sees sales of 300 or more.
      ...(real
        ? {}
        : { data: { dataSetIds: '*', secureFilters: { dts_sales: [{ field: 'revenue', op: '>=', value: 300 }] } } }),
    }),
  });
}

function dataBrainProvider(setup: IdentitySetup) {
  const { config, credentials } = setup;
  const real = config.databrain.mode === 'real' ? config.databrain : undefined;
  return databrain.identityProvider<DemoUser>({
    apiToken: real ? real.apiToken : credentials.databrain.apiToken,
    workspaceName: real ? real.workspaceName : credentials.databrain.workspaceName,
    baseUrl: real ? real.baseUrl : `${setup.standinApiBase}/databrain`,
    expiryTime: config.tokenTtlSeconds * 1000,
    // Only the demo's dashboard may be asked for: the browser's dashboardId is a hint, not a grant.
    allowedDashboards: [real ? real.dashboardId : LOCAL_DASHBOARDS.databrain],
    claims: (user) => ({ clientId: real ? real.clientId : 'None', params: { userIdentifier: user.id } }),
  });
}

function formantProvider(setup: IdentitySetup) {
  const { config, credentials } = setup;
  const real = config.formant.mode === 'real' ? config.formant : undefined;
  return formant.identityProvider<DemoUser>({
    email: real ? real.email : credentials.formant.email,
    password: real ? real.password : credentials.formant.password,
    apiBaseUrl: real ? real.apiBaseUrl : `${setup.standinApiBase}/formant`,
    tokenExpirationSeconds: config.tokenTtlSeconds,
    // The service account's full access; a real app narrows it to the user's tags here.
    scope: () => ({ tags: {} }),
  });
}

function lookerProvider(setup: IdentitySetup) {
  const { config, credentials } = setup;
  const real = config.looker.mode === 'real' ? config.looker : undefined;
  const client = looker.createClient({
    baseUrl: real ? real.apiUrl : `${setup.standinApiBase}/looker`,
    clientId: real ? real.clientId : credentials.looker.clientId,
    clientSecret: real ? real.clientSecret : credentials.looker.clientSecret,
  });
  return looker.identityProvider<DemoUser>({
    client,
    allowedEmbedDomains: setup.pageOrigins,
    user: (user) => ({
      external_user_id: user.id,
      first_name: 'Demo',
      last_name: 'User',
      session_length: real ? real.sessionLength : 3600,
      permissions: real ? real.permissions : ['access_data', 'see_user_dashboards', 'see_lookml_dashboards'],
      models: real ? real.models : ['demo_model'],
    }),
  });
}

/** Wraps a provider to report each minted token set to `onTokens`. */
function watched(
  vendor: string,
  provider: IdentityProvider<DemoUser>,
  setup: IdentitySetup,
): IdentityProvider<DemoUser> {
  const { onTokens } = setup;
  if (!onTokens) return provider;
  return async (context) => {
    const result = await provider(context);
    const { expiresIn, expiresAt } = result;
    const seconds =
      typeof expiresIn === 'number'
        ? expiresIn
        : typeof expiresAt === 'string'
          ? Math.round((Date.parse(expiresAt) - Date.now()) / 1000)
          : null;
    onTokens({ vendor, action: context.body.action ?? 'fetch', expiresIn: seconds });
    return result;
  };
}

/**
 * The identity endpoint for the demo: every request is the demo user (`DEMO_USER`), and each vendor's
 * provider mints that user's tokens. Resolves once every provider is ready (keys imported).
 */
export async function createDemoIdentityHandler(setup: IdentitySetup): Promise<IdentityHandler> {
  const user: DemoUser = { id: setup.config.user };
  return createIdentityHandler<DemoUser>({
    authenticate: () => user,
    vendors: {
      vizzly: watched('vizzly', await vizzlyProvider(setup), setup),
      databrain: watched('databrain', dataBrainProvider(setup), setup),
      formant: watched('formant', formantProvider(setup), setup),
      looker: watched('looker', lookerProvider(setup), setup),
    },
    ...(setup.onError ? { onError: setup.onError } : {}),
  });
}
