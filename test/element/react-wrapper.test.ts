// `embed-dashboard/react` (src/react.ts, made with @lit/react) in React 18 and React 19: props become
// properties, `onEmbed*` props become listeners, StrictMode makes one identity request, unmounting
// releases everything. React 18 cannot do any of this with the bare element; the wrapper can.
import '../helpers/mocha-globals.js';
import './test-vendor.js';
import type { EmbedDashboard } from '../../src/element/embed-dashboard.js';
import { liveSessionCount } from '../../src/token/registry.js';
import { deepEqual, equal, ok, waitFor } from '../helpers/assert.js';
import { settle } from '../helpers/fake-clock.js';
import type { ReactModule, ReactRoot } from '../helpers/frameworks.js';
import { json, mockIdentity } from '../helpers/identity-mock.js';
import { CONTEXT, elementTestHooks, expectTornDown, ok600, OPTIONS, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('react-wrapper');

/** React and the wrapper from one bundle, so both use the same React. */
type WrapperModule = ReactModule & { EmbedDashboard: unknown; version?: string };

for (const major of [18, 19] as const) {
  describe(`embed-dashboard/react in React ${major} (development build)`, () => {
    let React: WrapperModule;
    let roots: ReactRoot[] = [];

    function mountRoot() {
      const container = document.createElement('div');
      document.body.append(container);
      const root = React.createRoot(container);
      roots.push(root);
      const render = (node: ReturnType<ReactModule['createElement']>) => React.flushSync(() => root.render(node));
      return { root, container, render };
    }
    const strict = (props: Record<string, unknown>) =>
      React.createElement(React.StrictMode, null, React.createElement(React.EmbedDashboard, props));
    const find = (container: HTMLElement): EmbedDashboard => container.querySelector('embed-dashboard')!;

    elementTestHooks({
      before: async () => {
        const path = major === 18 ? '/__bundles/react18-wrapper.js' : '/__bundles/react-wrapper.js';
        React = (await import(path as string)) as WrapperModule;
        equal(React.version?.split('.')[0], String(major), 'the React under test');
      },
      mounted: () => roots,
    });

    it('StrictMode: one identity request; context and options arrive as objects; onEmbedReady and onEmbedToken fire once', async () => {
      const url = uniqueUrl();
      const seen = mockIdentity(url, () => ok600('wrapped'));
      const calls = { ready: 0, token: 0 };
      let readyDetail: unknown;
      const { container, render } = mountRoot();
      render(
        strict({
          vendor: 'test-vendor',
          identityUrl: url,
          dashboardId: 'd1',
          context: CONTEXT,
          options: OPTIONS,
          onEmbedReady: (event: CustomEvent) => {
            calls.ready += 1;
            readyDetail = event.detail;
          },
          onEmbedToken: () => {
            calls.token += 1;
          },
        }),
      );
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'ready');
      await settle();
      equal(seen.length, 1, 'identity requests');
      deepEqual(seen[0]!.body, { vendor: 'test-vendor', dashboardId: 'd1', context: { region: 'eu' } });
      equal(element.hasAttribute('context'), false, 'context set as a property, not an attribute');
      deepEqual(record.contexts[0]!.options, { theme: 'dark' });
      deepEqual(calls, { ready: 1, token: 1 });
      deepEqual(readyDetail, { vendor: 'test-vendor' });
    });

    it('onEmbedError gets the typed error of a 401', async () => {
      const url = uniqueUrl();
      mockIdentity(url, () => json({ error: { code: 'unauthenticated', message: 'Sign in first.' } }, { status: 401 }));
      const errors: { code: string; status?: number }[] = [];
      const { container, render } = mountRoot();
      render(
        strict({ vendor: 'test-vendor', identityUrl: url, onEmbedError: (e: CustomEvent) => errors.push(e.detail) }),
      );
      await waitFor(() => find(container).state === 'error', 'error state');
      await settle();
      equal(errors.length, 1, 'one embed-error');
      equal(errors[0]!.code, 'http');
      equal(errors[0]!.status, 401);
    });

    it('unmounting destroys the embed and releases the session', async () => {
      const url = uniqueUrl();
      mockIdentity(url, () => ok600());
      const before = liveSessionCount();
      const { root, container, render } = mountRoot();
      render(strict({ vendor: 'test-vendor', identityUrl: url, context: CONTEXT }));
      await waitFor(() => find(container).state === 'ready', 'ready');
      root.unmount();
      roots = roots.filter((item) => item !== root);
      await expectTornDown(before);
      ok(!container.querySelector('embed-dashboard'));
    });
  });
}
