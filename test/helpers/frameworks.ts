// React 19 and Vue 3 for browser tests, loaded from the ES modules that framework-bundles.mjs serves
// at /__bundles/*.js. Only the few calls the tests make are typed here: @types/react is not
// installed on purpose, and Vue's own types would pull in its whole compiler surface.

/** A React element (opaque to the tests). */
export type ReactNode = { readonly $$typeof: symbol } | string | null;

/** A React 19 root from `createRoot()`. */
export interface ReactRoot {
  render(node: ReactNode): void;
  unmount(): void;
}

/** The slice of `react`, `react-dom` and `react-dom/client` the tests use. */
export interface ReactModule {
  createElement(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): ReactNode;
  StrictMode: unknown;
  useEffect(effect: () => void | (() => void), deps?: readonly unknown[]): void;
  useRef<T>(initial: T): { current: T };
  flushSync<T>(work: () => T): T;
  createRoot(container: Element): ReactRoot;
}

/** A Vue ref. */
export interface VueRef<T> {
  value: T;
}

/** A Vue app from `createApp()`. */
export interface VueApp {
  config: {
    warnHandler?: (message: string) => void;
    compilerOptions: { isCustomElement?: (tag: string) => boolean };
  };
  mount(container: Element): unknown;
  unmount(): void;
}

/** The slice of `vue` (full build, with the template compiler) the tests use. */
export interface VueModule {
  createApp(root: Record<string, unknown>): VueApp;
  h(type: string, props?: Record<string, unknown> | null, children?: unknown): unknown;
  ref<T>(value: T): VueRef<T>;
  nextTick(): Promise<void>;
}

/** Which build: development has StrictMode's double effects and the frameworks' warnings. */
export type FrameworkBuild = 'development' | 'production';

/** Both builds, so each behaviour is checked the way apps run in development and in production. */
export const BUILDS: readonly FrameworkBuild[] = ['development', 'production'];

/** Loads React 19 (react + react-dom/client), bundled to ESM by the dev server. */
export function loadReact(build: FrameworkBuild): Promise<ReactModule> {
  const path = build === 'development' ? '/__bundles/react.js' : '/__bundles/react.production.js';
  return import(path as string) as Promise<ReactModule>;
}

/** Loads Vue 3's full ES build (runtime + template compiler). */
export function loadVue(build: FrameworkBuild): Promise<VueModule> {
  const path = build === 'development' ? '/__bundles/vue.js' : '/__bundles/vue.production.js';
  return import(path as string) as Promise<VueModule>;
}
