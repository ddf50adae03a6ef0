// The 30-day soak (see bench/soak-sim.ts): prints its figures; never fails on them.
//   node --import tsx bench/soak.ts [days] [seed]
import { runSoak } from './soak-sim.js';

const days = Number(process.argv[2] ?? 30);
const seed = Number(process.argv[3] ?? 9);
const started = performance.now();
const f = await runSoak({ days, seed });
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
console.log(`Soak: ${f.days} simulated days, seed ${f.seed} (${s(performance.now() - started)} of real time)`);
console.log(`  faults: ${f.sleeps} sleeps, ${f.jumps} clock jumps, ${f.outages} outages, ${f.mounts} elements mounted`);
console.log(
  `  tokens handed over after expiry while the endpoint could answer: ${f.handedExpiredWhileUp} (must be 0; ${f.handedExpiredTotal} at all, of ${f.handedOver})`,
);
console.log(
  `  expired-held time not excused by an endpoint failure:          ${s(f.expiredHeldMs)} (must be 0; ${s(f.expiredHeldRawMs)} at all)`,
);
console.log(
  `  identity requests per token lifetime (the key of 50):          ${f.requestsPerLifetime.toFixed(2)} (${f.requests} requests in all)`,
);
console.log(
  `  worst wake-up → fresh tokens: ${s(f.worstWakeToFreshMs)} with the endpoint answering, ${s(f.worstWakeToFreshAnyMs)} at all (${f.wakeUps} wake-ups)`,
);
console.log(
  `  left at the end: ${f.timersLeft} timers, ${f.listenersLeft} listeners, ${f.sessionsLeft} sessions (must be 0)`,
);
