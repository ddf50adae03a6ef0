// Identity requests a page makes, counted at a loopback identity endpoint, in headless Chromium with
// the built package (dist/, bundled for the page by esbuild as an app's build would):
//   - 50 `<embed-dashboard>` elements with the same inputs (one key) in one page;
//   - 5 tabs (pages of one browser) with one element each, as they are (one session per tab), and
//     with `share="tabs"` when the build has that property (else: "not measured").
// Tokens live LIFETIME_S seconds, so the element refreshes them about every LIFETIME_S / 2 seconds; the
// bench waits until every element has received REFRESHES new token sets (its `embed-token` events) and
// stops, or gives up after a deadline. Per refresh = `action: "refresh"` requests / refreshes every element got.
//   npm run build && node --import tsx bench/embeds-requests.ts [--json]   (figures only; never fails on them)
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page } from 'puppeteer-core';
import { UNTHROTTLED_ARGS } from '../scripts/chromium-args.mjs';
import { launchChromium } from '../scripts/launch-chromium.mjs';

const LIFETIME_S = 10;
const REFRESHES = 3;
const DEADLINE_MS = 60_000;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

interface Scenario {
  name: string;
  dashboardId: string;
  pages: number;
  elementsPerPage: number;
  share?: 'tabs';
}
const SCENARIOS: Scenario[] = [
  { name: '50 embeds, one page, one key', dashboardId: 'd-embeds', pages: 1, elementsPerPage: 50 },
  { name: '5 tabs, one embed each (default)', dashboardId: 'd-tabs', pages: 5, elementsPerPage: 1 },
  { name: '5 tabs, share="tabs"', dashboardId: 'd-tabs-shared', pages: 5, elementsPerPage: 1, share: 'tabs' },
];

// The page: registers a do-nothing "bench" vendor (the bench counts requests, not a vendor's work)
// and adds the elements the query string asks for; `window.bench` is read by the bench.
const PAGE_SCRIPT = `
import '${dist}define.js';
import { registerVendor } from '${dist}index.js';
registerVendor('bench', async () => ({ mount: () => ({ update() {}, destroy() {} }) }));
const query = new URLSearchParams(location.search);
const count = Number(query.get('count'));
const share = query.get('share');
const supportsShare = customElements.get('embed-dashboard').elementProperties.has('share');
window.bench = { tokens: [], errors: [], supportsShare };
if (!share || supportsShare) {
  for (let i = 0; i < count; i += 1) {
    const element = document.createElement('embed-dashboard');
    element.setAttribute('vendor', 'bench');
    element.setAttribute('identity-url', '/identity');
    element.setAttribute('dashboard-id', query.get('dashboard'));
    if (share) element.setAttribute('share', share);
    window.bench.tokens.push(0);
    element.addEventListener('embed-token', () => (window.bench.tokens[i] += 1));
    element.addEventListener('embed-error', (event) => window.bench.errors.push(event.detail.code));
    document.body.append(element);
  }
}
`;

/** An unsigned JWT-shaped token expiring in LIFETIME_S: the element reads only its `exp`. */
function token(serial: number): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + LIFETIME_S;
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'bench-user', exp, serial })}.x`;
}

/** The loopback server: the page, its script, and an identity endpoint that logs every request. */
async function startServer(script: string): Promise<{ url: string; log: Map<string, Requests>; close(): void }> {
  const log = new Map<string, Requests>();
  let serial = 0;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/identity' && request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () => {
        const { dashboardId, action } = JSON.parse(body) as { dashboardId: string; action?: string };
        const counts = log.get(dashboardId) ?? { first: 0, refresh: 0, other: 0 };
        counts[action === undefined ? 'first' : action === 'refresh' ? 'refresh' : 'other'] += 1;
        log.set(dashboardId, counts);
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(
          JSON.stringify({ vendor: 'bench', tokens: { token: token((serial += 1)) }, expiresIn: LIFETIME_S }),
        );
      });
    } else if (path === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (path === '/') {
      const html = '<!doctype html><title>bench</title><script type="module" src="/page.js"></script>';
      response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, log, close: () => server.close() };
}

/** Identity requests of one key: the first of a session (no action), refreshes, anything else. */
interface Requests {
  first: number;
  refresh: number;
  other: number;
}

interface Result {
  name: string;
  measured: boolean;
  requests?: Requests;
  perRefresh?: number | null;
  tokensPerElement?: { min: number; max: number };
  errors?: string[];
}

async function main(): Promise<void> {
  if (!existsSync(`${dist}define.js`)) throw new Error('dist/ is missing: run `npm run build` first.');
  const bundled = await build({
    stdin: { contents: PAGE_SCRIPT, resolveDir: dist, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const server = await startServer(bundled.outputFiles[0]!.text);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(UNTHROTTLED_ARGS);
    const opened: { scenario: Scenario; pages: Page[] }[] = [];
    // All scenarios run at once, each on its own dashboard id (its own key): one wait for all of them.
    for (const scenario of SCENARIOS) {
      const pages: Page[] = [];
      for (let i = 0; i < scenario.pages; i += 1) {
        const page = await browser.newPage();
        const query = new URLSearchParams({ count: String(scenario.elementsPerPage), dashboard: scenario.dashboardId });
        if (scenario.share) query.set('share', scenario.share);
        await page.goto(`${server.url}?${query}`);
        pages.push(page);
      }
      opened.push({ scenario, pages });
    }
    const supportsShare = await opened[0]!.pages[0]!.evaluate(() => (window as any).bench.supportsShare as boolean);
    const readState = (page: Page) =>
      page.evaluate(() => (window as any).bench as { tokens: number[]; errors: string[] });
    // Each scenario is read the moment all its elements have had REFRESHES refreshes (or at the deadline).
    const results = new Map<Scenario, Result>();
    const deadline = Date.now() + DEADLINE_MS;
    while (results.size < opened.length) {
      const late = Date.now() > deadline;
      for (const { scenario, pages } of opened) {
        if (results.has(scenario)) continue;
        if (scenario.share && !supportsShare) {
          results.set(scenario, { name: scenario.name, measured: false });
          continue;
        }
        const states = await Promise.all(pages.map(readState));
        const tokens = states.flatMap((state) => state.tokens);
        if (Math.min(...tokens) < 1 + REFRESHES && !late) continue;
        const requests = { ...(server.log.get(scenario.dashboardId) ?? { first: 0, refresh: 0, other: 0 }) };
        results.set(scenario, {
          name: scenario.name,
          measured: true,
          requests,
          // Every element got this many new sets; without one refresh there is nothing to divide by.
          perRefresh: Math.min(...tokens) > 1 ? requests.refresh / (Math.min(...tokens) - 1) : null,
          tokensPerElement: { min: Math.min(...tokens), max: Math.max(...tokens) },
          errors: states.flatMap((state) => state.errors),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    print(SCENARIOS.map((scenario) => results.get(scenario)!));
  } finally {
    await browser?.close();
    server.close();
  }
}

function print(results: Result[]): void {
  console.log(`Identity requests (tokens living ${LIFETIME_S} s, ${REFRESHES} refreshes watched, built dist/):`);
  for (const result of results) {
    if (!result.measured) {
      console.log(`  ${result.name.padEnd(34)} not measured (this build has no share property)`);
      continue;
    }
    const { min, max } = result.tokensPerElement!;
    const { first, refresh, other } = result.requests!;
    const perRefresh =
      result.perRefresh === null
        ? 'not measured (no refresh seen)'
        : `${result.perRefresh!.toFixed(2)} requests per refresh`;
    const errors = result.errors!.length ? `; errors: ${result.errors!.join(', ')}` : '';
    console.log(
      `  ${result.name.padEnd(34)} ${perRefresh} (${refresh} refresh + ${first} first requests${other ? `, ${other} others` : ''}); ` +
        `token sets per element ${min}–${max} (want ${1 + REFRESHES})${errors}`,
    );
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify({ embedsRequests: results }));
}

await main();
