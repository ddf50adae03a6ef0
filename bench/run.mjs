// `npm run bench`: every benchmark in one run. Each prints its own figures; none fails on timing.
import { spawnSync } from 'node:child_process';

process.chdir(new URL('..', import.meta.url).pathname);
const runs = [
  ['Bundle sizes', ['bench/size.mjs']],
  ['Vizzly signing throughput', ['--import', 'tsx', 'bench/vizzly-sign.ts']],
  ['Vendor calls per 1,000 identity requests', ['--import', 'tsx', 'bench/vendor-calls.ts']],
  ['New-user cost in a full store', ['--expose-gc', '--import', 'tsx', 'bench/new-user-cost.ts']],
  ['Token soak (30 simulated days)', ['--import', 'tsx', 'bench/soak.ts']],
  [
    'Identity handler vs Hono vs bare node:http (50 connections)',
    ['--import', 'tsx', 'bench/identity-handler.ts', ...process.argv.slice(2)],
  ],
];
let failed = false;
for (const [title, args] of runs) {
  console.log(`\n── ${title} ──`);
  failed = spawnSync(process.execPath, args, { stdio: 'inherit' }).status !== 0 || failed;
}
process.exit(failed ? 1 : 0);
