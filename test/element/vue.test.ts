// <embed-dashboard> inside a Vue 3 app, in both Vue builds: render functions and templates,
// properties, events, reactive changes and unmounting, as the README's Vue notes promise.
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import './test-vendor.js';
import type { EmbedDashboard } from '../../src/element/embed-dashboard.js';
import { liveSessionCount } from '../../src/token/registry.js';
import { deepEqual, equal, ok, waitFor } from '../helpers/assert.js';
import { settle } from '../helpers/fake-clock.js';
import { BUILDS, loadVue, type VueApp, type VueModule } from '../helpers/frameworks.js';
import { mockIdentity } from '../helpers/identity-mock.js';
import { CONTEXT, elementTestHooks, expectTornDown, ok600, OPTIONS, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('vue');

for (const build of BUILDS) {
  describe(`<embed-dashboard> in Vue 3 (${build} build)`, () => {
    let Vue: VueModule;
    let apps: VueApp[] = [];
    let warnings: string[] = [];

    /** Mounts `root` on a fresh container, collecting Vue's warnings (development build only). */
    function mountApp(
      root: Record<string, unknown>,
      configure: (app: VueApp) => void = () => {},
    ): { app: VueApp; container: HTMLElement } {
      const container = document.createElement('div');
      document.body.append(container);
      const app = Vue.createApp(root);
      app.config.warnHandler = (message) => warnings.push(message);
      configure(app);
      app.mount(container);
      apps.push(app);
      return { app, container };
    }

    const find = (container: HTMLElement, selector = 'embed-dashboard'): EmbedDashboard =>
      container.querySelector(selector)!;

    elementTestHooks({
      before: async () => {
        Vue = await loadVue(build);
      },
      beforeEach: () => {
        warnings = [];
      },
      mounted: () => apps,
    });

    it('h(): properties for context and options, attributes for the rest, onEmbedReady hears embed-ready', async () => {
      const url = uniqueUrl();
      const seen = mockIdentity(url, () => ok600('vue'));
      const ready: unknown[] = [];
      const other: string[] = [];
      const { container } = mountApp({
        render: () =>
          Vue.h('embed-dashboard', {
            vendor: 'test-vendor',
            'identity-url': url,
            'dashboard-id': 'd1',
            context: CONTEXT,
            options: OPTIONS,
            // Vue turns the name after `on` to kebab-case: onEmbedReady listens for `embed-ready`.
            onEmbedReady: (event: CustomEvent) => ready.push(event.detail),
            // …so `onEmbedready` waits for `embedready`, which never comes.
            onEmbedready: () => other.push('embedready'),
          }),
      });
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'ready');
      await settle();
      equal(seen.length, 1, 'identity requests');
      deepEqual(seen[0]!.body, { vendor: 'test-vendor', dashboardId: 'd1', context: { region: 'eu' } });
      equal(element.hasAttribute('context'), false, 'no context attribute');
      equal(element.getAttribute('identity-url'), url, 'identity-url stays an attribute');
      deepEqual(record.contexts[0]!.options, { theme: 'dark' });
      deepEqual(ready, [{ vendor: 'test-vendor' }]);
      deepEqual(other, []);
      equal(element.querySelector('.test-embed')?.textContent, 'vue');
      deepEqual(warnings, []);
    });

    it('a reactive dashboard-id change re-mounts once with the new id; other changes do not', async () => {
      const url = uniqueUrl();
      const seen = mockIdentity(url, (body) => ok600(String(body.dashboardId)));
      const dashboardId = Vue.ref('d1');
      const label = Vue.ref('a');
      const { container } = mountApp({
        render: () =>
          Vue.h('div', { 'data-label': label.value }, [
            Vue.h('embed-dashboard', {
              vendor: 'test-vendor',
              'identity-url': url,
              'dashboard-id': dashboardId.value,
              context: CONTEXT,
              options: OPTIONS,
            }),
          ]),
      });
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'first ready');
      label.value = 'b';
      await Vue.nextTick();
      await settle();
      equal(container.firstElementChild!.getAttribute('data-label'), 'b', 'the parent re-rendered');
      equal(record.mounts, 1, 'an unrelated change keeps the embed');
      dashboardId.value = 'd2';
      await Vue.nextTick();
      equal(find(container), element, 'Vue kept the same element');
      await waitFor(() => record.mounts === 2 && element.state === 'ready', 'ready with d2');
      await settle();
      equal(record.destroys, 1);
      equal(record.contexts[1]!.dashboardId, 'd2');
      equal(seen.length, 2);
      equal(seen[1]!.body.dashboardId, 'd2');
      deepEqual(warnings, []);
    });

    it('app.unmount() destroys the embed a microtask later and releases its session after it', async () => {
      const url = uniqueUrl();
      mockIdentity(url, () => ok600());
      const before = liveSessionCount();
      const { app, container } = mountApp({
        render: () => Vue.h('embed-dashboard', { vendor: 'test-vendor', 'identity-url': url, context: CONTEXT }),
      });
      const element = find(container);
      await waitFor(() => element.state === 'ready', 'ready');
      equal(liveSessionCount(), before + 1, 'one live session');
      app.unmount();
      apps = apps.filter((a) => a !== app);
      ok(!element.isConnected, 'the element left the page');
      await expectTornDown(before);
    });

    it('template with isCustomElement: `:context.prop` and plain `:context` both set the property; @embed-ready fires', async () => {
      const urlA = uniqueUrl();
      const urlB = uniqueUrl();
      const seenA = mockIdentity(urlA, () => ok600());
      const seenB = mockIdentity(urlB, () => ok600());
      const ready: string[] = [];
      const { container } = mountApp(
        {
          setup: () => ({
            urlA,
            urlB,
            context: CONTEXT,
            onReady: (event: Event) => ready.push((event.target as HTMLElement).id),
          }),
          template: `
          <embed-dashboard id="a" vendor="test-vendor" :identity-url="urlA" dashboard-id="d1" :context.prop="context" @embed-ready="onReady"></embed-dashboard>
          <embed-dashboard id="b" vendor="test-vendor" :identity-url="urlB" dashboard-id="d1" :context="context" @embed-ready="onReady"></embed-dashboard>`,
        },
        (app) => {
          app.config.compilerOptions.isCustomElement = (tag) => tag === 'embed-dashboard';
        },
      );
      const a = find(container, '#a');
      const b = find(container, '#b');
      await waitFor(() => a.state === 'ready' && b.state === 'ready', 'both ready');
      await settle();
      for (const [seen, element] of [
        [seenA, a],
        [seenB, b],
      ] as const) {
        equal(seen.length, 1, `${element.id}: identity requests`);
        deepEqual(seen[0]!.body.context, { region: 'eu' }, `${element.id}: context`);
        equal(element.hasAttribute('context'), false, `${element.id}: no context attribute`);
      }
      deepEqual(ready.sort(), ['a', 'b']);
      deepEqual(warnings, []);
    });
  });
}
