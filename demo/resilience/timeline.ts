// One embed's timeline on the page: listens to the element's events and its `state` attribute, keeps
// a timeline model on the shim's true clock and redraws it as SVG. The figure carries what the test
// reads: `data-held-expired` ("true" once the embed showed as ready with expired tokens), and the
// counts `data-tokens`, `data-refreshes`, `data-failures`, `data-expiries`.
import { CLOCK_CHANGE_EVENT, trueNow, wallNow, type ClockChange } from './clock-shim.js';
import { addMark, addTokens, createTimeline, prune, sample, type TimelineModel } from './timeline-model.js';
import { HEIGHT, renderTimeline, WIDTH } from './timeline-svg.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const TICK_MS = 250;

/** A mounted timeline; `dispose()` removes its listeners, timer and figure. */
export interface Timeline {
  readonly model: TimelineModel;
  dispose(): void;
}

function minutes(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return m >= 60 && m % 60 === 0 ? `${m / 60} h` : `${m} min`;
}

/**
 * Mounts a timeline for `embed` into `container`, showing the last `windowMs` (true-clock ms).
 * `label` names the embed for screen readers.
 */
export function mountTimeline(embed: HTMLElement, container: HTMLElement, label: string, windowMs: number): Timeline {
  const model = createTimeline();
  const figure = document.createElement('figure');
  figure.className = 'resilience-timeline';
  figure.dataset['role'] = 'timeline';
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute(
    'aria-label',
    `${label}: token lifetimes, refreshes and failures over the last ${Math.round(windowMs / 1000)} s`,
  );
  const caption = document.createElement('figcaption');
  figure.append(svg, caption);
  container.append(figure);

  const listening = new AbortController();
  const { signal } = listening;
  const state = (): string => embed.getAttribute('state') ?? 'idle';
  const check = (): void => sample(model, trueNow(), state());

  embed.addEventListener(
    'embed-token',
    (event) => {
      const { expiresAt } = (event as CustomEvent<{ expiresAt: number | null }>).detail;
      addTokens(model, trueNow(), wallNow(), expiresAt);
      draw();
    },
    { signal },
  );
  embed.addEventListener(
    'embed-error',
    (event) => {
      const { code, message } = (event as CustomEvent<{ code: string; message: string }>).detail;
      addMark(model, { at: trueNow(), kind: 'failure', text: `${code}: ${message}` });
      draw();
    },
    { signal },
  );
  embed.addEventListener(
    'embed-expired',
    () => {
      addMark(model, { at: trueNow(), kind: 'expired', text: 'tokens expired: dashboard hidden' });
      draw();
    },
    { signal },
  );
  embed.addEventListener(
    'embed-ready',
    () => {
      addMark(model, { at: trueNow(), kind: 'ready', text: 'embed ready' });
      draw();
    },
    { signal },
  );
  window.addEventListener(
    CLOCK_CHANGE_EVENT,
    (event) => {
      const { kind, ms } = (event as CustomEvent<ClockChange>).detail;
      const text =
        kind === 'sleep'
          ? `slept ${minutes(ms)}`
          : kind === 'shift'
            ? `wall clock ${ms > 0 ? '+' : '−'}${minutes(ms)}`
            : 'wall clock reset';
      addMark(model, { at: trueNow(), kind: kind === 'sleep' ? 'sleep' : 'clock', text });
      draw();
    },
    { signal },
  );
  const observer = new MutationObserver(() => {
    check();
    draw();
  });
  observer.observe(embed, { attributes: true, attributeFilter: ['state'] });
  const ticker = setInterval(() => {
    check();
    prune(model, trueNow());
    draw();
  }, TICK_MS);

  function draw(): void {
    svg.innerHTML = renderTimeline(model, trueNow(), windowMs);
    const held = model.heldExpired.length > 0;
    figure.dataset['heldExpired'] = String(held);
    figure.dataset['tokens'] = String(model.refreshes + (model.bars.length ? 1 : 0));
    figure.dataset['refreshes'] = String(model.refreshes);
    figure.dataset['failures'] = String(model.failures);
    figure.dataset['expiries'] = String(model.expiries);
    const seconds = Math.round(model.heldExpired.reduce((sum, s) => sum + s.until - s.from, 0) / 1000);
    caption.textContent = held
      ? `Broken promise: shown as ready with expired tokens for ${seconds} s (red band).`
      : `Never shown as ready with an expired token · ${model.refreshes} refreshes · ${model.failures} failures · ${model.expiries} expiries`;
  }
  draw();

  return {
    model,
    dispose() {
      listening.abort();
      observer.disconnect();
      clearInterval(ticker);
      figure.remove();
    },
  };
}
