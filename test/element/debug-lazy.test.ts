// The debug log's words are a lazy chunk: a page whose elements never debug never downloads it.
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import './test-vendor.js';
import { ok, waitFor } from '../helpers/assert.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { captureConsoleInfo } from '../helpers/console-lines.js';
import { create, elementTestHooks, uniqueUrls } from './element-test-setup.js';

const uniqueUrl = uniqueUrls('debug-lazy');
// The page loads hundreds of dev-server modules: keep every resource entry (the default keeps 250).
performance.setResourceTimingBufferSize(100_000);
const loaded = (): boolean =>
  performance.getEntriesByType('resource').some((entry) => entry.name.includes('/src/debug/lines'));

describe('<embed-dashboard debug>: the lazy chunk', () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 12));
  const { has } = captureConsoleInfo();
  elementTestHooks();

  it('is fetched only once an element debugs, and what happened before comes out first', async () => {
    const url = uniqueUrl();
    mockIdentity(url, () => json({ vendor: 'test-vendor', tokens: { t: 'x' }, expiresIn: 600 }));
    const element = create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
    await waitFor(() => element.state === 'ready', 'ready');
    ok(!loaded(), 'no debug chunk without debug');
    element.debug = true;
    element.remove();
    await waitFor(() => has('unmounted'), 'the unmount line');
    ok(loaded(), `the chunk, once debug is on (${performance.getEntriesByType('resource').length} resources)`);
  });
});
