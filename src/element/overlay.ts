import type { EmbedState } from './embed-controller.js';

function element(tag: string, attributes: Record<string, string>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/**
 * The status overlay for a state: `loading` gets a polite `role="status"` message, `error` and
 * `expired` a `role="alert"` with `message`; each is the default content of a slot the page can
 * fill (`slot="loading"`, `slot="error"`). Other states have no overlay (`null`).
 */
export function statusOverlay(state: EmbedState, message: string): HTMLElement | null {
  if (state !== 'loading' && state !== 'error' && state !== 'expired') return null;
  const loading = state === 'loading';
  const overlay = element('div', { class: 'overlay', part: 'status' });
  const slot = element('slot', { name: loading ? 'loading' : 'error' });
  const fallback = element(
    'div',
    loading ? { role: 'status', 'aria-live': 'polite', part: 'loading' } : { role: 'alert', part: 'error' },
  );
  fallback.textContent = loading ? 'Loading dashboard…' : message;
  slot.append(fallback);
  overlay.append(slot);
  return overlay;
}
