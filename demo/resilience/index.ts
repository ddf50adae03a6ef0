// Mounts the resilience part of the demo page: the controls into #resilience and one timeline under
// each vendor panel's embed. Its styles come with it, so the page only needs the mount point.
import { mountControls } from './controls.js';
import { mountTimeline } from './timeline.js';

const STYLES = `
#resilience { max-width: 72rem; margin: 0 0 20px; padding: 12px 16px; background: var(--card, #fff);
  border: 1px solid var(--line, #dde1e8); border-radius: 12px; }
#resilience h2 { margin: 0 0 4px; font-size: 1.1rem; }
#resilience p { margin: 0 0 8px; color: var(--muted, #5f6b7d); font-size: 0.9rem; }
#resilience .resilience-row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 6px 0; }
#resilience .resilience-name { min-width: 9.5em; font-weight: 600; font-size: 0.9rem; }
#resilience input { width: 4.5em; font: inherit; font-size: 0.85rem; }
#resilience output { display: block; margin: 6px 0; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
#resilience .resilience-note { font-size: 0.8rem; }
.resilience-timeline { margin: 0; }
.resilience-timeline svg { display: block; width: 100%; height: 56px; background: #f8f9fb;
  border: 1px solid var(--line, #dde1e8); border-radius: 8px; }
.resilience-timeline figcaption { font-size: 0.8rem; color: var(--ok, #16794a); margin-top: 4px; }
.resilience-timeline[data-held-expired='true'] figcaption { color: var(--bad, #b42318); font-weight: 600; }
`;

const settings = JSON.parse(document.getElementById('demo-settings')?.textContent ?? '{}') as {
  tokenTtlSeconds?: number;
};
const ttlMs = (settings.tokenTtlSeconds ?? 90) * 1000;
/** The timelines show this much true time: four token lifetimes, at least a minute. */
const windowMs = Math.max(60_000, ttlMs * 4);

const root = document.getElementById('resilience');
if (root) {
  const style = document.createElement('style');
  style.textContent = STYLES;
  document.head.append(style);
  mountControls(root);
  // Retries back off up to a minute; with demo tokens shorter than that, cap the backoff at one token
  // lifetime so the embeds come back within a lifetime of the endpoint's return (set before the
  // element is defined, so the first mount has it).
  for (const embed of document.querySelectorAll<HTMLElement & { sessionOptions?: object }>('embed-dashboard')) {
    if (ttlMs < 60_000) embed.sessionOptions = { ...embed.sessionOptions, retryMaxMs: ttlMs };
  }
  for (const section of document.querySelectorAll<HTMLElement>('section[data-vendor]')) {
    const embed = section.querySelector<HTMLElement>('embed-dashboard');
    const name = section.querySelector('h2')?.textContent ?? section.dataset['vendor'] ?? 'embed';
    if (embed) mountTimeline(embed, section, name, windowMs);
  }
}
