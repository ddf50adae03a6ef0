import { TokenSession, type TokenSessionOptions } from './session.js';
import { shareAcrossTabs, type SharedFetcher, type TabShareOptions } from './tab-share.js';

const noop = (): void => {};

/**
 * A {@link TokenSession} whose fetches are shared with the other tabs of the origin that use the
 * same key (see {@link shareAcrossTabs}): 5 tabs make one identity request per refresh. Another
 * tab's answer enters through the session's own fetch path (a `refresh()` the shared fetcher
 * answers at once), so it gets the same checks, time anchoring and events as a fetched one.
 * `dispose()` ends the sharing too.
 */
export class TabSharedSession extends TokenSession {
  readonly #shared: SharedFetcher;

  constructor(options: TokenSessionOptions, share: Omit<TabShareOptions, 'onAnswer'>) {
    const shared = shareAcrossTabs(options.fetchTokens, {
      defaultLifetimeMs: options.defaultLifetimeMs,
      clock: options.clock,
      ...share,
    });
    super({ ...options, fetchTokens: shared });
    this.#shared = shared;
    shared.onAnswer = () => void this.refresh().catch(noop);
  }

  /** Whether tabs share (false without BroadcastChannel or Web Locks: this tab fetches alone). */
  get sharing(): boolean {
    return this.#shared.sharing;
  }

  override dispose(): void {
    super.dispose();
    this.#shared.dispose();
  }
}
