// The public types of the Looker adapter.
import type { VendorAdapter, VendorEmbed, VendorMountContext } from '../contract.js';

/** The mounted Looker embed: the contract's `update`/`destroy`, plus dashboard actions. */
export interface LookerEmbed extends VendorEmbed {
  /** The current iframe (a new session replaces it), `null` once destroyed. */
  readonly iframe: HTMLIFrameElement | null;
  /** Posts `{type, ...data}` to Looker. False when no loaded iframe could receive it. */
  send(type: string, data?: Readonly<Record<string, unknown>>): boolean;
  /** Runs the dashboard (`dashboard:run`). False when no loaded iframe could receive it. */
  run(): boolean;
  /** Sets dashboard filters (`dashboard:filters:update {filters}`); call {@link run} to apply them. */
  updateFilters(filters: Readonly<Record<string, string>>): boolean;
}

/** The Looker adapter: a {@link VendorAdapter} whose embeds are {@link LookerEmbed}s. */
export interface LookerAdapter extends VendorAdapter {
  mount(container: HTMLElement, ctx: VendorMountContext): Promise<LookerEmbed>;
}
