// The cost of a new user in a full bounded store: CPU µs per insert when the store already holds 1,000,
// 10,000 and 100,000 entries (each insert evicts the least recently used one, in O(1)).
// Run: node --expose-gc --import tsx bench/new-user-cost.ts   (prints figures; never fails on timing)
import { createMemorySessionStore } from '../src/server/session-store.js';

const INSERTS = Number(process.env.BENCH_INSERTS ?? 20_000);
const ROUNDS = 5;
const SIZES = [1_000, 10_000, 100_000];
const session = { session_reference_token: 'ref-'.padEnd(64, 'x'), api_token: 'api', navigation_token: 'nav' };

/** Median µs per insert of a new user (own owner, as Looker sessions are) into a full store of `size`. */
function measure(size: number, withOwner: boolean): number {
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const store = createMemorySessionStore({ maxEntries: size });
    for (let i = 0; i < size; i += 1)
      store.set(`fill-${i}`, session, 3600, withOwner ? { owner: `o-${i}` } : undefined);
    (globalThis as { gc?: () => void }).gc?.();
    // CPU time, not wall time: on a shared machine other processes' turns would count otherwise.
    const start = process.cpuUsage();
    for (let i = 0; i < INSERTS; i += 1) {
      store.set(`new-${round}-${i}`, session, 3600, withOwner ? { owner: `n-${i}` } : undefined);
    }
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / INSERTS);
    if (store.size !== size) throw new Error(`store grew to ${store.size}`);
  }
  return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

console.log(`new user into a full memory store: median of ${ROUNDS} rounds of ${INSERTS.toLocaleString('en')} inserts`);
console.log('entries held | CPU µs per insert (per-user owner) | CPU µs per insert (no owner)');
for (const size of SIZES) {
  const owned = measure(size, true);
  const plain = measure(size, false);
  console.log(
    `${size.toLocaleString('en').padStart(12)} | ${owned.toFixed(2).padStart(33)} | ${plain.toFixed(2).padStart(28)}`,
  );
}
