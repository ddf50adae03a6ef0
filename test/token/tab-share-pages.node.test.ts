// Cross-tab sharing for real: five pages of one origin in one Chromium, each with a token session
// shared across tabs (fixtures/tab-share-page.ts), against a loopback identity endpoint that counts
// requests. Tokens live 4 s and the schedule refreshes 2 s before expiry, so a refresh comes every
// 2 s: five tabs must make ONE request per refresh; the refreshing tab closed (or frozen) in the
// middle of its request must not leave any tab without tokens.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { type Browser, type Page } from 'puppeteer-core';
import { UNTHROTTLED_ARGS } from '../../scripts/chromium-args.mjs';
import { launchChromium } from '../../scripts/launch-chromium.mjs';

const TTL_SECONDS = 4;
const TABS = 5;
// Generous for a loaded 2-core machine; a pass takes a few seconds.
const WAIT_MS = 20_000;
const fixture = (name: string): string => new URL(`./fixtures/${name}`, import.meta.url).pathname;

interface PageState {
  sharing: boolean;
  seen: string[];
  current: string | null;
  errors: string[];
  expired: number;
}

/** The identity endpoint: counts requests, names each token set by its number, can hold one. */
class Endpoint {
  requests: { tab: string; n: number }[] = [];
  /** When set, the next request is held unanswered and reported here. */
  holdNext: ((tab: string) => void) | null = null;
  readonly #held: ServerResponse[] = [];

  handle(request: IncomingMessage, response: ServerResponse): void {
    const n = this.requests.length + 1;
    const tab = String(request.headers['x-tab']);
    this.requests.push({ tab, n });
    request.resume();
    if (this.holdNext) {
      const report = this.holdNext;
      this.holdNext = null;
      this.#held.push(response);
      report(tab);
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({ vendor: 'vizzly', tokens: { dashboardAccessToken: `t${n}` }, expiresIn: TTL_SECONDS }),
    );
  }

  close(): void {
    for (const response of this.#held.splice(0)) response.destroy();
  }
}

let server: Server;
let origin: string;
let browser: Browser;
const endpoint = new Endpoint();
const problems: string[] = [];

async function openTab(tab: string, query = ''): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => problems.push(`tab ${tab}: ${(error as Error).message}`));
  await page.goto(`${origin}/?tab=${tab}${query}`);
  return page;
}

const state = (page: Page): Promise<PageState> =>
  page.evaluate(() => {
    const { sharing, seen, current, errors, expired } = (window as unknown as { tabShare: PageState }).tabShare;
    return { sharing, seen, current, errors, expired };
  });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, `waited ${WAIT_MS} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const number = (token: string | null): number => Number(token?.slice(1) ?? 0);

describe('cross-tab sharing: five pages in one Chromium', () => {
  before(async () => {
    const bundle = await build({
      entryPoints: [fixture('tab-share-page.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.text;
    const html = readFileSync(fixture('tab-share.html'), 'utf8');
    server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path === '/api/identity' && request.method === 'POST') return endpoint.handle(request, response);
      const [type, body] = path === '/page.js' ? ['text/javascript', script] : ['text/html', html];
      response.writeHead(path === '/' || path === '/page.js' ? 200 : 404, { 'content-type': type });
      response.end(body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium(UNTHROTTLED_ARGS);
  });

  after(async () => {
    endpoint.close();
    await browser?.close();
    server?.closeAllConnections();
    server?.close();
  });

  it('five tabs make one identity request per refresh, and each tab gets every token set', async () => {
    const pages: Page[] = [];
    for (let tab = 1; tab <= TABS; tab++) pages.push(await openTab(String(tab)));
    const states = (): Promise<PageState[]> => Promise.all(pages.map(state));
    await until(async () => (await states()).every((s) => s.current !== null), 'tokens in every tab');
    assert.ok(
      (await states()).every((s) => s.sharing),
      'every tab shares (BroadcastChannel and Web Locks)',
    );
    // Two refreshes after all five are up.
    const target = endpoint.requests.length + 2;
    await until(async () => (await states()).every((s) => number(s.current) >= target), `every tab at t${target}`);
    const final = await states();
    assert.equal(endpoint.requests.length, target, 'one request per refresh for all five tabs');
    for (const s of final) {
      assert.equal(s.current, `t${target}`);
      // Every token set since the tab joined, each once, in order: taken from the tab that fetched.
      const numbers = s.seen.map(number);
      const first = numbers[0]!;
      assert.deepEqual(
        numbers,
        Array.from({ length: target - first + 1 }, (_, i) => first + i),
      );
      assert.equal(s.expired, 0);
      assert.deepEqual(s.errors, []);
    }
    assert.deepEqual(problems, []);
    for (const page of pages) await page.close();
  });

  /** Opens the tabs (`prefix`1…) and waits for tokens in each, then for the tab whose next refresh the endpoint holds. */
  async function tabsWithHeldRefresh(prefix: string, query = '') {
    const pages = new Map<string, Page>();
    for (let tab = 1; tab <= TABS; tab++) pages.set(`${prefix}${tab}`, await openTab(`${prefix}${tab}`, query));
    await until(
      async () => (await Promise.all([...pages.values()].map(state))).every((s) => s.current !== null),
      'tokens in every tab',
    );
    const heldBy = await new Promise<string>((resolve) => (endpoint.holdNext = resolve));
    const holder = pages.get(heldBy)!;
    pages.delete(heldBy);
    return { holder, rest: [...pages.values()], before: endpoint.requests.length };
  }

  /** Checks that one other tab fetched in the held tab's place and every tab in `rest` took its answer, none expired. */
  async function expectTakeover(rest: Page[], before: number) {
    await until(async () => endpoint.requests.length > before, 'another tab fetching');
    const fresh = `t${endpoint.requests.length}`;
    await until(
      async () => (await Promise.all(rest.map(state))).every((s) => s.seen.includes(fresh)),
      `${fresh} everywhere`,
    );
    assert.equal(endpoint.requests.length, before + 1, 'one tab took over, the others took its answer');
    for (const s of await Promise.all(rest.map(state))) {
      assert.equal(s.expired, 0, 'no tab held expired tokens');
      assert.deepEqual(s.errors, []);
    }
  }

  it('the refreshing tab closed mid-request: another tab fetches and no tab runs out of tokens', async () => {
    const { holder, rest, before } = await tabsWithHeldRefresh('c');
    await holder.close();
    await expectTakeover(rest, before);
    for (const page of rest) await page.close();
  });

  it('the refreshing tab frozen mid-request: the others wait for it lockTimeoutMs at most', async () => {
    // Tokens live 4 s, refreshed 2.5 s before expiry: the frozen tab's lock is given up after 1 s.
    const { holder, rest, before } = await tabsWithHeldRefresh('f', '&lockTimeoutMs=1000&marginMs=2500');
    const debugger_ = await holder.createCDPSession();
    await debugger_.send('Debugger.enable');
    await debugger_.send('Debugger.pause');
    await expectTakeover(rest, before);
    await debugger_.send('Debugger.resume');
    await debugger_.detach();
    for (const page of [...rest, holder]) await page.close();
  });
});
