// What the <embed-dashboard> tests share (plain, React, Vue): identity URLs, the usual identity answer,
// hoisted context/options, and the msw/record/DOM hooks around each test.
import '../helpers/mocha-globals.js';
import { settle } from '../helpers/fake-clock.js';
import { json } from '../helpers/identity-mock.js';
import { startWorker, worker } from '../helpers/msw.js';
import { liveSessionCount } from '../../src/token/registry.js';
import { equal } from '../helpers/assert.js';
import { record } from './test-vendor.js';

/**
 * Makes identity URLs `/api/<prefix>-<n>/identity`, new on every call, so one test's msw handler
 * never answers another test's element.
 */
export function uniqueUrls(prefix: string): () => string {
  let n = 0;
  return () => `/api/${prefix}-${++n}/identity`;
}

/** The test vendor's identity answer: tokens `{ t }`, valid for 600 s. */
export const ok600 = (t = 'a'): Response => json({ vendor: 'test-vendor', tokens: { t }, expiresIn: 600 });

/** Context, hoisted as apps should: every render passes the same object (a new literal per render re-mounts). */
export const CONTEXT = { region: 'eu' };
/** Vendor options, hoisted like {@link CONTEXT}. */
export const OPTIONS = { theme: 'dark' };

/** What a test file adds to {@link elementTestHooks}. */
export interface ElementTestHooks {
  /** Runs once, after the msw worker started (e.g. loading a framework build). */
  before?: () => void | Promise<void>;
  /** Runs before each test, after the test vendor's record was reset. */
  beforeEach?: () => void;
  /**
   * The framework roots (React) or apps (Vue) a test mounted and did not unmount itself: after each
   * test they are unmounted, before the page is emptied, and the array is emptied.
   */
  mounted?: () => Array<{ unmount(): void }>;
}

/**
 * Registers the hooks every element test needs, in the suite it is called in: the msw worker starts
 * once, the test vendor's record is reset before each test, and after each test the page is
 * emptied, pending work settles and the msw handlers are reset.
 */
export function elementTestHooks(hooks: ElementTestHooks = {}): void {
  before(async () => {
    await startWorker();
    await hooks.before?.();
  });
  beforeEach(() => {
    record.reset();
    hooks.beforeEach?.();
  });
  afterEach(async () => {
    for (const mounted of hooks.mounted?.().splice(0) ?? []) mounted.unmount();
    document.body.replaceChildren();
    await settle();
    worker.resetHandlers();
  });
}

/** Creates an `<embed-dashboard>` with these attributes and properties and adds it to the page. */
export function create(
  attributes: Record<string, string>,
  properties: Partial<import('../../src/element/embed-dashboard.js').EmbedDashboard> = {},
): import('../../src/element/embed-dashboard.js').EmbedDashboard {
  const element = document.createElement('embed-dashboard');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  Object.assign(element, properties);
  document.body.append(element);
  return element;
}

/** The text of the test vendor's embed, found in the element's light-DOM embed box. */
export function embedText(element: Element): string | undefined {
  return element.querySelector(':scope > [slot="embed"] > .test-embed')?.textContent ?? undefined;
}

/**
 * After a framework unmounted an element: its embed is torn down a microtask later (a move within the
 * same task keeps the embed), its session one more later, back to `sessionsBefore` live sessions.
 */
export async function expectTornDown(sessionsBefore: number): Promise<void> {
  await Promise.resolve();
  equal(record.destroys, 1, 'adapter destroyed');
  await Promise.resolve();
  equal(liveSessionCount(), sessionsBefore, 'session released');
}
