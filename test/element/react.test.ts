// <embed-dashboard> inside a React 19 app, in both React builds: properties, events, StrictMode,
// re-renders and unmounting, as the README's React notes promise.
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import './test-vendor.js';
import type { EmbedDashboard } from '../../src/element/embed-dashboard.js';
import { liveSessionCount } from '../../src/token/registry.js';
import { deepEqual, equal, ok, waitFor } from '../helpers/assert.js';
import { settle } from '../helpers/fake-clock.js';
import { BUILDS, loadReact, type ReactModule, type ReactRoot } from '../helpers/frameworks.js';
import { mockIdentity } from '../helpers/identity-mock.js';
import { CONTEXT, elementTestHooks, expectTornDown, ok600, OPTIONS, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('react');

for (const build of BUILDS) {
  describe(`<embed-dashboard> in React 19 (${build} build)`, () => {
    let React: ReactModule;
    let roots: ReactRoot[] = [];

    /** A root on a fresh container; `render` commits synchronously so tests see the DOM at once. */
    function mountRoot(): {
      root: ReactRoot;
      container: HTMLElement;
      render(node: ReturnType<ReactModule['createElement']>): void;
    } {
      const container = document.createElement('div');
      document.body.append(container);
      const root = React.createRoot(container);
      roots.push(root);
      return { root, container, render: (node) => React.flushSync(() => root.render(node)) };
    }

    const strict = (child: ReturnType<ReactModule['createElement']>) =>
      React.createElement(React.StrictMode, null, child);
    const find = (container: HTMLElement): EmbedDashboard => container.querySelector('embed-dashboard')!;

    elementTestHooks({
      before: async () => {
        React = await loadReact(build);
      },
      mounted: () => roots,
    });

    it('in StrictMode: reaches ready with one identity request; context and options arrive as objects', async () => {
      const url = uniqueUrl();
      const seen = mockIdentity(url, () => ok600('react'));
      let effectRuns = 0;
      function Probe() {
        React.useEffect(() => {
          effectRuns += 1;
        }, []);
        return React.createElement('embed-dashboard', {
          vendor: 'test-vendor',
          'identity-url': url,
          'dashboard-id': 'd1',
          context: CONTEXT,
          options: OPTIONS,
        });
      }
      const { container, render } = mountRoot();
      render(strict(React.createElement(Probe)));
      // StrictMode really was in force: development runs each effect twice (mount, unmount, mount).
      equal(effectRuns, build === 'development' ? 2 : 1, 'effect runs');
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'ready');
      await settle();
      equal(seen.length, 1, 'identity requests');
      // React set `context` as a property: the body has the object, not "[object Object]".
      deepEqual(seen[0]!.body, { vendor: 'test-vendor', dashboardId: 'd1', context: { region: 'eu' } });
      equal(element.hasAttribute('context'), false, 'no context attribute');
      deepEqual(record.contexts[0]!.options, { theme: 'dark' });
      equal(record.mounts, 1);
      equal(record.destroys, 0);
      equal(element.querySelector('.test-embed')?.textContent, 'react');
    });

    it('events: an `onembed-ready` prop (event name as written) and a ref listener both fire once', async () => {
      const url = uniqueUrl();
      mockIdentity(url, () => ok600());
      const calls: Record<string, number> = { hyphenProp: 0, tokenProp: 0, ref: 0, lowerProp: 0, camelProp: 0 };
      let detail: unknown;
      const count = (name: string) => () => {
        calls[name] = (calls[name] ?? 0) + 1;
      };
      function WithListeners() {
        const ref = React.useRef<HTMLElement | null>(null);
        React.useEffect(() => {
          const element = ref.current!;
          const onReady = (event: Event) => {
            calls.ref! += 1;
            detail = (event as CustomEvent).detail;
          };
          element.addEventListener('embed-ready', onReady);
          return () => element.removeEventListener('embed-ready', onReady);
        }, []);
        return React.createElement('embed-dashboard', {
          ref,
          vendor: 'test-vendor',
          'identity-url': url,
          'onembed-ready': count('hyphenProp'),
          'onembed-token': count('tokenProp'),
          // React 19 listens for the name after `on`, case kept: these wait for `embedready` and
          // `EmbedReady`, which never come.
          onembedready: count('lowerProp'),
          onEmbedReady: count('camelProp'),
        });
      }
      const { container, render } = mountRoot();
      render(strict(React.createElement(WithListeners)));
      await waitFor(() => find(container).state === 'ready', 'ready');
      await settle();
      deepEqual(calls, { hyphenProp: 1, tokenProp: 1, ref: 1, lowerProp: 0, camelProp: 0 });
      deepEqual(detail, { vendor: 'test-vendor' });
    });

    it('a new dashboard-id re-mounts once with the new id; an unchanged re-render does nothing', async () => {
      const url = uniqueUrl();
      const seen = mockIdentity(url, (body) => ok600(String(body.dashboardId)));
      const view = (dashboardId: string) =>
        strict(
          React.createElement('embed-dashboard', {
            vendor: 'test-vendor',
            'identity-url': url,
            'dashboard-id': dashboardId,
            context: CONTEXT,
            options: OPTIONS,
          }),
        );
      const { container, render } = mountRoot();
      render(view('d1'));
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'first ready');
      render(view('d1'));
      await settle();
      equal(record.mounts, 1, 'an identical re-render keeps the embed');
      render(view('d2'));
      equal(find(container), element, 'React kept the same element');
      await waitFor(() => record.mounts === 2 && element.state === 'ready', 'ready with d2');
      await settle();
      equal(record.destroys, 1);
      equal(record.mounts, 2);
      equal(record.contexts[1]!.dashboardId, 'd2');
      equal(seen.length, 2);
      equal(seen[1]!.body.dashboardId, 'd2');
      equal(element.querySelector('.test-embed')?.textContent, 'd2');
    });

    it('unmounting the root destroys the embed a microtask later and releases its session after it', async () => {
      const url = uniqueUrl();
      mockIdentity(url, () => ok600());
      const before = liveSessionCount();
      const { root, container, render } = mountRoot();
      render(
        strict(
          React.createElement('embed-dashboard', { vendor: 'test-vendor', 'identity-url': url, context: CONTEXT }),
        ),
      );
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'ready');
      equal(liveSessionCount(), before + 1, 'one live session');
      root.unmount();
      roots = roots.filter((r) => r !== root);
      ok(!element.isConnected, 'the element left the page');
      await expectTornDown(before);
    });
  });
}
