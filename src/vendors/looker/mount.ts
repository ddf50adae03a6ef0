// The Looker adapter's mount, behind the public module `../looker.ts`: a cookieless embed session in
// an iframe (tokens answered from the shared session on Looker's request; a new session when Looker
// says the old one ended), or signed embed URLs renewed with a new iframe before they run out.
// Internal: `LookerMountDeps` is how tests serve a stand-in Looker page; it is not part of the
// package's API. Time comes from the element (`ctx.clock`), so a test injects its clock there.
import { EmbedError } from '../../errors.js';
import type { VendorMountContext } from '../contract.js';
import { createIframeChannel, type ChannelMessage, type IframeChannel } from '../iframe-channel.js';
import { callAt } from '../../long-timer.js';
import { LOOKER_EVENTS, lookerMessage, pageHeight, sessionStatusMeaning } from './messages.js';
import { readLookerOptions, type LookerOptions } from './options.js';
import { readSignedSession, signedRenewAt, type SignedSession } from './signed.js';
import { createTokenSource } from './token-source.js';
import type { LookerAdapter, LookerEmbed } from './types.js';
import { buildCookielessUrl } from './url.js';
import { requireToken } from '../tokens.js';
import { asVendorError } from '../vendor-error.js';

/** What the mount depends on, injectable by tests (internal). */
export interface LookerMountDeps {
  /** Maps the Looker URL to the `src` the iframe loads (default: unchanged); it must stay on the Looker origin. */
  frameSrc?: (lookerUrl: string) => string;
}

/** Authentication tokens an iframe on this page already used: Looker accepts each once only. */
const usedAuthenticationTokens = new Set<string>();
/** Signed URLs already loaded on this page: each is single use too. */
const usedSignedUrls = new Set<string>();

/** How long to wait before asking again when a signed URL could not be renewed. */
const RENEW_RETRY_MS = 30_000;
/** A session that lived this long (or ran its dashboard) worked: the next end starts the count of recoveries afresh. */
const WORKING_SESSION_MS = 60_000;

/** Mounts one Looker embed into `container` (see {@link LookerOptions}); `deps` default to the real ones. */
export async function mountLooker(
  container: HTMLElement,
  ctx: VendorMountContext,
  deps: LookerMountDeps = {},
): Promise<LookerEmbed> {
  // Drives signed-URL renewal and `*_ttl` ageing.
  const { clock } = ctx;
  const options: LookerOptions = readLookerOptions(ctx.options, ctx.dashboardId);
  const embedDomain = container.ownerDocument.defaultView?.location.origin ?? '';

  let channel: IframeChannel | null = null;
  // A shared set with a login no iframe used: the session started a new Looker session. It is told to
  // the current iframe once, and the login is then spent (the new iframe acquires its own).
  const tokenSource = createTokenSource(ctx, options.tokenMarginSeconds, clock, (tokens) => {
    const login = tokens['authentication_token'];
    if (typeof login !== 'string' || login === '' || usedAuthenticationTokens.has(login)) return false;
    usedAuthenticationTokens.add(login);
    return true;
  });
  let sessionStartedAt = clock.now();
  let recoveries = 0;
  let replacing = false;
  let gaveUp = false;
  let destroyed = false;
  let cancelRenew: (() => void) | null = null;

  const checkAlive = (): void => {
    if (destroyed) throw new EmbedError('disposed', 'The Looker embed was removed while it was loading.');
  };

  /** A cookieless URL from the session's unused authentication token, or else a fresh `acquire`. */
  async function cookielessUrl(first: boolean): Promise<string> {
    let grant = ctx.grant;
    const offered = grant.tokens['authentication_token'];
    const unused = typeof offered === 'string' && !usedAuthenticationTokens.has(offered);
    // A new iframe needs its own single-use login: acquired through the session (its timeout, its errors).
    if (!first || !unused) grant = await ctx.requestIdentity('acquire');
    checkAlive();
    const { tokens } = grant;
    const authenticationToken = requireToken(tokens, 'authentication_token', 'Looker');
    const navigationToken = requireToken(tokens, 'navigation_token', 'Looker');
    if (usedAuthenticationTokens.has(authenticationToken)) {
      throw new EmbedError(
        'vendor',
        'The identity endpoint returned a Looker authentication token that was already used: each "acquire" must return a new one.',
      );
    }
    usedAuthenticationTokens.add(authenticationToken);
    tokenSource.started(grant);
    const { origin, embedPath, params } = options;
    return buildCookielessUrl({ origin, embedPath, params, embedDomain, authenticationToken, navigationToken });
  }

  /** A signed session from the session's unused URL, or else a forced refresh. */
  async function signedSession(first: boolean): Promise<SignedSession> {
    let grant = ctx.grant;
    const offered = grant.tokens['url'];
    if (!first || typeof offered !== 'string' || usedSignedUrls.has(offered)) grant = await ctx.refreshTokens();
    checkAlive();
    // Looker's own word on the session's end (session_length, expires) first, else the session's expiry.
    const read = readSignedSession(grant.tokens, clock.now());
    const session = read.endsAt === null ? { ...read, endsAt: grant.expiresAt } : read;
    if (usedSignedUrls.has(session.url)) {
      throw new EmbedError(
        'vendor',
        'The identity endpoint returned a signed Looker URL that was already used: each refresh must sign a new one.',
      );
    }
    usedSignedUrls.add(session.url);
    return session;
  }

  function load(lookerUrl: string): void {
    const src = deps.frameSrc ? deps.frameSrc(lookerUrl) : lookerUrl;
    if (new URL(src, lookerUrl).origin !== options.origin) {
      throw new EmbedError('vendor', `The Looker iframe must load from ${options.origin}.`);
    }
    channel?.destroy();
    const next: IframeChannel = createIframeChannel(container, {
      src: new URL(src, lookerUrl).href,
      ...options.frame,
      title: 'Looker dashboard',
      signal: ctx.signal,
      onMessage: (message) => onMessage(next, message),
    });
    channel = next;
    sessionStartedAt = clock.now();
  }

  async function loadSession(first: boolean): Promise<void> {
    if (options.mode === 'cookieless') {
      load(await cookielessUrl(first));
      return;
    }
    const session = await signedSession(first);
    load(session.url);
    scheduleRenew(session);
  }

  function scheduleRenew(session: SignedSession): void {
    cancelRenew?.();
    cancelRenew = null;
    const at = signedRenewAt(session, clock.now(), options.renewBeforeSeconds);
    if (at !== null) cancelRenew = callAt(clock, at, () => void renew(session));
  }

  /** Signed mode: a fresh URL in a new iframe before the session ends (retried until it has ended). */
  async function renew(current: SignedSession): Promise<void> {
    cancelRenew = null;
    if (replacing || destroyed) return;
    replacing = true;
    try {
      await loadSession(false);
    } catch (error) {
      if (destroyed) return;
      ctx.reportError(asVendorError(error, 'The signed Looker URL could not be renewed.'));
      const retryAt = clock.now() + RENEW_RETRY_MS;
      if (current.endsAt !== null && retryAt < current.endsAt)
        cancelRenew = callAt(clock, retryAt, () => void renew(current));
    } finally {
      replacing = false;
    }
  }

  /**
   * Looker says the session ended: a new session in a new iframe. At most `maxRecoveries` in a row
   * end before they worked (ran a dashboard or lived a minute); then the error is shown instead.
   */
  async function recover(source: IframeChannel): Promise<void> {
    if (source !== channel || replacing || destroyed || gaveUp) return;
    if (clock.now() - sessionStartedAt >= WORKING_SESSION_MS) recoveries = 0;
    if (recoveries >= options.maxRecoveries) {
      gaveUp = true;
      const message =
        `The Looker session ended ${recoveries + 1} times in a row; stopped starting new ones. ` +
        'Check the Looker embed settings and the identity endpoint.';
      ctx.reportError(new EmbedError('vendor', message));
      return;
    }
    recoveries += 1;
    replacing = true;
    try {
      await loadSession(false);
    } catch (error) {
      if (!destroyed) ctx.reportError(asVendorError(error, 'A new Looker session could not be started.'));
    } finally {
      replacing = false;
    }
  }

  /**
   * Answers `session:tokens:request` (see {@link createTokenSource}). When no tokens can be had, Looker
   * gets the empty answer the official host sends (it shows "interrupted" and asks again later).
   */
  async function answerTokens(source: IframeChannel): Promise<void> {
    try {
      const data = await tokenSource.answer();
      if (!source.destroyed) source.post(lookerMessage('session:tokens', { ...data }));
    } catch (error) {
      if (source.destroyed) return;
      source.post(lookerMessage('session:tokens'));
      ctx.reportError(asVendorError(error, 'Looker session tokens could not be fetched.'));
    }
  }

  function onMessage(source: IframeChannel, message: ChannelMessage): void {
    const type = message['type'];
    if (typeof type !== 'string') return;
    switch (type) {
      case 'session:tokens:request':
        if (options.mode === 'cookieless') void answerTokens(source);
        return;
      case 'session:status':
        if (sessionStatusMeaning(message) === 'ended') void recover(source);
        return;
      case 'session:expired':
        void recover(source);
        return;
      case 'page:properties:changed': {
        const height = pageHeight(message);
        if (height !== null) ctx.reportHeight(height);
        return;
      }
      case 'dashboard:run:complete':
        recoveries = 0; // a dashboard that ran means the session works
        break;
    }
    const name = LOOKER_EVENTS[type];
    if (name) ctx.host.dispatchEvent(new CustomEvent(name, { detail: message, bubbles: true, composed: true }));
  }

  function destroy(): void {
    if (destroyed) return;
    destroyed = true;
    ctx.signal.removeEventListener('abort', destroy);
    cancelRenew?.();
    cancelRenew = null;
    channel?.destroy();
    channel = null;
  }

  ctx.signal.addEventListener('abort', destroy, { once: true });
  if (ctx.signal.aborted) destroy();
  try {
    checkAlive();
    await loadSession(true);
  } catch (error) {
    destroy();
    throw asVendorError(error, 'The Looker embed could not be started.');
  }

  const embed: LookerEmbed = {
    get iframe() {
      return channel?.iframe ?? null;
    },
    update(): void {
      // Looker pulls tokens itself (session:tokens:request, answered from the session's current
      // grant); signed sessions renew on their own timer. Nothing to push.
    },
    destroy,
    send: (type, data = {}) => channel?.post(lookerMessage(type, data)) ?? false,
    run: () => embed.send('dashboard:run'),
    updateFilters: (filters) => embed.send('dashboard:filters:update', { filters: { ...filters } }),
  };
  return embed;
}

/** A Looker adapter with injected dependencies (internal: for tests). */
export function createLookerAdapter(deps: LookerMountDeps): LookerAdapter {
  return { mount: (container, ctx) => mountLooker(container, ctx, deps) };
}
