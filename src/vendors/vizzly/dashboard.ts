// One rendered <vizzly-dashboard> with its own identity() prop. Vizzly's element offers no unmount
// (no method, no disconnectedCallback): its React tree and its 300 s identity() timer outlive the
// element, so `destroy()` disarms identity() (later calls reject and no longer reach the session) and
// detaches the element.
import { EmbedError } from '../../errors.js';
import type { VendorMountContext } from '../contract.js';
import {
  VIZZLY_TAG,
  buildVizzlyProps,
  toVizzlyIdentity,
  vizzlyMinValidityMs,
  type VizzlyIdentity,
  type VizzlyProps,
  type VizzlyPullOptions,
} from './options.js';

/** `<vizzly-dashboard>` as the bundle defines it. */
interface VizzlyDashboardElement extends HTMLElement {
  render(props: VizzlyProps): void;
}

/** A mounted dashboard. */
export interface RenderedDashboard {
  /** True when Vizzly's FIRST identity() call failed: Vizzly then shows its error screen for good. */
  readonly failedFirst: boolean;
  /** Disarms identity() and detaches the element. */
  destroy(): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Renders a new `<vizzly-dashboard>` into `container`. Its identity() answers from the session with
 * tokens that outlive the next pull; when its first call fails, `ctx.reportError` says so.
 */
export function renderDashboard(
  container: HTMLElement,
  ctx: VendorMountContext,
  pull: VizzlyPullOptions,
): RenderedDashboard {
  let source: VendorMountContext | null = ctx;
  let calls = 0;
  let failedFirst = false;
  const minValidityMs = vizzlyMinValidityMs(pull.pullIntervalSeconds);

  const identity = async (): Promise<VizzlyIdentity> => {
    if (!source || source.signal.aborted) {
      throw new EmbedError('disposed', 'This Vizzly embed was removed; it no longer answers identity().');
    }
    const first = calls++ === 0;
    try {
      const { tokens } = await source.getTokens({ minValidityMs });
      return toVizzlyIdentity(tokens, pull.acceptsProjectAccessToken);
    } catch (error) {
      if (first && source) {
        failedFirst = true;
        source.reportError(
          new EmbedError(
            'vendor',
            `Vizzly's first identity() call failed (${describe(error)}), so Vizzly shows its error screen; the dashboard is rendered anew when new tokens arrive.`,
            { cause: error, retriable: true },
          ),
        );
      }
      throw error;
    }
  };

  const element = document.createElement(VIZZLY_TAG) as VizzlyDashboardElement;
  element.style.display = 'block';
  container.append(element);
  try {
    element.render(buildVizzlyProps(ctx.options, ctx.dashboardId, identity));
  } catch (cause) {
    source = null;
    element.remove();
    throw new EmbedError('vendor', `Vizzly's <${VIZZLY_TAG}> failed to render: ${describe(cause)}`, { cause });
  }
  return {
    get failedFirst() {
      return failedFirst;
    },
    destroy() {
      source = null;
      element.remove();
    },
  };
}
