// What the consumer tests share: a loopback server for a consumer's built page (static files and the
// identity endpoint answering Vizzly-shaped tokens), and Chromium opening that page until
// <embed-dashboard> is `ready`, with Vizzly's bundle answered by its stand-in.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { repoRoot } from '../../scripts/packed-consumer.mjs';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.map': 'application/json',
  '.json': 'application/json',
};
// The strict stand-in of Vizzly's bundle, answered in place of Vizzly's CDN (pages use the default
// `version`, as the README's snippets do); every other request off the loopback is refused.
const VIZZLY_STANDIN = join(repoRoot, 'demo/standins/vizzly-bundle.js');
const VIZZLY_CDN = 'https://static.app.vizzly.co/embedded/';

/** A Vizzly dashboard token whose payload is plain base64 (Vizzly decodes it with atob). */
function vizzlyToken(): string {
  const expires = new Date(Date.now() + 600_000).toISOString();
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64').replace(/=+$/, '');
  return `${part({ alg: 'ES256', typ: 'JWT' })}.${part({ accessType: 'standard', expires, userReference: 'u1' })}.c2ln`;
}

export interface ConsumerServer {
  url: string;
  /** Paths asked for, in order (identity POSTs as `POST /api/embed/identity`). */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `root` on 127.0.0.1 with the identity endpoint beside it. */
export async function serveConsumer(root: string): Promise<ConsumerServer> {
  const requests: string[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (request.method === 'POST' && path === '/api/embed/identity') {
      requests.push(`POST ${path}`);
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ vendor: 'vizzly', tokens: { dashboardAccessToken: vizzlyToken() }, expiresIn: 600 }),
      );
      return;
    }
    if (path === '/favicon.ico') return void response.writeHead(204).end();
    requests.push(path);
    const file =
      path === '/vizzly-bundle.js' ? VIZZLY_STANDIN : join(root, normalize(path === '/' ? '/index.html' : path));
    if (!file.startsWith(root) && file !== VIZZLY_STANDIN) return void response.writeHead(403).end();
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    // Chromium keeps idle and preconnected sockets open; close() alone waits for them (minutes).
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Opens `url` and waits until every `<embed-dashboard>` on it is `ready`. Resolves to what the page
 * logged as errors; rejects with the element's state, error message and the page's errors if not.
 */
export async function expectReady(browser: Browser, url: string, timeoutMs = 20_000): Promise<string[]> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const standin = await readFile(VIZZLY_STANDIN, 'utf8');
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const target = request.url();
    if (target.startsWith(VIZZLY_CDN)) {
      void request.respond({ status: 200, contentType: 'text/javascript', body: standin });
    } else if (target.startsWith('http://127.0.0.1:') || target.startsWith('data:')) void request.continue();
    else {
      errors.push(`refused a request off the loopback: ${target}`);
      void request.abort();
    }
  });
  try {
    await page.goto(url);
    await page.waitForFunction(
      () => {
        const elements = [...document.querySelectorAll('embed-dashboard')];
        return elements.length > 0 && elements.every((element) => element.getAttribute('state') === 'ready');
      },
      { timeout: timeoutMs, polling: 50 },
    );
    return errors;
  } catch (error) {
    const state = await page
      .evaluate(() => {
        const element = document.querySelector('embed-dashboard') as (HTMLElement & { error?: Error }) | null;
        if (!element) return 'no <embed-dashboard> in the page';
        const defined = customElements.get('embed-dashboard') ? 'defined' : 'not defined';
        return `${defined}, state=${element.getAttribute('state')}, error=${element.error?.message ?? 'none'}`;
      })
      .catch((cause: Error) => `page gone: ${cause.message}`);
    throw new Error(`${url} never reached ready (${state}); page errors: ${errors.join(' | ') || 'none'}`, {
      cause: error,
    });
  } finally {
    await page.close();
  }
}
