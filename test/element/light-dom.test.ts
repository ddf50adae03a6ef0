// Where the vendor's embed lives (a light-DOM child shown through a slot) and how the element follows
// its height: real CSS and real layout in Chromium.
import '../helpers/mocha-globals.js';
import '../../src/define.js';
import './test-vendor.js';
import type { EmbedDashboard } from '../../src/element/embed-dashboard.js';
import { equal, ok, waitFor } from '../helpers/assert.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { mockIdentity } from '../helpers/identity-mock.js';
import { create, elementTestHooks, embedText, ok600, uniqueUrls } from './element-test-setup.js';
import { record } from './test-vendor.js';

const uniqueUrl = uniqueUrls('light-dom');

function addPageStyle(text: string): HTMLStyleElement {
  const style = document.createElement('style');
  style.textContent = text;
  document.head.append(style);
  return style;
}

async function ready(attributes: Record<string, string> = {}, properties: Partial<EmbedDashboard> = {}) {
  const url = uniqueUrl();
  mockIdentity(url, (body) => ok600(String(body.dashboardId || 'a')));
  const element = create({ vendor: 'test-vendor', 'identity-url': url, ...attributes }, properties);
  await waitFor(() => element.state === 'ready', 'ready');
  return element;
}

function box(element: Element): DOMRect {
  return element.getBoundingClientRect();
}

describe('<embed-dashboard> light DOM', () => {
  const styles: HTMLStyleElement[] = [];
  elementTestHooks();
  afterEach(() => styles.splice(0).forEach((style) => style.remove()));

  it('renders the vendor embed in a light-DOM child assigned to the embed slot; the overlay stays in the shadow root', async () => {
    const element = await ready();
    const container = element.querySelector<HTMLElement>(':scope > [slot="embed"]')!;
    ok(container, 'a light-DOM embed box');
    equal(container.querySelector('.test-embed')?.textContent, 'a');
    equal(element.shadowRoot!.querySelector('.test-embed'), null);
    equal(container.assignedSlot, element.shadowRoot!.querySelector('slot[name="embed"]'));
    equal(record.contexts[0]!.host, element);
  });

  it("the page's CSS reaches the embed (as the vendor's CSS in document.head must)", async () => {
    styles.push(addPageStyle('.test-embed { color: rgb(1, 2, 3); font-size: 31px; }'));
    const element = await ready();
    const embed = element.querySelector<HTMLElement>('.test-embed')!;
    equal(getComputedStyle(embed).color, 'rgb(1, 2, 3)');
    equal(getComputedStyle(embed).fontSize, '31px');
  });

  it("the element's own styles do not leak into the page", async () => {
    const element = await ready();
    const lookalikes = document.createElement('div');
    lookalikes.innerHTML = '<div class="overlay">o</div><div class="embed off">e</div><p part="error">p</p>';
    document.body.append(lookalikes);
    const [overlay, embed, error] = [...lookalikes.children] as HTMLElement[];
    equal(getComputedStyle(overlay!).position, 'static');
    equal(getComputedStyle(embed!).visibility, 'visible');
    equal(getComputedStyle(embed!).opacity, '1');
    ok(getComputedStyle(error!).color !== 'rgb(176, 0, 32)', 'no error colour on a page element');
    // Nor into the embed: the light-DOM box gets only overridable defaults.
    const inside = element.querySelector<HTMLElement>('.test-embed')!;
    equal(getComputedStyle(inside).position, 'static');
  });

  it("two elements side by side keep their own boxes and never see each other's embeds", async () => {
    const a = await ready({ 'dashboard-id': 'one' });
    const b = await ready({ 'dashboard-id': 'two' });
    equal(embedText(a), 'one');
    equal(embedText(b), 'two');
    const [boxA, boxB] = [a, b].map((e) => e.querySelector(':scope > [slot="embed"]')!);
    ok(boxA !== boxB, 'two boxes');
    equal(boxA!.querySelectorAll('.test-embed').length, 1);
    equal(boxB!.querySelectorAll('.test-embed').length, 1);
    equal(record.contexts[0]!.host, a);
    equal(record.contexts[1]!.host, b);
  });

  it('the app adding its own children breaks nothing: the embed stays and still gets new tokens', async () => {
    const clock = new FakeClock(Date.now());
    const url = uniqueUrl();
    mockIdentity(url, (_b, i) => ok600(`v${i}`));
    const element = create({ vendor: 'test-vendor', 'identity-url': url }, { sessionOptions: { clock } });
    await waitFor(() => element.state === 'ready', 'ready');
    element.insertAdjacentHTML('afterbegin', '<span>app text</span>');
    element.append(Object.assign(document.createElement('p'), { slot: 'loading', textContent: 'Wait…' }));
    await element.updateComplete;
    equal(embedText(element), 'v1');
    await clock.advance(480_000);
    await waitFor(() => embedText(element) === 'v2', 'new tokens in the same box');
    equal(record.mounts, 1);
    equal(element.querySelectorAll('.test-embed').length, 1);
    // Children without a slot are not rendered: they cannot push the dashboard around.
    equal(box(element.querySelector('span')!).height, 0);
  });
});

describe('<embed-dashboard> height', () => {
  elementTestHooks();

  async function withContentBelow(properties: Partial<EmbedDashboard> = {}, style = '') {
    const element = await ready({ style }, properties);
    const below = document.createElement('p');
    below.textContent = 'below the dashboard';
    document.body.append(below);
    const content = element.querySelector<HTMLElement>('.test-embed')!;
    return { element, below, content, context: record.contexts[0]! };
  }

  it('follows the height the vendor reports: the page below moves down, nothing is clipped', async () => {
    const { element, below, content, context } = await withContentBelow();
    equal(box(element).height, 600, 'default height');
    content.style.height = '900px';
    context.reportHeight(900);
    await waitFor(() => box(element).height === 900, 'the element grows');
    ok(box(below).top >= box(element).bottom, 'the next paragraph starts below the dashboard');
    ok(box(content).bottom <= box(element).bottom, 'the content is not clipped');
    const frame = element.shadowRoot!.querySelector<HTMLElement>('[part="embed"]')!;
    equal(frame.scrollHeight, frame.clientHeight, 'no scrolling needed');
    content.style.height = '400.4px';
    context.reportHeight(400.4);
    await waitFor(() => box(element).height === 401, 'rounded up, so nothing is cut off');
  });

  it('ignores reports of 100 px or less (as Looker does); null returns to the own height', async () => {
    const { element, context } = await withContentBelow();
    context.reportHeight(700);
    await waitFor(() => box(element).height === 700, '700');
    context.reportHeight(100);
    context.reportHeight(12);
    context.reportHeight(Number.NaN);
    await element.updateComplete;
    equal(box(element).height, 700);
    context.reportHeight(null);
    await waitFor(() => box(element).height === 600, 'back to 600');
  });

  it('--embed-dashboard-height keeps a fixed height: taller content scrolls inside, nothing overlaps', async () => {
    const { element, below, content, context } = await withContentBelow({}, '--embed-dashboard-height: 300px');
    content.style.height = '900px';
    context.reportHeight(900);
    await element.updateComplete;
    equal(box(element).height, 300);
    ok(box(below).top >= box(element).bottom, 'nothing overlaps the paragraph below');
    const frame = element.shadowRoot!.querySelector<HTMLElement>('[part="embed"]')!;
    ok(frame.scrollHeight >= 900 && frame.clientHeight === 300, 'the dashboard scrolls inside the element');
  });

  it('a height from the page CSS wins too, and a re-mount drops the reported height', async () => {
    const { element, context } = await withContentBelow({}, 'height: 450px');
    context.reportHeight(900);
    await element.updateComplete;
    equal(box(element).height, 450);
    element.removeAttribute('style');
    await waitFor(() => box(element).height === 900, 'the reported height once the page lets go');
    element.setAttribute('dashboard-id', 'other');
    await waitFor(() => record.mounts === 2 && element.state === 'ready', 're-mounted');
    equal(box(element).height, 600, 'a new embed starts from the own height');
    context.reportHeight(800);
    await element.updateComplete;
    equal(box(element).height, 600, 'an unmounted embed reports nothing');
  });
});
