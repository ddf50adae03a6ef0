// The demo's local vendor APIs, all below `/standin-api/<vendor>/`, with credentials made up at start
// (they live in this process only and are never printed). The demo's identity endpoint reaches them
// through the real server module, exactly as it would reach DataBrain, Formant and Looker.
import { json, randomSecret, type StandinApi } from './common.js';
import { createDataBrainStandin } from './databrain.js';
import { createFormantStandin } from './formant.js';
import { createLookerStandin } from './looker.js';
import { createVizzlyStandin, type VizzlyStandin } from './vizzly.js';

/** Where the stand-in APIs are mounted on the demo server. */
export const STANDIN_API_PREFIX = '/standin-api';

/** The made-up credentials the stand-ins accept; the demo's providers are configured with them. */
export interface StandinCredentials {
  databrain: { apiToken: string; workspaceName: string };
  formant: { email: string; password: string };
  looker: { clientId: string; clientSecret: string };
}

/** The mounted stand-ins. */
export interface StandinApis {
  credentials: StandinCredentials;
  /** Answers any request below {@link STANDIN_API_PREFIX}; 404 JSON for unknown routes. */
  handler(request: Request): Promise<Response>;
  /** Calls per vendor and route (`GET /standin-api/stats` answers the same). */
  stats(): Record<string, Record<string, number>>;
  /** Vizzly's API and query engine (for tests: the requests it accepted, with their tokens' claims). */
  vizzly: VizzlyStandin;
}

/** Options of {@link createStandinApis}. */
export interface StandinApisOptions {
  /** Lifetime of Looker's api and navigation tokens, in seconds. */
  lookerTokenTtlSeconds: number;
  /** The public half of the demo's Vizzly signing key: the Vizzly stand-in checks every token with it. */
  vizzlyPublicKey?: CryptoKey;
  /** The project id the demo's Vizzly tokens carry. */
  vizzlyProjectId?: string;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

/** Creates the API stand-ins (DataBrain, Formant and Looker with fresh random credentials; Vizzly). */
export function createStandinApis(options: StandinApisOptions): StandinApis {
  const credentials: StandinCredentials = {
    databrain: { apiToken: randomSecret('dbn_'), workspaceName: 'demo-workspace' },
    formant: { email: 'embed-service@demo.invalid', password: randomSecret('pw_') },
    looker: { clientId: randomSecret('cid_'), clientSecret: randomSecret('secret_') },
  };
  const vizzly = createVizzlyStandin({
    ...(options.vizzlyPublicKey ? { publicKey: options.vizzlyPublicKey } : {}),
    ...(options.vizzlyProjectId ? { projectId: options.vizzlyProjectId } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const apis: Record<string, StandinApi> = {
    vizzly,
    databrain: createDataBrainStandin({ ...credentials.databrain, now: options.now }),
    formant: createFormantStandin({ ...credentials.formant, now: options.now }),
    looker: createLookerStandin({
      ...credentials.looker,
      tokenTtlSeconds: options.lookerTokenTtlSeconds,
      now: options.now,
    }),
  };
  const stats = () => Object.fromEntries(Object.entries(apis).map(([name, api]) => [name, api.stats()]));

  return {
    credentials,
    stats,
    vizzly,
    async handler(request) {
      const path = new URL(request.url).pathname;
      if (path === `${STANDIN_API_PREFIX}/stats` && request.method === 'GET') return json(200, stats());
      const match = /^\/standin-api\/([a-z]+)(\/.*)$/.exec(path);
      const api = match ? apis[match[1] as string] : undefined;
      const answer = api ? await api.handle(request, match?.[2] as string) : undefined;
      return answer ?? json(404, { message: 'Not found' });
    },
  };
}
