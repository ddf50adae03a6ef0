// Draws a timeline model as SVG markup: the last `windowMs` of true time, token sets as bars, marks
// above them, a red band where the embed showed as ready with expired tokens, and a "now" line.
// Returns a string (tested directly); the page puts it into its <svg> element.
import type { TimelineMark, TimelineModel } from './timeline-model.js';

export const WIDTH = 600;
export const HEIGHT = 56;
const BAR_Y = 26;
const BAR_H = 16;
const MARK_Y = 14;

const MARK_COLOURS: Record<TimelineMark['kind'], string> = {
  refresh: '#16794a',
  failure: '#b42318',
  expired: '#b42318',
  ready: '#3b5bdb',
  clock: '#a15c00',
  sleep: '#a15c00',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
}

function markShape(kind: TimelineMark['kind'], x: number): string {
  const colour = MARK_COLOURS[kind];
  if (kind === 'failure')
    return `<path d="M${x - 4} ${MARK_Y - 4}l8 8m0 -8l-8 8" stroke="${colour}" stroke-width="2"/>`;
  if (kind === 'refresh') return `<path d="M${x} ${MARK_Y - 5}l5 9h-10z" fill="${colour}"/>`;
  if (kind === 'expired' || kind === 'ready') return `<circle cx="${x}" cy="${MARK_Y}" r="4" fill="${colour}"/>`;
  // Clock shifts and sleeps: a line through both lanes.
  return `<line x1="${x}" x2="${x}" y1="4" y2="${HEIGHT - 6}" stroke="${colour}" stroke-dasharray="3 2"/>`;
}

/** The inner markup of a `viewBox="0 0 600 56"` SVG showing `model` from `now - windowMs` to `now`. */
export function renderTimeline(model: TimelineModel, now: number, windowMs: number): string {
  const start = now - windowMs;
  const x = (at: number): number => Math.round(((Math.min(Math.max(at, start), now) - start) / windowMs) * WIDTH);
  const parts: string[] = [
    `<line x1="0" x2="${WIDTH}" y1="${BAR_Y + BAR_H + 4}" y2="${BAR_Y + BAR_H + 4}" stroke="#dde1e8"/>`,
  ];
  model.bars.forEach((bar, index) => {
    const end = bar.until ?? now;
    if (end < start) return;
    const from = x(bar.from);
    const width = Math.max(1, x(end) - from);
    const fill = index % 2 ? '#7c93e6' : '#3b5bdb';
    const title =
      bar.until === null
        ? 'tokens that never expire'
        : `tokens, ${Math.round((bar.until - bar.from) / 1000)} s of life at receipt`;
    parts.push(
      `<rect data-kind="tokens" x="${from}" y="${BAR_Y}" width="${width}" height="${BAR_H}" rx="3" fill="${fill}"><title>${title}</title></rect>`,
    );
  });
  for (const held of model.heldExpired) {
    if (held.until < start) continue;
    parts.push(
      `<rect data-kind="held-expired" x="${x(held.from)}" y="2" width="${Math.max(2, x(held.until) - x(held.from))}" height="${HEIGHT - 4}" fill="#b42318" opacity="0.35"><title>ready with expired tokens</title></rect>`,
    );
  }
  for (const mark of model.marks) {
    if (mark.at < start) continue;
    parts.push(
      `<g data-kind="${mark.kind}">${markShape(mark.kind, x(mark.at))}<title>${escapeXml(mark.text)}</title></g>`,
    );
  }
  parts.push(
    `<line data-kind="now" x1="${WIDTH - 1}" x2="${WIDTH - 1}" y1="0" y2="${HEIGHT}" stroke="#1d2433" stroke-width="2"/>`,
  );
  return parts.join('');
}
