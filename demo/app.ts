// The demo page's script: registers <embed-dashboard> and, under each embed, logs its events with times
// and counts down to its tokens' expiry. Everything an app needs is the one import below; the rest is
// the demo's own display.
import './databrain-loader.js';
import '../src/define.js';
import type {
  EmbedDashboard,
  EmbedErrorDetail,
  EmbedExpiredDetail,
  EmbedReadyDetail,
  EmbedTokenDetail,
} from '../src/index.js';

/** Settings the demo server puts into the page. */
interface DemoSettings {
  tokenTtlSeconds: number;
  vizzlyIntervalMs: number;
  user: string;
}

const MAX_LOG_ENTRIES = 50;
const TICK_MS = 250;

const settings = JSON.parse(document.getElementById('demo-settings')?.textContent ?? '{}') as Partial<DemoSettings>;
// How often the Vizzly stand-in bundle calls identity() (Vizzly's own bundle: every 5 to 20 minutes).
(window as unknown as { __vizzlyStandin?: { intervalMs: number } }).__vizzlyStandin = {
  intervalMs: settings.vizzlyIntervalMs ?? 5000,
};

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))} s`;
}

function required<T extends Element>(root: ParentNode, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`demo page: ${selector} is missing`);
  return found;
}

/** One vendor's panel: its embed, state badge, countdown and event log. */
class Panel {
  private readonly embed: EmbedDashboard;
  private readonly stateBadge: HTMLElement;
  private readonly countdown: HTMLOutputElement;
  private readonly lifetime: HTMLProgressElement;
  private readonly log: HTMLOListElement;
  private expiresAt: number | null | undefined = undefined;
  private lifetimeMs: number | null = null;
  private readonly counts: Record<string, number> = {};

  constructor(private readonly section: HTMLElement) {
    this.embed = required<EmbedDashboard>(section, 'embed-dashboard');
    this.stateBadge = required(section, '[data-role="state"]');
    this.countdown = required(section, '[data-role="countdown"]');
    this.lifetime = required(section, '[data-role="lifetime"]');
    this.log = required(section, '[data-role="log"]');

    this.embed.addEventListener('embed-token', (event) => this.onToken(event.detail));
    this.embed.addEventListener('embed-ready', (event) => this.onReady(event.detail));
    this.embed.addEventListener('embed-error', (event) => this.onError(event.detail));
    this.embed.addEventListener('embed-expired', (event) => this.onExpired(event.detail));
    this.embed.addEventListener('looker-dashboard-run-complete', () => this.add('looker-event', 'dashboard ran'));
    required<HTMLButtonElement>(section, '[data-role="refresh"]').addEventListener('click', () => {
      this.embed.refresh().catch((error: unknown) => this.add('refresh', `failed: ${(error as Error).message}`));
    });
    // The element reflects its state to the `state` attribute.
    new MutationObserver(() => this.showState()).observe(this.embed, { attributes: true, attributeFilter: ['state'] });
    this.showState();
  }

  private onToken(detail: EmbedTokenDetail): void {
    this.expiresAt = detail.expiresAt;
    this.lifetimeMs = detail.lifetimeMs;
    const when =
      detail.expiresAt === null
        ? 'never expire'
        : `expire in ${seconds(detail.expiresAt - Date.now())} (at ${clockTime(detail.expiresAt)})`;
    this.add('embed-token', `new tokens, ${when} · from ${detail.source}`);
    this.tick(Date.now());
  }

  private onReady(detail: EmbedReadyDetail): void {
    this.add('embed-ready', `${detail.vendor} embed mounted`);
  }

  private onError(detail: EmbedErrorDetail): void {
    const retry =
      detail.nextRetryAt === null
        ? detail.retriable
          ? ''
          : ' · not retried'
        : ` · retry in ${seconds(detail.nextRetryAt - Date.now())}`;
    this.add('embed-error', `${detail.code}: ${detail.message}${retry}`);
  }

  private onExpired(detail: EmbedExpiredDetail): void {
    this.add(
      'embed-expired',
      `tokens expired at ${clockTime(detail.expiredAt)}; dashboard hidden until new ones arrive`,
    );
  }

  private showState(): void {
    const state = this.embed.getAttribute('state') ?? 'idle';
    this.stateBadge.textContent = state;
    this.stateBadge.dataset['state'] = state;
  }

  /** Adds a log line (newest first) and keeps a per-event count on the panel (`data-count-embed-token`…). */
  private add(event: string, text: string): void {
    const item = document.createElement('li');
    item.dataset['event'] = event;
    const at = document.createElement('time');
    at.textContent = clockTime(Date.now());
    const name = document.createElement('b');
    name.textContent = event;
    const message = document.createElement('span');
    message.textContent = text;
    item.append(at, name, message);
    this.log.prepend(item);
    while (this.log.children.length > MAX_LOG_ENTRIES) this.log.lastElementChild?.remove();
    this.counts[event] = (this.counts[event] ?? 0) + 1;
    this.section.setAttribute(`data-count-${event}`, String(this.counts[event]));
  }

  /** Updates the countdown and the lifetime bar. */
  tick(now: number): void {
    const { expiresAt, lifetimeMs } = this;
    if (expiresAt === undefined) return;
    if (expiresAt === null) {
      this.countdown.value = 'never';
      this.lifetime.value = 1;
      return;
    }
    const left = expiresAt - now;
    this.countdown.value = left > 0 ? seconds(left) : 'expired';
    this.countdown.toggleAttribute('data-low', left < 10_000);
    this.lifetime.value = lifetimeMs ? Math.min(1, Math.max(0, left / lifetimeMs)) : 0;
  }
}

const panels = [...document.querySelectorAll<HTMLElement>('section[data-vendor]')].map((section) => new Panel(section));
setInterval(() => {
  const now = Date.now();
  for (const panel of panels) panel.tick(now);
}, TICK_MS);
