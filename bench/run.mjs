// `npm run bench`: builds the package, runs every benchmark once (each prints its own figures as it
// goes), then prints ONE table of the figures measured in this run (bench/table.mjs). A bench that
// fails or prints no figure leaves "not measured" in its rows; nothing here fails on timing.
//   npm run bench [-- <options for bench/identity-handler.ts, e.g. --rounds 5>]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  lastJson,
  parseHandler,
  parseNewUserCost,
  parseSigning,
  parseSize,
  parseSoak,
  parseVendorCalls,
} from './parse.mjs';
import { renderTable } from './table.mjs';

process.chdir(new URL('..', import.meta.url).pathname);
const tsx = (...args) => ['--import', 'tsx', ...args];

// Each: [key, title, node arguments]. Scripts of ours are asked for a last JSON line (--json); the others
// are read from their text. The handler bench runs 3 rounds here (its own default is 5) to keep the
// whole run within a few minutes; arguments given to `npm run bench --` go to it and win.
const BENCHES = [
  ['size', 'Bundle sizes (packed package)', ['bench/size.mjs']],
  ['competitors', 'Other embedding SDKs, bundled the same way', ['bench/competitors.mjs', '--json']],
  ['embeds', 'Identity requests: 50 embeds, 5 tabs (Chromium)', tsx('bench/embeds-requests.ts', '--json')],
  ['soak', 'Token soak (30 simulated days)', tsx('bench/soak.ts')],
  ['vizzlySign', 'Vizzly signing throughput', tsx('bench/vizzly-sign.ts')],
  ['signBaselines', 'ECDSA P-256 baselines (OpenSSL, node:crypto)', tsx('bench/sign-baselines.ts', '--json')],
  [
    'handler',
    'Identity handler vs Hono and bare node:http (50 connections)',
    tsx('bench/identity-handler.ts', ...process.argv.slice(2), '--rounds', '3'),
  ],
  ['vendorCalls', 'Vendor calls per 1,000 identity requests', tsx('bench/vendor-calls.ts')],
  ['newUser', 'New-user cost in a full store', ['--expose-gc', ...tsx('bench/new-user-cost.ts')]],
  ['load', '1,000 concurrent connections, RSS over 100,000 requests', tsx('bench/load.ts', '--json')],
];

/** Runs node with `args`, echoing its output as it comes; resolves to {output, code}. */
function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ output, code }));
  });
}

const started = Date.now();
console.log('── Build (npm run build) ──');
const built = await run(['scripts/build.mjs']);
const outputs = {};
const problems = [];
if (built.code !== 0) problems.push('the build failed: sizes and the Chromium bench measure nothing');
for (const [key, title, args] of BENCHES) {
  console.log(`\n── ${title} ──`);
  if (!existsSync(args.find((arg) => arg.startsWith('bench/')))) {
    console.log('(not on this branch)');
    outputs[key] = '';
    continue;
  }
  const { output, code } = await run(args);
  outputs[key] = output;
  if (code !== 0) problems.push(`${title}: exited with code ${code}`);
}

const figures = {
  size: parseSize(outputs.size),
  competitors: lastJson(outputs.competitors),
  embeds: lastJson(outputs.embeds),
  soak: parseSoak(outputs.soak),
  signing: parseSigning(outputs.vizzlySign, outputs.signBaselines),
  handler: parseHandler(outputs.handler),
  vendorCalls: parseVendorCalls(outputs.vendorCalls),
  newUser: parseNewUserCost(outputs.newUser),
  load: lastJson(outputs.load),
};
console.log(
  `\n── The benchmark table (all figures from this run, ${Math.round((Date.now() - started) / 1000)} s, Node ${process.version}) ──`,
);
for (const line of renderTable(figures)) console.log(line);
for (const problem of problems) console.log(`note: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
