// The soak: a seeded month (or a few days) of one page against a flaky identity endpoint, with
// every fault of issue 9 — 5-minute JWTs, 20% failing requests, outages, client clock jumps of
// ±1 h, sleeps of up to 2 h during which timers do not run (the monotonic clock stopped or not),
// elements coming and going, 50 on one key — measured against the true time. Used by
// bench/soak.ts (30 days) and test/token/soak.test.ts (a short form in Chromium).
import { createIdentityFetcher } from '../src/identity/client.js';
import { acquireSession, liveSessionCount, type SessionLease } from '../src/token/registry.js';
import { listenerCounter, PageClock, realTask, seeded, standInFetch, trueExpiry } from './soak-world.js';
import type { Outcome, PendingAnswer } from './soak-world.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LIFETIME_MS = 300_000;

export interface SoakFigures {
  days: number;
  seed: number;
  /** Identity requests, and on the key always in use, per token lifetime (5 min) of simulated time. */
  requests: number;
  requestsPerLifetime: number;
  /** Tokens handed to a subscriber (events and get()); those already expired while the endpoint could answer (must be 0), and at all. */
  handedOver: number;
  handedExpiredWhileUp: number;
  handedExpiredTotal: number;
  /** Awake time a visible subscriber held expired tokens, not excused by an endpoint failure (must be 0), and at all. */
  expiredHeldMs: number;
  expiredHeldRawMs: number;
  /** Wake-ups, and the worst wake-up → every subscriber holding valid tokens (endpoint answering; at all). */
  wakeUps: number;
  worstWakeToFreshMs: number;
  worstWakeToFreshAnyMs: number;
  sleeps: number;
  jumps: number;
  outages: number;
  mounts: number;
  /** Left at the end, after every subscriber went (must be 0). */
  timersLeft: number;
  listenersLeft: number;
  sessionsLeft: number;
}

interface Subscriber {
  key: string;
  lease: SessionLease;
  tokens: unknown;
  visible: boolean;
  stop: () => void;
}

/** Runs the soak for `days` simulated days from `seed`; resolves to its figures. */
export async function runSoak({ days, seed }: { days: number; seed: number }): Promise<SoakFigures> {
  // Separate streams: the faults and elements of a seed stay the same whatever order answers settle in.
  const random = seeded(seed);
  const network = seeded(seed * 7_919 + 1);
  const jitter = seeded(seed * 7_919 + 2);
  const start = Date.UTC(2026, 11, 1);
  const end = start + days * 24 * HOUR;
  const clock = new PageClock(start);
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const listeners = listenerCounter(win, doc);
  const answers: PendingAnswer[] = [];
  const scenario: { at: number; run: () => void }[] = [];
  const at = (time: number, run: () => void): void => {
    scenario.push({ at: time, run });
    scenario.sort((a, b) => a.at - b.at);
  };
  const exp = (mean: number): number => -Math.log(1 - random()) * mean;
  const figures: SoakFigures = {
    ...{ days, seed, requests: 0, requestsPerLifetime: 0, handedOver: 0, handedExpiredWhileUp: 0 },
    ...{ handedExpiredTotal: 0, expiredHeldMs: 0, expiredHeldRawMs: 0, wakeUps: 0, worstWakeToFreshMs: 0 },
    ...{ worstWakeToFreshAnyMs: 0, sleeps: 0, jumps: 0, outages: 0, mounts: 0 },
    ...{ timersLeft: 0, listenersLeft: 0, sessionsLeft: 0 },
  };
  let outage = false;
  let bigRequests = 0;
  const lastFailure = new Map<string, number>();
  const subscribers = new Set<Subscriber>();
  const run = `soak-${seed}-${Math.floor(random() * 1e9)}`;

  const decide = (key: string) => (): Outcome => {
    const roll = network();
    const outcome: Outcome = outage
      ? 'network'
      : roll < 0.09
        ? 'http-503'
        : roll < 0.18
          ? 'network'
          : roll < 0.2
            ? 'hang'
            : 'ok';
    if (outcome !== 'ok') lastFailure.set(key, clock.trueTime);
    return outcome;
  };
  /** The endpoint failed these tokens' refresh (since their half-life) or is down: holding them is excused. */
  const excused = (key: string, token: unknown): boolean =>
    outage || (lastFailure.get(key) ?? -Infinity) >= trueExpiry(token) - LIFETIME_MS / 2;

  const hold = (sub: Subscriber, tokens: { t?: unknown }): void => {
    figures.handedOver += 1;
    if (trueExpiry(tokens.t) <= clock.trueTime) {
      figures.handedExpiredTotal += 1;
      if (!excused(sub.key, tokens.t)) figures.handedExpiredWhileUp += 1;
    }
    sub.tokens = tokens.t;
    sub.visible = true;
  };

  const mount = (key: string, pulls: boolean): Subscriber => {
    figures.mounts += 1;
    const count = (): void => {
      figures.requests += 1;
      if (key === 'big') bigRequests += 1;
    };
    const fetch = standInFetch(clock, answers, network, decide(key), count);
    const lease = acquireSession(`${run}:${key}`, () => ({
      fetchTokens: createIdentityFetcher(
        { url: '/identity', fetch, now: clock.now },
        { vendor: 'vizzly', dashboardId: key },
      ),
      clock,
      random: jitter,
      wakeTargets: { window: win, document: doc },
    }));
    const sub: Subscriber = { key, lease, tokens: null, visible: false, stop: () => {} };
    // What the element does with session events: show new tokens, hide on expiry or on an error without valid tokens.
    const unsubscribe = lease.session.subscribe((event) => {
      if (event.type === 'tokens') hold(sub, event.tokens);
      else if (event.type === 'expired' || !lease.session.current) sub.visible = false;
    });
    let pull: unknown;
    // Vizzly's bundle pulls identity() every 5 minutes and keeps what it gets.
    const pullLoop = (): void => {
      pull = clock.setTimeout(() => {
        lease.session.get({ minValidityMs: 360_000 }).then(
          (grant) => subscribers.has(sub) && hold(sub, grant.tokens),
          () => {},
        );
        pullLoop();
      }, 300_000);
    };
    if (pulls) pullLoop();
    lease.session.get().then(
      (grant) => subscribers.has(sub) && hold(sub, grant.tokens),
      () => {},
    );
    sub.stop = () => {
      clock.clearTimeout(pull);
      unsubscribe();
      lease.release();
      subscribers.delete(sub);
    };
    subscribers.add(sub);
    return sub;
  };

  // 50 on one key, churning: every ~2 h one goes and another comes.
  for (let i = 0; i < 50; i++) mount('big', i < 10);
  const churn = (time: number): void =>
    at(time, () => {
      const bigs = [...subscribers].filter((sub) => sub.key === 'big');
      bigs[Math.floor(random() * bigs.length)]?.stop();
      mount('big', random() < 0.2);
      churn(clock.trueTime + exp(2 * HOUR));
    });
  churn(start + exp(2 * HOUR));
  // Three small keys whose 1–3 elements come and go (their sessions go with the last one).
  for (const key of ['a', 'b', 'c']) {
    const visit = (time: number): void =>
      at(time, () => {
        const group = Array.from({ length: 1 + Math.floor(random() * 3) }, () => mount(key, random() < 0.3));
        at(clock.trueTime + 10 * MINUTE + random() * 6 * HOUR, () => {
          for (const sub of group) sub.stop();
          visit(clock.trueTime + random() * 2 * HOUR);
        });
      });
    visit(start + random() * HOUR);
  }
  // Outages of 5–60 minutes, about twice a day.
  const outages = (time: number): void =>
    at(time, () => {
      outage = true;
      figures.outages += 1;
      at(clock.trueTime + 5 * MINUTE + random() * 55 * MINUTE, () => {
        outage = false;
        outages(clock.trueTime + exp(12 * HOUR));
      });
    });
  outages(start + exp(12 * HOUR));
  // Client clock jumps of ±1 h while awake (the offset stays within ±1 h of the truth).
  const jumps = (time: number): void =>
    at(time, () => {
      if (!clock.asleep) {
        figures.jumps += 1;
        clock.offset =
          clock.offset >= HOUR ? 0 : clock.offset <= -HOUR ? 0 : clock.offset + (random() < 0.5 ? HOUR : -HOUR);
      }
      jumps(clock.trueTime + exp(6 * HOUR));
    });
  jumps(start + exp(6 * HOUR));
  // Sleeps of up to 2 h about every 3 h. With the monotonic clock stopped (most laptops) the
  // wake-up comes with a page event; with it running, half the time only late timers tell.
  // "The endpoint answering" after a wake-up: no request failed or hung from one timeout (15 s)
  // before the sleep until the tokens were fresh again.
  let wake: { at: number; since: number } | null = null;
  let sleptAt = 0;
  const sleeps = (time: number): void =>
    at(time, () => {
      figures.sleeps += 1;
      wake = null;
      sleptAt = clock.trueTime;
      clock.asleep = true;
      clock.monoRunsInSleep = random() < 0.5;
      at(clock.trueTime + MINUTE + random() * (2 * HOUR - MINUTE), () => {
        clock.asleep = false;
        figures.wakeUps += 1;
        wake = { at: clock.trueTime, since: sleptAt - 15_000 };
        if (!clock.monoRunsInSleep || random() < 0.5) {
          const type = ['visibilitychange', 'online', 'focus', 'pageshow'][Math.floor(random() * 4)]!;
          (type === 'visibilitychange' ? doc : win).dispatchEvent(new Event(type));
        }
        sleeps(clock.trueTime + exp(3 * HOUR));
      });
    });
  sleeps(start + exp(3 * HOUR));

  /** Integrates expired-held time over [from, to) while awake. */
  const account = (from: number, to: number): void => {
    if (clock.asleep || to <= from) return;
    for (const sub of subscribers) {
      if (!sub.visible || sub.tokens === null) continue;
      const held = to - Math.max(from, trueExpiry(sub.tokens));
      if (held <= 0) continue;
      figures.expiredHeldRawMs += held;
      if (!excused(sub.key, sub.tokens)) figures.expiredHeldMs += held;
    }
  };
  const checkWake = (): void => {
    if (!wake) return;
    for (const sub of subscribers) if (sub.tokens === null || trueExpiry(sub.tokens) <= clock.trueTime) return;
    const took = clock.trueTime - wake.at;
    figures.worstWakeToFreshAnyMs = Math.max(figures.worstWakeToFreshAnyMs, took);
    const failedSince = Math.max(...lastFailure.values(), -Infinity) >= wake.since;
    if (!failedSince && !outage) figures.worstWakeToFreshMs = Math.max(figures.worstWakeToFreshMs, took);
    wake = null;
  };

  await realTask();
  while (clock.trueTime < end) {
    const nextScenario = scenario[0]?.at ?? Infinity;
    let answerIndex = -1;
    if (!clock.asleep)
      for (let i = 0; i < answers.length; i++)
        if (answerIndex < 0 || answers[i]!.at < answers[answerIndex]!.at) answerIndex = i;
    const nextAnswer = answerIndex < 0 ? Infinity : Math.max(clock.trueTime, answers[answerIndex]!.at);
    const nextTimer = clock.nextTimerAt();
    const next = Math.min(nextScenario, nextAnswer, nextTimer, end);
    account(clock.trueTime, next);
    clock.moveTo(Math.max(next, clock.trueTime));
    if (next === end) break;
    if (next === nextAnswer) {
      answers.splice(answerIndex, 1)[0]!.deliver();
      // Reading a Response body takes real tasks; everything else settles in microtasks.
      for (let i = 0; i < 3; i++) await realTask();
    } else {
      if (next === nextTimer) clock.fireDue();
      else scenario.shift()!.run();
      for (let i = 0; i < 20; i++) await null;
    }
    checkWake();
  }

  for (const sub of [...subscribers]) sub.stop();
  for (let i = 0; i < 5; i++) await realTask();
  const lifetimes = (days * 24 * HOUR) / LIFETIME_MS;
  figures.requestsPerLifetime = bigRequests / lifetimes;
  figures.timersLeft = clock.pendingTimers;
  figures.listenersLeft = listeners();
  figures.sessionsLeft = liveSessionCount();
  return figures;
}
