// Browser tests run in real headless Chromium (Debian's, a local Chrome, or CHROME_PATH).
import { readFile } from 'node:fs/promises';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { defaultReporter } from '@web/test-runner';
import { frameworkBundles } from './test/helpers/framework-bundles.mjs';
import { vizzlyRealClient } from './test/helpers/vizzly-real-client.mjs';
import { formantSdkStandin } from './test/vendors/formant-sdk-server.mjs';
import { lookerHttps } from './test/vendors/looker-https-plugin.mjs';
import { CHROMIUM_ARGS, UNTHROTTLED_ARGS } from './scripts/chromium-args.mjs';

const executablePath = process.env.CHROME_PATH || undefined;

// msw's worker unregisters itself when the last page it controls closes. Test pages open and close side
// by side, so a page opening just then loads uncontrolled and its requests reach the network (a 404)
// instead of its handlers. Served here without that step: the worker lives for the whole run.
const SELF_UNREGISTER = 'self.registration.unregister()';
const workerFile = await readFile(new URL('./test/mockServiceWorker.js', import.meta.url), 'utf8');
if (!workerFile.includes(SELF_UNREGISTER)) throw new Error('test/mockServiceWorker.js changed: review its patch here');
const workerSource = workerFile.replace(SELF_UNREGISTER, 'void 0 /* stays registered for the whole run */');
function mockServiceWorker(ctx, next) {
  if (ctx.path !== '/mockServiceWorker.js') return next();
  ctx.type = 'application/javascript';
  ctx.body = workerSource;
}
// @formant/data-sdk bundled at start, and the Formant API call it makes (test/vendors/formant-sdk.test.ts).
const formantSdk = formantSdkStandin();
// Looker's official embed SDK loads only https://<host>: a local https Looker host for its tests.
const looker = await lookerHttps();

export default {
  // Files named *.node.test.ts run in Node instead (scripts/test.mjs).
  files: ['test/**/*.test.ts', '!test/**/*.node.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  // frameworkBundles: React and Vue as ES modules at /__bundles/*.js (test/element/react|vue.test.ts).
  plugins: [
    frameworkBundles(),
    formantSdk.plugin,
    looker.plugin,
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
  ],
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  // msw's worker must be served from the root or it intercepts nothing.
  middleware: [
    // Vizzly's real client and this package's own identity endpoint (test/vendors/vizzly-real-client.test.ts).
    vizzlyRealClient(),
    mockServiceWorker,
    formantSdk.middleware,
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          ...CHROMIUM_ARGS,
          // Test pages run side by side; a page in a background tab must not have its timers throttled.
          ...UNTHROTTLED_ARGS,
          // gc() for the tests that check a session's requests leave nothing behind.
          '--js-flags=--expose-gc',
          ...looker.chromeArgs,
        ],
      },
    }),
  ],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter()],
};
