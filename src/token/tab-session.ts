import { resolveExpiry } from './expiry.js';
import { TokenSession, type TokenSessionOptions } from './session.js';
import type { SharedFetcher, TabShareOptions } from './tab-share.js';

const noop = (): void => {};

/**
 * A {@link TokenSession} whose fetches are shared with the other tabs of the origin that use the
 * same key (see `shareAcrossTabs`): 5 tabs make one identity request per refresh. Another tab's
 * answer enters through the session's own fetch path (a `refresh()` the shared fetcher answers at
 * once), so it gets the same checks, time anchoring and events as a fetched one. The sharing code
 * is a lazy chunk, loaded when the session starts, so pages that don't share never download it.
 * `dispose()` ends the sharing too.
 */
export class TabSharedSession extends TokenSession {
  readonly #shared: Promise<SharedFetcher>;
  #sharing = false;

  constructor(options: TokenSessionOptions, share: Omit<TabShareOptions, 'onAnswer' | 'lifetimeOf'>) {
    // The session is only known once super() returns; the fetcher is only called after that.
    const link: { session?: TabSharedSession } = {};
    const shared = import('./tab-share.js').then(({ shareAcrossTabs }) => {
      const fetcher = shareAcrossTabs(options.fetchTokens, {
        // The lifetime as this session reads it (its default for opaque tokens included).
        lifetimeOf: (response) => resolveExpiry(response, options.defaultLifetimeMs ?? 300_000).lifetimeMs,
        clock: options.clock,
        ...share,
      });
      const session = link.session!;
      fetcher.onAnswer = () => void session.refresh().catch(noop);
      // Disposed while the chunk loaded: nothing to share any more.
      if (session.isDisposed) fetcher.dispose();
      session.#sharing = fetcher.sharing;
      return fetcher;
    });
    super({ ...options, fetchTokens: async (request) => (await shared)(request) });
    link.session = this;
    this.#shared = shared;
  }

  /** Whether tabs share (false until the sharing code loaded, and without BroadcastChannel or Web Locks). */
  get sharing(): boolean {
    return this.#sharing && !this.isDisposed;
  }

  override dispose(): void {
    super.dispose();
    void this.#shared.then((fetcher) => fetcher.dispose());
  }
}
