// A web-test-runner plugin that serves React and Vue to browser tests as ES modules. React 19 ships
// only CommonJS, which the dev server cannot hand to the browser, so it is bundled with esbuild on
// first request (and kept in memory); Vue ships browser-ready ES builds, served as they are.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleBrowserModule } from './browser-module.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

// Everything the tests use from React, as named exports (esbuild converts the CommonJS for us).
const REACT_ENTRY = `
export { createElement, StrictMode, useEffect, useMemo, useRef, useState } from 'react';
export { flushSync } from 'react-dom';
export { createRoot } from 'react-dom/client';
`;

/**
 * Bundles React + react-dom/client into one ES module for `mode` ('development' or 'production').
 * StrictMode's double-invoked effects and React's warnings exist only in development builds.
 * @param {'development' | 'production'} mode
 * @returns {Promise<string>}
 */
function bundleReact(mode) {
  return bundleBrowserModule(REACT_ENTRY, `react-${mode}-entry.js`, {
    define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
  });
}

// React, react-dom/client and this package's React wrapper (src/react.ts, made with @lit/react), in
// one module per React major. The wrapper's own import of the element (`./define.js`) stays a URL of
// the dev server, so the page has one copy of the element and of the vendor registry.
const WRAPPER_ENTRY = `
export { createElement, StrictMode, useEffect, useMemo, useRef, useState, version } from 'react';
export { flushSync } from 'react-dom';
export { createRoot } from 'react-dom/client';
export { EmbedDashboard } from './src/react.ts';
`;
const elementFromDevServer = {
  name: 'element-from-dev-server',
  setup(build) {
    build.onResolve({ filter: /^\.\/define\.js$/ }, () => ({ path: '/src/define.ts', external: true }));
  },
};

/**
 * Bundles React `major` (19: `react`; 18: the `react-18` / `react-dom-18` alias packages) with the wrapper, in
 * development mode (StrictMode's double effects).
 * @param {18 | 19} major
 * @returns {Promise<string>}
 */
function bundleReactWrapper(major) {
  return bundleBrowserModule(WRAPPER_ENTRY, `react-${major}-wrapper.js`, {
    conditions: ['development'],
    // react-dom 18 and @lit/react import `react` by name: give them the same React as the app.
    alias: major === 18 ? { react: 'react-18', 'react-dom': 'react-dom-18' } : {},
    plugins: [elementFromDevServer],
    define: { 'process.env.NODE_ENV': JSON.stringify('development') },
  });
}

/**
 * Vue's full ES build (runtime + template compiler, no bare imports), so tests can use both `h()`
 * and templates. The development build logs Vue's warnings, which the tests assert are absent.
 * @param {string} file file name under vue/dist
 * @returns {Promise<string>}
 */
function vueBuild(file) {
  return readFile(require.resolve(`vue/dist/${file}`, { paths: [root] }), 'utf8');
}

/** @sinonjs/fake-timers (CommonJS) as an ES module with a default export. */
function bundleFakeTimers() {
  return bundleBrowserModule(`export { default } from '@sinonjs/fake-timers';`, 'fake-timers-entry.js', {
    // Required only under Node (when `process` exists), never in the browser.
    external: ['util'],
  });
}

/** URL path → how to make the module served there. */
const BUNDLES = {
  '/__bundles/react.js': () => bundleReact('development'),
  '/__bundles/react.production.js': () => bundleReact('production'),
  '/__bundles/react-wrapper.js': () => bundleReactWrapper(19),
  '/__bundles/react18-wrapper.js': () => bundleReactWrapper(18),
  '/__bundles/vue.js': () => vueBuild('vue.esm-browser.js'),
  '/__bundles/vue.production.js': () => vueBuild('vue.esm-browser.prod.js'),
  '/__bundles/fake-timers.js': bundleFakeTimers,
};

/**
 * The dev-server plugin: answers the `/__bundles/*.js` paths above, builds each once per run.
 * Any other path falls through to the normal file server.
 * @returns {import('@web/dev-server-core').Plugin}
 */
export function frameworkBundles() {
  /** @type {Map<string, Promise<string>>} */
  const cache = new Map();
  return {
    name: 'framework-bundles',
    async serve(context) {
      const make = Object.hasOwn(BUNDLES, context.path)
        ? BUNDLES[/** @type {keyof typeof BUNDLES} */ (context.path)]
        : undefined;
      if (!make) return undefined;
      let body = cache.get(context.path);
      if (!body) {
        body = make();
        cache.set(context.path, body);
        // A failed build is not cached, so a fixed dependency works without restarting.
        body.catch(() => cache.delete(context.path));
      }
      return { body: await body, type: 'js' };
    },
  };
}
