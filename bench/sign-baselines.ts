// Baselines for bench/vizzly-sign.ts: the same P-256 ECDSA signature without our signer around it.
//   - `openssl speed -seconds 1 ecdsap256`: OpenSSL's own loop (signs a bare digest, one core);
//   - node:crypto `sign('sha256', …, {dsaEncoding: 'ieee-p1363'})` (a JWS signature) in a plain
//     synchronous loop over a JWT-sized signing input (hashes it too, one core).
// Our signer uses WebCrypto, which runs on libuv's thread pool, so it may use both cores of a 2-core
// machine where these two use one. Figures only; nothing here fails on timing.
//   node --import tsx bench/sign-baselines.ts [--json]   (--json: a last line with the figures as JSON)
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2_000);

/** OpenSSL's ECDSA P-256 signatures per second, or why there is none. */
function opensslSpeed(): { signsPerSecond: number | null; note: string } {
  const run = spawnSync('openssl', ['speed', '-seconds', '1', 'ecdsap256'], { encoding: 'utf8' });
  if (run.error) return { signsPerSecond: null, note: `openssl not found (${run.error.message}): skipped` };
  // The result line: " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  45941.2  15312.5" (sign/s, verify/s).
  const line = run.stdout.split('\n').find((text) => /ecdsa \(nistp256\)/.test(text));
  const numbers = line?.match(/[\d.]+(?=\s|$)/g)?.map(Number);
  // "OpenSSL 3.0.19 27 Jan 2026 (Library: …)" → "OpenSSL 3.0.19".
  const version = spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 2).join(' ');
  if (!numbers || numbers.length < 2) return { signsPerSecond: null, note: `${version}: no ecdsap256 result line` };
  return { signsPerSecond: numbers[numbers.length - 2]!, note: version };
}

/** node:crypto JWS (ES256) signatures per second over one JWT-sized signing input. */
function nodeCryptoSpeed(): number {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = Buffer.from(
    `${encode({ alg: 'ES256', typ: 'JWT' })}.${encode({
      accessType: 'standard',
      projectId: 'prj_bench',
      userReference: 'user-1',
      scope: 'read_write',
      parentDashboardIds: ['dsh_1'],
      expires: new Date(Date.now() + 3_600_000).toISOString(),
    })}`,
  );
  for (let i = 0; i < 200; i += 1) sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }); // warm up
  let signs = 0;
  const start = performance.now();
  while (performance.now() - start < DURATION_MS) {
    sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    signs += 1;
  }
  return signs / ((performance.now() - start) / 1000);
}

const openssl = opensslSpeed();
const nodeCrypto = nodeCryptoSpeed();
console.log(
  openssl.signsPerSecond === null
    ? `openssl speed ecdsap256: not measured (${openssl.note})`
    : `openssl speed ecdsap256: ${Math.round(openssl.signsPerSecond)} signs/s (${openssl.note}, one core)`,
);
console.log(`node:crypto sign ES256 (ieee-p1363): ${Math.round(nodeCrypto)} signs/s (synchronous loop, one core)`);
if (process.argv.includes('--json'))
  console.log(JSON.stringify({ opensslSignsPerSecond: openssl.signsPerSecond, nodeCryptoSignsPerSecond: nodeCrypto }));
