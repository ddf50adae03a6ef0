// shareAcrossTabs in real Chromium: several BroadcastChannels and Web Lock users in one page behave
// like several tabs (the channel delivers to every other instance; the lock manager is the origin's).
// Each test uses its own key, so locks and messages of one test never reach another.
import '../helpers/mocha-globals.js';
import { deepEqual, equal, ok, rejects, waitFor } from '../helpers/assert.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { resolveExpiry } from '../../src/token/expiry.js';
import { shareAcrossTabs, type SharedFetcher, type TabShareOptions } from '../../src/token/tab-share.js';
import { PROTOCOL_VERSION, DEFAULT_CHANNEL, lockNames } from '../../src/token/tab-share-protocol.js';
import type { FetchRequest, IdentityResponse } from '../../src/token/types.js';

/** A stand-in for one tab's identity fetcher: counts calls; each answer names its call. */
class Endpoint {
  calls: FetchRequest[] = [];
  /** When set, answers wait for release() (a slow endpoint); aborts reject like fetch does. */
  held = false;
  #release: (() => void)[] = [];
  constructor(
    private readonly now: () => number = Date.now,
    private readonly name = 'call',
  ) {}

  fetch = (request: FetchRequest): Promise<IdentityResponse> => {
    this.calls.push(request);
    const n = this.calls.length;
    const answer = (): IdentityResponse => ({
      vendor: 'vizzly',
      tokens: { dashboardAccessToken: `${this.name}-${n}` },
      expiresIn: 300,
      receivedAt: this.now(),
    });
    if (!this.held) return Promise.resolve(answer());
    return new Promise((resolve, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason));
      this.#release.push(() => resolve(answer()));
    });
  };

  release(): void {
    for (const resolve of this.#release.splice(0)) resolve();
  }
}

let keyCount = 0;
const live: SharedFetcher[] = [];
const newKey = (): string => `tab-share-test-${Date.now()}-${++keyCount}`;

function tab(endpoint: Endpoint, key: string, options: Partial<TabShareOptions> = {}): SharedFetcher {
  // The lifetime as a session with the default settings reads it.
  const lifetimeOf = (response: IdentityResponse) => resolveExpiry(response, 300_000).lifetimeMs;
  const shared = shareAcrossTabs(endpoint.fetch, { key, lifetimeOf, ...options });
  live.push(shared);
  return shared;
}

const request = (reason: FetchRequest['reason'] = 'initial', signal = new AbortController().signal): FetchRequest => ({
  signal,
  reason,
});

/**
 * Moves the fake clock in small steps until `done()`, letting real lock grants and messages run
 * between steps (their timers are only set once those ran); returns the fake time it took.
 */
async function advanceUntil(clock: FakeClock, done: () => boolean, maxMs: number, stepMs = 25): Promise<number> {
  let passed = 0;
  while (!done() && passed < maxMs) {
    await clock.advance(stepMs);
    passed += stepMs;
    await rounds(2);
  }
  return passed;
}

/** Lets channel messages and lock grants go round (real tasks, no fixed sleep). */
async function rounds(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('shareAcrossTabs: one identity request for every tab with the same key', () => {
  afterEach(() => {
    for (const shared of live.splice(0)) shared.dispose();
  });

  it('a tab that opens later takes the answer another tab holds, without a request', async () => {
    const key = newKey();
    const first = new Endpoint();
    const second = new Endpoint();
    const a = tab(first, key);
    await rounds();
    const got = await a(request());
    await rounds();
    const b = tab(second, key);
    await rounds();
    const relayed = await b(request());
    equal(first.calls.length, 1);
    equal(second.calls.length, 0, 'the second tab asked the first instead of its endpoint');
    deepEqual(relayed.tokens, got.tokens);
    ok(a.sharing && b.sharing);
  });

  it('five tabs asking at once make one request, and all get its tokens', async () => {
    const key = newKey();
    const endpoints = Array.from({ length: 5 }, () => new Endpoint());
    for (const endpoint of endpoints) endpoint.held = true;
    const tabs = endpoints.map((endpoint) => tab(endpoint, key));
    await rounds();
    const answers = tabs.map((shared) => shared(request()));
    await waitFor(() => endpoints.some((endpoint) => endpoint.calls.length > 0), 'one tab fetching');
    await rounds();
    for (const endpoint of endpoints) endpoint.release();
    const got = await Promise.all(answers);
    equal(
      endpoints.reduce((sum, endpoint) => sum + endpoint.calls.length, 0),
      1,
    );
    for (const answer of got) deepEqual(answer.tokens, got[0]!.tokens);
  });

  it('a fresh answer is offered to the other tabs at once (onAnswer), and taken without a request', async () => {
    const key = newKey();
    const first = new Endpoint(Date.now, 'a');
    const second = new Endpoint(Date.now, 'b');
    let offered = 0;
    const a = tab(first, key);
    const b = tab(second, key, { onAnswer: () => offered++ });
    await rounds();
    await a(request());
    await waitFor(() => offered === 1, 'the answer offered to the other tab');
    equal((await b(request())).tokens.dashboardAccessToken, 'a-1');
    // Tab a refreshes (it holds the newest answer, so it fetches): b is offered the new one.
    equal((await a(request('refresh'))).tokens.dashboardAccessToken, 'a-2');
    await waitFor(() => offered === 2, 'the refreshed answer offered');
    equal((await b(request('refresh'))).tokens.dashboardAccessToken, 'a-2');
    equal(first.calls.length, 2);
    equal(second.calls.length, 0, 'the offers cost no request');
  });

  it('a refresh with nothing newer around fetches, once, and the other tab follows', async () => {
    const key = newKey();
    const first = new Endpoint(Date.now, 'a');
    const second = new Endpoint(Date.now, 'b');
    const a = tab(first, key);
    const b = tab(second, key);
    await rounds();
    await a(request());
    await rounds();
    equal((await b(request())).tokens.dashboardAccessToken, 'a-1');
    // Both hold a-1: a refresh must not hand it out again.
    equal((await b(request('refresh'))).tokens.dashboardAccessToken, 'b-1');
    await rounds();
    equal((await a(request('refresh'))).tokens.dashboardAccessToken, 'b-1');
    equal(first.calls.length, 1);
    equal(second.calls.length, 1);
  });

  it('tabs with another key, and foreign or malformed messages, are ignored', async () => {
    const key = newKey();
    const first = new Endpoint();
    const second = new Endpoint();
    const a = tab(first, key);
    const b = tab(second, `${key}-other`);
    await rounds();
    await a(request());
    await rounds();
    const intruder = new BroadcastChannel(DEFAULT_CHANNEL);
    const forged = { id: 'x', ageMs: 0, durationMs: 0 };
    const response = { vendor: 'vizzly', tokens: { dashboardAccessToken: 'forged' }, expiresIn: 300, receivedAt: 0 };
    intruder.postMessage({ v: PROTOCOL_VERSION, kind: 'answer', key: `${key}-other`, answer: { ...forged } });
    intruder.postMessage({
      v: PROTOCOL_VERSION + 1,
      kind: 'answer',
      key: `${key}-other`,
      answer: { ...forged, response },
    });
    intruder.postMessage('hello');
    await rounds();
    intruder.close();
    const own = await b(request());
    equal(second.calls.length, 1);
    equal(own.tokens.dashboardAccessToken, 'call-1');
  });

  it('one-off requests (an action) are never shared', async () => {
    const key = newKey();
    const first = new Endpoint();
    const second = new Endpoint();
    const a = tab(first, key);
    const b = tab(second, key);
    await rounds();
    await a({ ...request(), action: 'acquire' });
    await rounds();
    await b({ ...request(), action: 'acquire' });
    equal(first.calls.length, 1);
    equal(second.calls.length, 1);
    equal(second.calls[0]!.action, 'acquire');
  });

  it('the refreshing tab giving up mid-request (closed, timed out) lets the next one fetch', async () => {
    const key = newKey();
    const first = new Endpoint();
    const second = new Endpoint();
    first.held = true;
    const a = tab(first, key);
    const b = tab(second, key);
    await rounds();
    const stop = new AbortController();
    const abandoned = a(request('initial', stop.signal));
    await waitFor(() => first.calls.length === 1, 'the first tab fetching');
    const waiting = b(request());
    await rounds();
    equal(second.calls.length, 0, 'the second tab waits for the one refreshing');
    stop.abort(new Error('closed'));
    await rejects(abandoned);
    equal((await waiting).tokens.dashboardAccessToken, 'call-1');
    equal(second.calls.length, 1);
  });

  it('a tab that hangs holding the lock (and never replies) delays the others by lockTimeoutMs + askTimeoutMs at most', async () => {
    const key = newKey();
    const clock = new FakeClock(Date.now());
    const endpoint = new Endpoint(clock.now);
    const names = lockNames(key);
    // The hung tab: holds the refresh lock and a holders lock, and answers nothing.
    const hung = new AbortController();
    const forever = (): Promise<void> =>
      new Promise((resolve) => hung.signal.addEventListener('abort', () => resolve()));
    void navigator.locks.request(names.refresh, forever);
    void navigator.locks.request(names.holders, { mode: 'shared' }, forever);
    try {
      await rounds();
      const shared = tab(endpoint, key, { clock, lockTimeoutMs: 4_000, askTimeoutMs: 300 });
      await rounds();
      let done = false;
      const answer = shared(request()).finally(() => (done = true));
      await clock.advance(3_999);
      await rounds();
      equal(endpoint.calls.length, 0, 'still waiting for the lock');
      const waited = await advanceUntil(clock, () => done, 2_000);
      ok(waited >= 300 && waited <= 400, `then waited ${waited} ms for the hung tab's reply (askTimeoutMs 300)`);
      equal((await answer).tokens.dashboardAccessToken, 'call-1');
      equal(endpoint.calls.length, 1);
    } finally {
      hung.abort();
    }
  });

  it('tabs that give up on a hung lock together elect one among them: still one request', async () => {
    const key = newKey();
    const clock = new FakeClock(Date.now());
    const hung = new AbortController();
    const forever = (): Promise<void> =>
      new Promise((resolve) => hung.signal.addEventListener('abort', () => resolve()));
    void navigator.locks.request(lockNames(key).refresh, forever);
    void navigator.locks.request(lockNames(key).holders, { mode: 'shared' }, forever);
    try {
      const endpoints = [1, 2, 3].map(() => new Endpoint(clock.now));
      const tabs = endpoints.map((endpoint) => tab(endpoint, key, { clock, lockTimeoutMs: 1_000, askTimeoutMs: 100 }));
      await rounds();
      let settled = 0;
      const answers = tabs.map((shared) => shared(request()).finally(() => settled++));
      await rounds();
      await advanceUntil(clock, () => settled === 3, 3_000);
      const got = await Promise.all(answers);
      equal(
        endpoints.reduce((sum, endpoint) => sum + endpoint.calls.length, 0),
        1,
      );
      for (const answer of got) deepEqual(answer.tokens, got[0]!.tokens);
    } finally {
      hung.abort();
    }
  });

  it('an answer relayed after the wall clock jumped back is dated by its age, not by the old wall time', async () => {
    const key = newKey();
    const clock = { wall: Date.now(), mono: 1_000 };
    const tabClock = {
      now: () => clock.wall,
      monotonic: () => clock.mono,
      setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
      clearTimeout: (handle: unknown) => clearTimeout(handle as number),
    };
    const first = new Endpoint(tabClock.now);
    const a = tab(first, key, { clock: tabClock });
    await rounds();
    const original = await a(request());
    clock.mono += 60_000;
    clock.wall -= 3_600_000;
    const b = tab(new Endpoint(), key, { clock: tabClock });
    await rounds();
    const relayed = await b(request());
    equal(relayed.receivedAt, clock.wall - 60_000, 'received a minute ago on the clock as it is now');
    equal(original.receivedAt - relayed.receivedAt, 3_660_000);
  });

  it('without BroadcastChannel or Web Locks each tab fetches alone', async () => {
    const key = newKey();
    const first = new Endpoint();
    const second = new Endpoint();
    const a = tab(first, key, { BroadcastChannel: null });
    const b = tab(second, key, { locks: null });
    await a(request());
    await b(request());
    ok(!a.sharing && !b.sharing);
    equal(first.calls.length + second.calls.length, 2);
  });

  it('dispose releases the locks and closes the channel; later fetches go straight through', async () => {
    const key = newKey();
    const endpoint = new Endpoint();
    const shared = tab(endpoint, key);
    await rounds();
    const names = lockNames(key);
    const heldBefore = (await navigator.locks.query()).held ?? [];
    ok(heldBefore.some((lock) => lock.name === names.holders));
    shared.dispose();
    await settle();
    await rounds();
    const heldAfter = (await navigator.locks.query()).held ?? [];
    ok(!heldAfter.some((lock) => lock.name?.endsWith(key)), 'no lock of the key left');
    ok(!shared.sharing);
    await shared(request());
    equal(endpoint.calls.length, 1);
  });
});
