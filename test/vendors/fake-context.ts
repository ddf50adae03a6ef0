// A fake VendorMountContext for adapter tests: adapters are mounted directly, without the element
// or the token engine. Shared read-only with other vendor tests; keep the API small and stable.
import type { TokenSet } from '../../src/token/types.js';
import { systemClock, type Clock } from '../../src/timers.js';
import type { TokenGrant, VendorMountContext } from '../../src/vendors/contract.js';

/** What {@link createFakeContext} takes. Only `tokens` is required. */
export interface FakeContextInit {
  /** The first tokens (`context.grant.tokens`), and what `getTokens()` resolves to until `setTokens`. */
  tokens: TokenSet;
  /** `context.options` (the vendor options). Default `{}`. */
  options?: Record<string, unknown>;
  /** `context.dashboardId`. Default `''`. */
  dashboardId?: string;
  /** Answers `getTokens()` instead of the current tokens. */
  onGetTokens?: () => TokenSet | Promise<TokenSet>;
  /** Answers `refreshTokens()`; default: the current tokens. The answer becomes the current tokens. */
  onRefreshTokens?: () => TokenSet | Promise<TokenSet>;
  /** Answers `requestIdentity(action)`; default: the current tokens. */
  onRequestIdentity?: (action: string) => TokenSet | Promise<TokenSet>;
  /** `context.host`. Default: a new detached `<div>`. */
  host?: HTMLElement;
  /** `context.clock`. Default: the real one. */
  clock?: Clock;
}

/** A fake context plus what the adapter did with it. */
export interface FakeContext {
  /** Pass this to `adapter.mount(container, context)`. */
  context: VendorMountContext;
  /** Owns `context.signal`: `controller.abort()` is what the element does on unmount. */
  controller: AbortController;
  /** How many times each method was called. */
  calls: { getTokens: number; refreshTokens: number; requestIdentity: number };
  /** The `action` of each `requestIdentity` call, in order. */
  actions: string[];
  /** Errors passed to `reportError`, in order. */
  reportedErrors: Error[];
  /** Heights passed to `reportHeight`, in order. */
  reportedHeights: (number | null)[];
  /** The tokens `getTokens()` / `refreshTokens()` resolve to by default from now on. */
  setTokens(tokens: TokenSet): void;
  /** The current tokens. */
  readonly currentTokens: TokenSet;
}

/** Tokens as the session would hand them over (the fake knows no expiry). */
function grantOf(tokens: TokenSet): TokenGrant {
  return { tokens, expiresAt: null };
}

/** Builds a {@link FakeContext}. */
export function createFakeContext(init: FakeContextInit): FakeContext {
  let current = init.tokens;
  const controller = new AbortController();
  const calls = { getTokens: 0, refreshTokens: 0, requestIdentity: 0 };
  const actions: string[] = [];
  const reportedErrors: Error[] = [];
  const reportedHeights: (number | null)[] = [];
  const context: VendorMountContext = {
    grant: grantOf(init.tokens),
    async getTokens() {
      calls.getTokens += 1;
      return grantOf(init.onGetTokens ? await init.onGetTokens() : current);
    },
    async refreshTokens() {
      calls.refreshTokens += 1;
      if (init.onRefreshTokens) current = await init.onRefreshTokens();
      return grantOf(current);
    },
    async requestIdentity(action: string) {
      calls.requestIdentity += 1;
      actions.push(action);
      return grantOf(init.onRequestIdentity ? await init.onRequestIdentity(action) : current);
    },
    reportHeight(heightPx: number | null) {
      reportedHeights.push(heightPx);
    },
    options: init.options ?? {},
    dashboardId: init.dashboardId ?? '',
    signal: controller.signal,
    host: init.host ?? document.createElement('div'),
    clock: init.clock ?? systemClock,
    reportError(error: Error) {
      reportedErrors.push(error);
    },
  };
  return {
    context,
    controller,
    calls,
    actions,
    reportedErrors,
    reportedHeights,
    setTokens(tokens) {
      current = tokens;
    },
    get currentTokens() {
      return current;
    },
  };
}
