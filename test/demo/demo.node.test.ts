// End to end: the demo server (in-process, on a free port, tokens living 10 s) and the demo page in
// headless Chromium. All four embeds must reach `ready`, render their content (Vizzly's real client;
// the stand-ins of the others, Formant and Looker inside cross-origin iframes), and REFRESH: a second embed-token event, and the new token
// actually handed to each vendor's embed; a reload rejoins the Looker session. Nothing secret may reach
// the browser or the server's log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Browser, type Frame, type Page } from 'puppeteer-core';
import { startDemo, type DemoServer } from '../../demo/server.js';
import { SALES_ROWS } from '../../demo/standin-apis/vizzly-data.js';
import { IN_PROCESS_FRAMES_ARGS } from '../../scripts/chromium-args.mjs';
import { launchChromium } from '../../scripts/launch-chromium.mjs';

const TTL_SECONDS = 10;
const VENDORS = ['vizzly', 'databrain', 'formant', 'looker'] as const;
// Generous: a cold machine (fresh clone, first Chromium start) is slow; a pass usually takes ~2 s.
const WAIT_MS = 30_000;

let demo: DemoServer | undefined;
let browser: Browser | undefined;
let page: Page;
const serverLog: string[] = [];
const identityAnswers: string[] = [];
const pageProblems: string[] = [];
let pageHtml = '';

/** The iframe of a vendor embed, found by the URL it loaded (waiting for it to commit). */
async function frameWith(path: string): Promise<Frame> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const frame = page.frames().find((candidate) => candidate.url().includes(path));
    if (frame) return frame;
    assert.ok(
      Date.now() < deadline,
      `no frame loaded ${path}; frames: ${page
        .frames()
        .map((f) => f.url())
        .join(', ')}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until `check(arg)`, run in the page or frame, is true. */
async function waitIn<A>(target: Page | Frame, check: (arg: A) => unknown, what: string, arg?: A): Promise<void> {
  try {
    await target.waitForFunction(check as (...args: unknown[]) => unknown, { timeout: WAIT_MS, polling: 100 }, arg);
  } catch (error) {
    throw new Error(`waited ${WAIT_MS} ms for ${what}: ${(error as Error).message}`);
  }
}

/**
 * Waits until a Looker iframe of the page has run its dashboard and returns that frame. It looks at
 * the page's current frames on every poll, so an iframe replaced meanwhile (a new session, a reload)
 * is followed, and on failure it says what the stand-in saw.
 */
async function lookerFrameThatRan(what: string): Promise<Frame> {
  const deadline = Date.now() + WAIT_MS;
  let seen = 'no Looker frame';
  for (;;) {
    for (const frame of page
      .frames()
      .filter((candidate) => !candidate.detached && candidate.url().includes('/login/embed/'))) {
      try {
        seen = await frame.evaluate(() =>
          JSON.stringify((window as unknown as { lookerStandin?: unknown }).lookerStandin ?? null),
        );
        if ((JSON.parse(seen) as { runs?: number } | null)?.runs) return frame;
      } catch (error) {
        seen = `unreadable (${(error as Error).message})`;
      }
    }
    if (Date.now() > deadline) {
      const frames = page
        .frames()
        .map((f) => `${f.url()}${f.detached ? ' (detached)' : ''}`)
        .join(', ');
      const targets = browser!
        .targets()
        .map((t) => `${t.type()}:${t.url()}`)
        .join(', ');
      const iframes = await page.evaluate(() =>
        [...(document.querySelector('embed-dashboard[vendor="looker"]')?.querySelectorAll('iframe') ?? [])]
          .map((f) => f.src.slice(0, 80))
          .join(', '),
      );
      throw new Error(
        `waited ${WAIT_MS} ms for ${what}. Looker stand-in state: ${seen}. Page problems: ${pageProblems.join(' | ') || 'none'}. Frames: ${frames}. Targets: ${targets}. Looker iframes in the page: ${iframes}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the offline demo (npm start)', { timeout: 240_000 }, () => {
  before(async () => {
    // An explicit environment: no VIZZLY_/DATABRAIN_/FORMANT_/LOOKER_ variable of the machine can switch a vendor to a real service.
    demo = await startDemo({
      env: { DEMO_TOKEN_TTL_SECONDS: String(TTL_SECONDS) },
      port: 0,
      log: (line) => serverLog.push(line),
    });
    // In-process iframes: puppeteer sees the cross-origin frames' contexts reliably (see chromium-args.mjs).
    browser = await launchChromium(IN_PROCESS_FRAMES_ARGS);
    page = await browser.newPage();
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${(error as Error).message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warn')
        pageProblems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/embed/identity') {
        response.text().then(
          (text) => identityAnswers.push(text),
          () => {},
        );
      }
    });
    const response = await page.goto(demo.url, { waitUntil: 'load', timeout: WAIT_MS });
    pageHtml = (await response?.text()) ?? '';
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('serves the page on localhost, prints its URL, and keeps each vendor adapter a lazy chunk', async () => {
    assert.match(demo!.url, /^http:\/\/localhost:\d+\/$/);
    assert.ok(
      serverLog.some((line) => line.includes(demo!.url)),
      'the URL is in the start banner',
    );
    for (const vendor of VENDORS)
      assert.ok(
        serverLog.some((line) => line.includes(vendor) && line.includes('local stand-in')),
        `${vendor} runs locally`,
      );
    const app = await (await fetch(new URL('/build/app.js', demo!.url))).text();
    for (const vendor of VENDORS)
      assert.match(app, new RegExp(`import\\("\\./chunks/${vendor}-[\\w-]+\\.js"\\)`), `${vendor} is loaded on demand`);
    assert.ok(!app.includes('viewEmbedLoad'), 'no adapter code in the entry chunk');
  });

  it('brings all four embeds to state="ready" with their stand-in content', { timeout: 90_000 }, async () => {
    await waitIn(
      page,
      () =>
        [...document.querySelectorAll('embed-dashboard')].every((el) => el.getAttribute('state') === 'ready') &&
        document.querySelectorAll('embed-dashboard').length === 4,
      'every embed ready',
    );

    // Vizzly: its REAL client (built from the npm packages) shows its dashboard with the stand-in API's
    // data, as the secure filter of our signed data token lets it through (revenue >= 300).
    await waitIn(
      page,
      () => {
        const host = document.querySelector('embed-dashboard[vendor="vizzly"]');
        const vizzly = host?.querySelector('vizzly-dashboard') as HTMLElement | null | undefined;
        vizzly?.scrollIntoView(); // Vizzly draws a chart only once it is in view
        return /Total revenue/.test(vizzly?.innerText ?? '') && /\d\.\d\d/.test(vizzly?.innerText ?? '');
      },
      "Vizzly's own dashboard to render",
    );
    const vizzlyText = await page.evaluate(() => {
      const host = document.querySelector('embed-dashboard[vendor="vizzly"]')!;
      const vizzly = host.querySelector('vizzly-dashboard') as HTMLElement;
      return vizzly.innerText;
    });
    const visible = SALES_ROWS.filter((row) => (row['revenue'] as number) >= 300);
    const total = visible.reduce((sum, row) => sum + (row['revenue'] as number), 0);
    assert.match(vizzlyText, /Revenue by region/);
    assert.ok(
      vizzlyText.includes(`${total}.00`),
      `Vizzly shows the filtered total ${total}: ${vizzlyText.slice(0, 200)}`,
    );
    const vizzlyCalls = demo!.standins.vizzly.calls;
    const access = vizzlyCalls.find((call) => call.route === 'auth/dashboards/access');
    const data = vizzlyCalls.find((call) => call.route === 'create-results');
    assert.equal(access?.claims['userReference'], 'demo-user', 'Vizzly sent our signed dashboard token');
    assert.deepEqual(data?.claims['secureFilters'], { dts_sales: [{ field: 'revenue', op: '>=', value: 300 }] });

    // DataBrain: the plugin stand-in got the guest token and the DataBrain API stand-in accepted it.
    await waitIn(
      page,
      () => {
        const dbn = document.querySelector('embed-dashboard[vendor="databrain"]')?.querySelector('dbn-dashboard') as
          (Element & { standin?: { accepted: number } }) | null;
        return (dbn?.standin?.accepted ?? 0) >= 1;
      },
      'the DataBrain stand-in to accept its token',
    );
    const dbnText = await page.evaluate(
      () =>
        document.querySelector('embed-dashboard[vendor="databrain"]')!.querySelector('dbn-dashboard')!.shadowRoot!
          .textContent,
    );
    assert.match(dbnText ?? '', /demo-operations/);
    assert.match(dbnText ?? '', /token accepted/);

    // Formant: a cross-origin iframe that received viewEmbedLoad with a JWT.
    const formant = await frameWith('/demo/standins/formant-embed.html');
    assert.notEqual(new URL(formant.url()).origin, new URL(demo!.url).origin, 'the Formant embed is cross-origin');
    await waitIn(
      formant,
      () => (window as unknown as { formantStandin: { loads: unknown[] } }).formantStandin.loads.length === 1,
      'viewEmbedLoad',
    );
    const formantState = await formant.evaluate(() => {
      const state = (
        window as unknown as {
          formantStandin: { rejected: unknown[]; exp: number | null; loads: Array<{ viewId: string }> };
        }
      ).formantStandin;
      return {
        rejected: state.rejected,
        hasExp: typeof state.exp === 'number',
        viewId: state.loads[0]?.viewId,
        view: document.getElementById('view')?.textContent,
      };
    });
    assert.deepEqual(formantState, { rejected: [], hasExp: true, viewId: 'demo-fleet-view', view: 'demo-fleet-view' });

    // Looker: the cookieless login URL on the Looker origin, tokens exchanged, the dashboard ran.
    const looker = await lookerFrameThatRan('the Looker dashboard to run');
    assert.notEqual(new URL(looker.url()).origin, new URL(demo!.url).origin, 'the Looker embed is cross-origin');
    const lookerState = await looker.evaluate(() => {
      const state = (
        window as unknown as {
          lookerStandin: { valid: boolean; errors: string[]; rejected: unknown[]; target: string };
        }
      ).lookerStandin;
      return { valid: state.valid, errors: state.errors, rejected: state.rejected, target: state.target.split('?')[0] };
    });
    assert.deepEqual(lookerState, { valid: true, errors: [], rejected: [], target: '/embed/dashboards/42' });
  });

  it(
    'refreshes every embed: a second embed-token in each log, and the new token reaches the vendor embed',
    { timeout: 90_000 },
    async () => {
      // (No named helpers inside evaluated functions: tsx would wrap them in a __name() the page lacks.)
      const firstTokens = await page.evaluate(() => {
        const dbn = document.querySelector('embed-dashboard[vendor="databrain"]')!.querySelector('dbn-dashboard')!;
        // Marks Vizzly's element, to tell later that it was not replaced.
        const host = document.querySelector('embed-dashboard[vendor="vizzly"]')!;
        host.querySelector('vizzly-dashboard')!.id = 'vizzly-before-refresh';
        return { databrain: dbn.getAttribute('token') };
      });
      // Vizzly's tokens live 30 minutes (its client keeps each set for its 5-minute pull): refresh by hand.
      await page.click('section[data-vendor="vizzly"] [data-role="refresh"]');
      const formantFirst = await (
        await frameWith('/demo/standins/formant-embed.html')
      ).evaluate(() => (window as unknown as { formantStandin: { token: string } }).formantStandin.token);

      // Counted from the page's own log, as a visitor sees it.
      await waitIn(
        page,
        () =>
          ['vizzly', 'databrain', 'formant', 'looker'].every(
            (vendor) =>
              document.querySelectorAll(
                `section[data-vendor="${vendor}"] [data-role="log"] li[data-event="embed-token"]`,
              ).length >= 2,
          ),
        'a second embed-token event in every log',
      );

      // Vizzly: the refresh did not reload its dashboard (its next 5-minute pull takes the new tokens;
      // test/vendors/vizzly-real-client.test.ts shows that with Vizzly's own timer).
      const vizzlyNow = await page.evaluate(() => {
        const host = document.querySelector('embed-dashboard[vendor="vizzly"]')!;
        const vizzly = host.querySelector('vizzly-dashboard') as HTMLElement;
        return { id: vizzly.id, shows: /Total revenue/.test(vizzly.innerText) };
      });
      assert.deepEqual(vizzlyNow, { id: 'vizzly-before-refresh', shows: true }, 'the same Vizzly dashboard, still up');

      // DataBrain: the new token was set on the same <dbn-dashboard> and the API stand-in accepted it.
      await waitIn(
        page,
        () => {
          const dbn = document
            .querySelector('embed-dashboard[vendor="databrain"]')!
            .querySelector('dbn-dashboard') as Element & {
            standin: { tokens: string[]; lastAnswer: { status: number } | null };
          };
          return dbn.standin.tokens.length >= 2 && dbn.standin.lastAnswer?.status === 200;
        },
        'DataBrain to use its refreshed token',
      );
      const dbn = await page.evaluate(() => {
        const element = document
          .querySelector('embed-dashboard[vendor="databrain"]')!
          .querySelectorAll('dbn-dashboard');
        return { count: element.length, token: element[0]!.getAttribute('token') };
      });
      assert.equal(dbn.count, 1, 'the DataBrain element was updated in place, not replaced');
      assert.notEqual(dbn.token, firstTokens.databrain);

      // Formant: viewEmbedUpdate with a new JWT, in the same iframe.
      const formant = await frameWith('/demo/standins/formant-embed.html');
      await waitIn(
        formant,
        () => (window as unknown as { formantStandin: { updates: unknown[] } }).formantStandin.updates.length >= 1,
        'viewEmbedUpdate',
      );
      const formantState = await formant.evaluate(() => {
        const state = (
          window as unknown as { formantStandin: { token: string; loads: unknown[]; rejected: unknown[] } }
        ).formantStandin;
        return { token: state.token, loads: state.loads.length, rejected: state.rejected.length };
      });
      assert.notEqual(formantState.token, formantFirst);
      assert.deepEqual({ loads: formantState.loads, rejected: formantState.rejected }, { loads: 1, rejected: 0 });

      // Looker: the iframe's session:tokens:request got the refreshed (generate_tokens) tokens.
      const looker = await frameWith('/login/embed/');
      await waitIn(
        looker,
        () =>
          new Set(
            (window as unknown as { lookerStandin: { tokens: Array<{ api_token: string }> } }).lookerStandin.tokens.map(
              (t) => t.api_token,
            ),
          ).size >= 2,
        'Looker to receive a refreshed api_token',
      );
      const lookerState = await looker.evaluate(() => {
        const state = (
          window as unknown as { lookerStandin: { errors: string[]; rejected: unknown[]; expired: boolean } }
        ).lookerStandin;
        return { errors: state.errors, rejected: state.rejected, expired: state.expired };
      });
      assert.deepEqual(lookerState, { errors: [], rejected: [], expired: false });

      // The refreshes went through the server module to the vendor API stand-ins.
      const stats = demo!.standins.stats();
      assert.ok(
        (stats.databrain?.['guest-token/create'] ?? 0) >= 2,
        `DataBrain guest tokens: ${JSON.stringify(stats.databrain)}`,
      );
      assert.ok((stats.formant?.['login-embed'] ?? 0) >= 2, `Formant logins: ${JSON.stringify(stats.formant)}`);
      assert.ok((stats.looker?.['generate_tokens'] ?? 0) >= 1, `Looker: ${JSON.stringify(stats.looker)}`);
      assert.equal(stats.looker?.['acquire'], 1, 'one Looker session, refreshed in place');
      assert.equal(stats.looker?.['session started'], 1);

      // Nothing went wrong on the way: no error or expiry event, no page error.
      const bad = await page.evaluate(
        () => document.querySelectorAll('li[data-event="embed-error"], li[data-event="embed-expired"]').length,
      );
      assert.equal(bad, 0, 'no embed-error or embed-expired event');
      assert.deepEqual(pageProblems, []);
      const countdowns = await page.evaluate(() =>
        [...document.querySelectorAll('[data-role="countdown"]')].map((output) => output.textContent),
      );
      for (const text of countdowns) assert.match(text ?? '', /^\d+ s$/, 'each countdown shows the seconds left');
    },
  );

  it('comes back after a reload, rejoining the Looker session', { timeout: 90_000 }, async () => {
    pageProblems.length = 0;
    await page.reload({ waitUntil: 'load', timeout: WAIT_MS });
    await waitIn(
      page,
      () => document.querySelectorAll('embed-dashboard[state="ready"]').length === 4,
      'every embed ready again',
    );
    const looker = await lookerFrameThatRan('the Looker dashboard to run again');
    assert.deepEqual(
      await looker.evaluate(() => (window as unknown as { lookerStandin: { errors: string[] } }).lookerStandin.errors),
      [],
    );
    const stats = demo!.standins.stats().looker ?? {};
    assert.equal(stats['session started'], 1, 'no second Looker session');
    assert.equal(stats['session rejoined'], 1, 'the stored session reference was reused for the same browser');
    assert.deepEqual(pageProblems, []);
  });

  it('never lets a secret reach the browser or the server log', () => {
    const { databrain, formant, looker } = demo!.standins.credentials;
    const secrets = [databrain.apiToken, formant.password, looker.clientId, looker.clientSecret];
    const seen = [pageHtml, ...identityAnswers, ...serverLog].join('\n');
    assert.ok(identityAnswers.length >= 8, `identity answers seen: ${identityAnswers.length}`);
    for (const secret of secrets) assert.ok(!seen.includes(secret), 'a stand-in credential leaked');
    assert.doesNotMatch(
      seen,
      /"session_reference_token"|ref_[\w-]{20}/,
      'the Looker session reference stays on the server',
    );
  });
});
