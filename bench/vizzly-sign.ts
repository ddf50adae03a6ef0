// Vizzly signing throughput: tokens per second for one dashboard token and for generateTokens (3 tokens).
// Run: node --import tsx bench/vizzly-sign.ts   (prints figures; never fails on timing)
import { generateKeyPairSync } from 'node:crypto';
import { createSigner } from '../src/server/vizzly/signer.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2_000);
const CONCURRENCY = 16;

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = createSigner({
  privateKey: privateKey.export({ type: 'sec1', format: 'pem' }) as string,
  ttlMinutes: 60,
  projectId: 'prj_bench',
});
await signer.ready();

const claims = {
  dashboard: { userReference: 'user-1', parentDashboardIds: ['dsh_1'] },
  data: {
    dataSetIds: '*' as const,
    secureFilters: {
      dts_sales: [
        [
          { field: 'amount', op: '>=', value: 10 },
          { field: 'region', op: '=', value: 'Zürich' },
        ],
      ],
    },
  },
  queryEngine: { allowDataPreviewAccess: false, allowDatabaseSchemaAccess: true },
};

/** Runs `task` from CONCURRENCY loops for DURATION_MS and returns calls per second. */
async function measure(task: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await task(); // warm up
  let calls = 0;
  const start = performance.now();
  const deadline = start + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await task();
        calls += 1;
      }
    }),
  );
  return calls / ((performance.now() - start) / 1000);
}

const single = await measure(() => signer.signDashboardAccessToken(claims.dashboard));
const all = await measure(() => signer.generateTokens(claims));
console.log(`vizzly signDashboardAccessToken: ${Math.round(single)} tokens/s`);
console.log(`vizzly generateTokens (3 tokens): ${Math.round(all)} calls/s (${Math.round(all * 3)} tokens/s)`);
