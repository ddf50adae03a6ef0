// The demo's resilience controls. First their pure parts (the fault decisions, the timeline model and
// its SVG), then the page in headless Chromium driven through its buttons, with tokens living 10 s:
// identity endpoint down (embeds stay ready while their tokens last, then `expired`, then back), slow,
// failing, the wall clock ±1 h (nothing changes), and a simulated sleep (refresh at once or `expired`).
// Throughout, no timeline may record an embed shown as ready with expired tokens.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Page } from 'puppeteer-core';
import { startDemo, type DemoServer } from '../../demo/server.js';
import { decideFault, NORMAL, parseFault, type FaultState } from '../../demo/resilience/faults.js';
import { addMark, addTokens, createTimeline, GRACE_MS, sample } from '../../demo/resilience/timeline-model.js';
import { renderTimeline } from '../../demo/resilience/timeline-svg.js';
import { IN_PROCESS_FRAMES_ARGS } from '../../scripts/chromium-args.mjs';
import { launchChromium } from '../../scripts/launch-chromium.mjs';

describe('the fault switch', () => {
  it('refuses everything when down, delays when slow, and refuses an even share when failing', () => {
    const down: FaultState = { ...NORMAL, mode: 'down', retryAfterSeconds: 2 };
    assert.deepEqual(decideFault(down, 0).decision, { action: 'refuse', retryAfter: 2 });
    assert.deepEqual(decideFault({ ...NORMAL, mode: 'slow', slowSeconds: 3 }, 0).decision, {
      action: 'delay',
      ms: 3000,
    });
    const failing: FaultState = { ...NORMAL, mode: 'failing', failRate: 0.5 };
    let credit = 0;
    const actions: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const step = decideFault(failing, credit);
      credit = step.credit;
      actions.push(step.decision.action);
    }
    assert.deepEqual(actions, ['pass', 'refuse', 'pass', 'refuse', 'pass', 'refuse']);
    assert.deepEqual(decideFault(NORMAL, 0.7), { decision: { action: 'pass' }, credit: 0 });
  });

  it('says which field of a control request is wrong', () => {
    assert.deepEqual(parseFault({ mode: 'slow', slowSeconds: 5 }, NORMAL), { ...NORMAL, mode: 'slow', slowSeconds: 5 });
    assert.throws(() => parseFault({ mode: 'off' }, NORMAL), {
      code: 'invalid-fault',
      message: /"mode" must be one of/,
    });
    assert.throws(() => parseFault({ failRate: 2 }, NORMAL), { message: '"failRate" must be a number from 0 to 1.' });
    assert.throws(() => parseFault([], NORMAL), { message: /JSON object/ });
  });
});

describe('the timeline model', () => {
  it('carries a token set onto the true clock, whatever the wall clock says', () => {
    const model = createTimeline();
    // Wall clock an hour behind: the set still lasts 10 s from its receipt on the true clock.
    addTokens(model, 1_000_000, 1_000_000 - 3_600_000, 1_000_000 - 3_600_000 + 10_000);
    assert.deepEqual(model.bars, [{ from: 1_000_000, until: 1_010_000 }]);
    addTokens(model, 1_005_000, 1_005_000, 1_015_000);
    assert.deepEqual(model.bars[0], { from: 1_000_000, until: 1_005_000 }, 'a replaced set ends at the new one');
    assert.equal(model.refreshes, 1);
    addMark(model, { at: 1_006_000, kind: 'failure', text: 'http: 503' });
    assert.equal(model.failures, 1);
  });

  it('records "ready with expired tokens" only past the grace, and not while hidden as expired', () => {
    const model = createTimeline();
    addTokens(model, 0, 0, 10_000);
    sample(model, 9_999, 'ready');
    sample(model, 10_000, 'ready');
    sample(model, 10_000 + GRACE_MS, 'ready');
    assert.deepEqual(model.heldExpired, [], 'within the grace');
    sample(model, 10_500 + GRACE_MS, 'expired');
    sample(model, 20_000, 'expired');
    assert.deepEqual(model.heldExpired, [], 'shown as expired');
    sample(model, 21_000, 'ready');
    sample(model, 22_500, 'ready');
    sample(model, 23_000, 'ready');
    assert.deepEqual(model.heldExpired, [{ from: 21_000, until: 23_000 }]);
  });

  it('draws bars, marks, the red band and the now line inside the window', () => {
    const model = createTimeline();
    addTokens(model, 0, 0, 10_000);
    addTokens(model, 5_000, 5_000, 15_000);
    addMark(model, { at: 7_000, kind: 'failure', text: 'http: <503>' });
    model.heldExpired.push({ from: 16_000, until: 18_000 });
    const svg = renderTimeline(model, 20_000, 20_000);
    assert.equal(svg.match(/data-kind="tokens"/g)?.length, 2);
    assert.match(svg, /<rect data-kind="tokens" x="0" y="26" width="150"/, 'first set 0–5 s of 20 s = 150 px of 600');
    assert.match(svg, /data-kind="refresh"/);
    assert.match(svg, /data-kind="failure".*http: &lt;503&gt;/);
    assert.match(svg, /data-kind="held-expired" x="480"/);
    assert.match(svg, /data-kind="now"/);
  });
});

const TTL_SECONDS = 10;
const VENDORS = ['vizzly', 'databrain', 'formant', 'looker'] as const;
const WAIT_MS = 30_000;
/** A session notices a clock change no event announces at its next timer: within 30 s, then it asks. */
const NOTICE_MS = 45_000;
/** The demo's Vizzly tokens live 30 min (its bundle pulls every 5 min), whatever the TTL above. */
const LONG_LIVED = 'vizzly';
/** The embeds whose 10 s tokens turn over within each phase of the endpoint tests. */
const SHORT_LIVED = VENDORS.filter((vendor) => vendor !== LONG_LIVED);

interface PanelView {
  state: string;
  heldExpired: string;
  tokens: number;
  failures: number;
  expiries: number;
}

describe('the resilience controls in Chromium', { timeout: 180_000 }, () => {
  let demo: DemoServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageProblems: string[] = [];

  /** Each vendor's state and timeline figures. */
  async function panels(): Promise<Record<string, PanelView>> {
    return page.evaluate(() => {
      const out: Record<string, PanelView> = {};
      for (const section of document.querySelectorAll<HTMLElement>('section[data-vendor]')) {
        const figure = section.querySelector<HTMLElement>('[data-role="timeline"]')!;
        out[section.dataset['vendor']!] = {
          state: section.querySelector('embed-dashboard')!.getAttribute('state') ?? 'idle',
          heldExpired: figure.dataset['heldExpired']!,
          tokens: Number(figure.dataset['tokens']),
          failures: Number(figure.dataset['failures']),
          expiries: Number(figure.dataset['expiries']),
        };
      }
      return out;
    });
  }

  /** Polls `check` over the panels until it holds; the message says what was last seen. */
  async function until(
    what: string,
    check: (view: Record<string, PanelView>) => boolean,
    waitMs = WAIT_MS,
  ): Promise<void> {
    const deadline = Date.now() + waitMs;
    let view = await panels();
    while (!check(view)) {
      assert.ok(Date.now() < deadline, `waited ${waitMs} ms for ${what}; panels: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      view = await panels();
    }
  }

  /** The states each embed went through since the last call (recorded in the page). */
  async function statesSeen(): Promise<Record<string, string[]>> {
    return page.evaluate(() => {
      const seen = (window as unknown as { statesSeen: Record<string, string[]> }).statesSeen;
      const copy = structuredClone(seen);
      for (const key of Object.keys(seen)) seen[key] = [];
      return copy;
    });
  }

  async function click(control: string): Promise<void> {
    await page.click(`[data-control="${control}"]`);
  }

  async function fault(mode: string): Promise<void> {
    await click(`fault-${mode}`);
    await page.waitForFunction(
      (wanted) => document.getElementById('resilience')?.dataset['fault'] === wanted,
      {},
      mode,
    );
  }

  const allReady = (view: Record<string, PanelView>): boolean => VENDORS.every((v) => view[v]?.state === 'ready');
  const moreTokens = (before: Record<string, PanelView>, view: Record<string, PanelView>): boolean =>
    VENDORS.every((v) => view[v]!.tokens > before[v]!.tokens);
  const moreShortLivedTokens = (before: Record<string, PanelView>, view: Record<string, PanelView>): boolean =>
    SHORT_LIVED.every((v) => view[v]!.tokens > before[v]!.tokens);

  before(async () => {
    demo = await startDemo({ env: { DEMO_TOKEN_TTL_SECONDS: String(TTL_SECONDS) }, port: 0, log: () => {} });
    browser = await launchChromium(IN_PROCESS_FRAMES_ARGS);
    page = await browser.newPage();
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${(error as Error).message}`));
    await page.goto(demo.url, { waitUntil: 'load', timeout: WAIT_MS });
    await until('every embed ready', allReady);
    await page.evaluate(() => {
      const seen: Record<string, string[]> = {};
      for (const embed of document.querySelectorAll('embed-dashboard')) {
        const vendor = embed.getAttribute('vendor')!;
        seen[vendor] = [];
        new MutationObserver(() => seen[vendor]!.push(embed.getAttribute('state') ?? 'idle')).observe(embed, {
          attributes: true,
          attributeFilter: ['state'],
        });
      }
      (window as unknown as { statesSeen: typeof seen }).statesSeen = seen;
    });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('endpoint down: ready while the tokens last, then expired, then back once it answers', async () => {
    const start = await panels();
    await fault('down');
    await until('a failed refresh on every timeline', (view) =>
      SHORT_LIVED.every((v) => view[v]!.failures > start[v]!.failures),
    );
    // Once expired, each further failure shows as `error` (the overlay says why the dashboard is hidden).
    await until('every embed expired', (view) =>
      SHORT_LIVED.every((v) => view[v]!.expiries > start[v]!.expiries && ['expired', 'error'].includes(view[v]!.state)),
    );
    const seenDown = await statesSeen();
    // Vizzly's 30-minute tokens outlast the outage: it never needed the endpoint, so it never went down.
    assert.deepEqual(seenDown[LONG_LIVED], [], `${LONG_LIVED} stayed ready on its long-lived tokens`);
    for (const vendor of SHORT_LIVED)
      assert.equal(
        seenDown[vendor]![0],
        'expired',
        `${vendor} stayed ready until its tokens expired: ${seenDown[vendor]!.join(' → ')}`,
      );
    await fault('normal');
    await until('every embed ready again', allReady);
    const view = await panels();
    for (const vendor of VENDORS) {
      assert.equal(view[vendor]!.heldExpired, 'false', `${vendor} never showed as ready with expired tokens`);
    }
    await statesSeen();
  });

  it('endpoint slow: tokens keep arriving late, nothing goes down', async () => {
    // 1 s of a 10 s lifetime (as 9 s would be of the default 90 s).
    await page.evaluate(() => {
      (document.querySelector('[data-control="slow-seconds"]') as HTMLInputElement).value = '1';
    });
    await fault('slow');
    const slow = await panels();
    await until('a (slow) refresh of every short-lived embed', (view) => moreShortLivedTokens(slow, view));
    await fault('normal');
    const seen = await statesSeen();
    for (const vendor of VENDORS) assert.deepEqual(seen[vendor], [], `${vendor} stayed ready`);
  });

  it('endpoint failing every second request: failures on the timelines, tokens still arrive', async () => {
    await fault('failing');
    const failing = await panels();
    await until('a refresh of every embed, and a failure somewhere', (view) => {
      const failures = VENDORS.reduce((sum, v) => sum + view[v]!.failures - failing[v]!.failures, 0);
      return moreShortLivedTokens(failing, view) && failures > 0;
    });
    await fault('normal');
    // With 10 s tokens an unlucky embed may see every retry refused and expire: allowed, if it shows so.
    await until('every embed ready', allReady);
    const view = await panels();
    for (const vendor of VENDORS) assert.equal(view[vendor]!.heldExpired, 'false', `${vendor} held expired tokens`);
    await statesSeen();
  });

  it('sleep 30 min: every embed refreshes at once or shows expired, never expired tokens as ready', async () => {
    const before = await panels();
    await page.evaluate(() => {
      (document.querySelector('[data-control="sleep-minutes"]') as HTMLInputElement).value = '30';
    });
    const clicked = Date.now();
    await click('sleep');
    await until('a new token or "expired" on every embed', (view) =>
      VENDORS.every((v) => view[v]!.tokens > before[v]!.tokens || view[v]!.state === 'expired'),
    );
    assert.ok(Date.now() - clicked < 3000, `reacted ${Date.now() - clicked} ms after the wake-up, not at once`);
    await until('every embed ready with fresh tokens', (view) => allReady(view) && moreTokens(before, view));
    const view = await panels();
    for (const vendor of VENDORS) assert.equal(view[vendor]!.heldExpired, 'false', `${vendor} held expired tokens`);
    const caption = await page.$eval('section[data-vendor="vizzly"] figcaption', (el) => el.textContent ?? '');
    assert.match(caption, /^Never shown as ready with an expired token/);
    assert.deepEqual(pageProblems, []);
  });
  // The engine's rule: a wall clock stepped ahead cannot be told from a sleep, so it counts as time
  // passed (tokens may expire once and are refreshed at once); a wall clock stepped back changes nothing.
  it('wall clock +1 h: at most one expiry and an immediate refresh; then −1 h: nothing changes', async () => {
    const start = await panels();
    try {
      await clockPhases(start);
    } finally {
      await click('clock-reset');
    }
  });

  async function clockPhases(start: Record<string, PanelView>): Promise<void> {
    await statesSeen();
    await click('clock-forward');
    await until(
      'a refresh of every embed after +1 h, each ready again',
      (view) => moreTokens(start, view) && allReady(view),
      NOTICE_MS,
    );
    const forward = await panels();
    const seenForward = await statesSeen();
    for (const vendor of VENDORS) {
      assert.ok(forward[vendor]!.expiries - start[vendor]!.expiries <= 1, `${vendor}: expired at most once`);
      assert.ok(
        seenForward[vendor]!.every((state) => state === 'expired' || state === 'ready'),
        `${vendor} went only expired → ready: ${seenForward[vendor]!.join(' → ')}`,
      );
    }
    await click('clock-back');
    await click('clock-back');
    // Short-lived tokens keep refreshing on time; Vizzly's 30-minute set simply stays.
    const shortLived = VENDORS.filter((v) => v !== LONG_LIVED);
    await until('a refresh of every short-lived embed at −1 h', (view) =>
      shortLived.every((v) => view[v]!.tokens > forward[v]!.tokens),
    );
    // Vizzly's timer must have looked at the (stepped back) clock at least once.
    await new Promise((resolve) => setTimeout(resolve, NOTICE_MS - WAIT_MS));
    const seen = await statesSeen();
    for (const vendor of VENDORS) assert.deepEqual(seen[vendor], [], `${vendor} stayed ready at −1 h`);
    const view = await panels();
    for (const vendor of VENDORS) {
      assert.equal(view[vendor]!.expiries, forward[vendor]!.expiries, `${vendor}: no expiry at −1 h`);
      assert.equal(view[vendor]!.failures, start[vendor]!.failures, `${vendor}: no failure`);
      assert.equal(view[vendor]!.heldExpired, 'false');
    }
    assert.equal(view[LONG_LIVED]!.tokens, forward[LONG_LIVED]!.tokens, 'a step back asks for nothing');
  }
});
