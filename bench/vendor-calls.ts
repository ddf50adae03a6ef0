// Vendor API calls per 1,000 identity requests from 100 users, per vendor, against stand-in vendor
// APIs on loopback: with token reuse (the default) and with `cache: false`.
// Run: node --import tsx bench/vendor-calls.ts   (prints figures; never fails)
//
// Workload: each of 100 users makes 10 requests in 10 rounds (all users of a round at once): the
// first opens the embed, rounds 5 and 9 are the element's refreshes (`action: "refresh"`), the other
// six are more embeds, tabs and page loads of the same user (Looker: a new iframe's acquire each).
import { generateKeyPairSync } from 'node:crypto';
import * as databrain from '../src/server/databrain.js';
import * as formant from '../src/server/formant.js';
import { createIdentityHandler } from '../src/server/handler.js';
import * as looker from '../src/server/looker.js';
import type { IdentityProvider } from '../src/server/types.js';
import * as vizzly from '../src/server/vizzly.js';
import { API_TOKEN, DataBrainStandIn, WORKSPACE } from '../test/server/databrain-standin.js';
import { EMAIL, FormantStandIn, PASSWORD } from '../test/server/formant-standin.js';
import { CLIENT_ID, CLIENT_SECRET, startLookerStandin } from '../test/server/looker-standin.js';

const USERS = 100;
const ROUNDS = 10;
const REFRESH_ROUNDS = new Set([4, 8]);
const ORIGIN = 'https://app.example.com';

const formantApi = new FormantStandIn();
const databrainApi = new DataBrainStandIn();
await Promise.all([formantApi.start(), databrainApi.start()]);
const lookerApi = await startLookerStandin();
// The Formant stand-in's tokens carry its fixed clock; align it with now so they are fresh.
formantApi.clockS = Math.floor(Date.now() / 1000);

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const baseSigner = vizzly.createSigner({
  privateKey: privateKey.export({ type: 'sec1', format: 'pem' }) as string,
  ttlMinutes: 60,
  projectId: 'prj_bench',
});
let signings = 0;
const signer = { ...baseSigner, generateTokens: (c: never) => (signings++, baseSigner.generateTokens(c)) };

type Cache = false | undefined;
const vendors: Record<string, { provider: (cache: Cache) => IdentityProvider<string>; calls: () => number }> = {
  vizzly: {
    provider: (cache) =>
      vizzly.identityProvider<string>({ signer, cache, claims: (id) => ({ dashboard: { userReference: id } }) }),
    calls: () => signings,
  },
  databrain: {
    provider: (cache) =>
      databrain.identityProvider<string>({
        apiToken: API_TOKEN,
        baseUrl: databrainApi.url,
        workspaceName: WORKSPACE,
        expiryTime: 3_600_000,
        cache,
        claims: (id) => ({ clientId: `tenant-${id}` }),
      }),
    calls: () => databrainApi.requests.length,
  },
  formant: {
    provider: (cache) =>
      formant.identityProvider<string>({
        email: EMAIL,
        password: PASSWORD,
        apiBaseUrl: formantApi.url,
        tokenExpirationSeconds: 3600,
        cache,
        scope: (id) => ({ tags: { user: [id] } }),
      }),
    calls: () => formantApi.requests.length,
  },
  looker: {
    provider: () =>
      looker.identityProvider<string>({
        client: looker.createClient({ baseUrl: lookerApi.baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
        embedDomain: ORIGIN,
        user: (id) => ({ external_user_id: id, session_length: 3600, permissions: ['access_data'], models: ['m'] }),
      }),
    calls: () => lookerApi.requests.length,
  },
};

/** Runs the workload against one provider and returns [vendor calls, identity requests, non-200 answers]. */
async function run(vendor: string, cache: Cache): Promise<[number, number, number]> {
  const handler = createIdentityHandler<string>({
    authenticate: (request) => request.headers.get('x-user'),
    vendors: { [vendor]: vendors[vendor]!.provider(cache) },
  });
  const before = vendors[vendor]!.calls();
  let requests = 0;
  let failures = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const action = REFRESH_ROUNDS.has(round) ? 'refresh' : undefined;
    await Promise.all(
      Array.from({ length: USERS }, async (_, user) => {
        requests += 1;
        const response = await handler(
          new Request('http://127.0.0.1/api/embed/identity', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-user': `user-${user}`,
              'user-agent': 'Bench/1.0',
              origin: ORIGIN,
            },
            body: JSON.stringify({ vendor, dashboardId: 'd-1', context: {}, ...(action ? { action } : {}) }),
          }),
        );
        if (response.status !== 200) failures += 1;
        await response.arrayBuffer();
      }),
    );
  }
  return [vendors[vendor]!.calls() - before, requests, failures];
}

console.log(`vendor API calls per 1,000 identity requests (${USERS} users × ${ROUNDS} requests, 2 of them refreshes)`);
console.log('vendor    | reuse (default) | cache: false | what is counted');
const counted: Record<string, string> = {
  vizzly: 'ES256 signings (no vendor API)',
  databrain: 'guest-token/create',
  formant: 'login-embed',
  looker: 'login + acquire + generate_tokens (no cache option: each iframe needs its own acquire)',
};
for (const vendor of Object.keys(vendors)) {
  const [reused, requests, failedReused] = await run(vendor, undefined);
  const [uncached, , failedUncached] = vendor === 'looker' ? [NaN, 0, 0] : await run(vendor, false);
  const per1000 = (calls: number) => (Number.isNaN(calls) ? '—' : String(Math.round((calls * 1000) / requests)));
  const failures = failedReused + failedUncached;
  console.log(
    `${vendor.padEnd(9)} | ${per1000(reused).padStart(15)} | ${per1000(uncached).padStart(12)} | ${counted[vendor]}${failures ? ` (${failures} non-200 answers!)` : ''}`,
  );
}
await Promise.all([formantApi.stop(), databrainApi.stop(), lookerApi.close()]);
