// The consumer matrix, part 2: a Next.js App Router app (the packed package, the React wrapper in a
// client component), `next build` as a static export, served from loopback; the page reaches `ready`
// in Chromium with one identity request. Next comes from this repo's devDependencies.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { createConsumer, repoRoot } from '../../scripts/packed-consumer.mjs';
import { launchChromium } from '../../scripts/launch-chromium.mjs';
import { expectReady, serveConsumer } from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(() => browser?.close());

const PAGE = `'use client';
import { EmbedDashboard } from 'embed-dashboard/react';

export default function Page() {
  return <EmbedDashboard vendor="vizzly" identityUrl="/api/embed/identity" dashboardId="dsh_1" />;
}
`;
const LAYOUT = `export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`;

test('Next.js App Router: next build (static export) of a page using embed-dashboard/react', async () => {
  const app = createConsumer('next', {
    dependencies: ['next', 'react', 'react-dom'],
    files: {
      'app/page.jsx': PAGE,
      'app/layout.jsx': LAYOUT,
      'next.config.mjs': `export default { output: 'export' };\n`,
    },
  });
  try {
    const result = spawnSync(
      process.execPath,
      [join(repoRoot, 'node_modules/next/dist/bin/next'), 'build', '--webpack'],
      {
        cwd: app.dir,
        encoding: 'utf8',
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', CI: '1' },
      },
    );
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    const server = await serveConsumer(join(app.dir, 'out'));
    try {
      await expectReady(browser, `${server.url}/`);
      assert.equal(server.requests.filter((path) => path.startsWith('POST')).length, 1, 'one identity request');
    } finally {
      await server.close();
    }
  } finally {
    app.remove();
  }
});
