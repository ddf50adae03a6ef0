import '../helpers/mocha-globals.js';
import { deepEqual, equal, ok, rejects, thrownEmbedError } from '../helpers/assert.js';
import { EmbedError } from '../../src/errors.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { callAt } from '../../src/long-timer.js';
import { MAX_TIMER_DELAY as MAX_TIMER_MS } from '../../src/timers.js';
import {
  ENDED_SESSION_TOKENS,
  LOOKER_EVENTS,
  lookerMessage,
  pageHeight,
  sessionStatusMeaning,
  sessionTokens,
  tokenMinValidityMs,
} from '../../src/vendors/looker/messages.js';
import { LOOKER_SANDBOX, lookerOrigin, readLookerOptions } from '../../src/vendors/looker/options.js';
import { MIN_RENEW_DELAY_MS, readSignedSession, signedRenewAt } from '../../src/vendors/looker/signed.js';
import { createTokenSource } from '../../src/vendors/looker/token-source.js';
import { buildCookielessUrl } from '../../src/vendors/looker/url.js';
import { createFakeContext } from './fake-context.js';

describe('looker: buildCookielessUrl', () => {
  it('encodes target, params, embed_domain and navigation token as Looker documents, with no sdk', () => {
    const url = buildCookielessUrl({
      origin: 'https://example.looker.com',
      embedPath: '/embed/dashboards/42',
      params: { theme: 'Dark Mode' },
      embedDomain: 'https://app.example.com/',
      authenticationToken: 'auth+/=',
      navigationToken: 'nav&1',
    });
    const target =
      '/embed/dashboards/42?theme=Dark+Mode&embed_domain=https%3A%2F%2Fapp.example.com&embed_navigation_token=nav%261';
    equal(
      url,
      `https://example.looker.com/login/embed/${encodeURIComponent(target)}?embed_authentication_token=auth%2B%2F%3D`,
    );
    ok(!/[?&]sdk=/.test(decodeURIComponent(url)), 'no sdk parameter');
  });

  it('merges a query already in embedPath', () => {
    const url = new URL(
      buildCookielessUrl({
        origin: 'https://l.example.com',
        embedPath: '/embed/looks/7?apply_formatting=true',
        params: {},
        embedDomain: 'https://app.example.com',
        authenticationToken: 'a',
        navigationToken: 'n',
      }),
    );
    const target = new URL(decodeURIComponent(url.pathname.slice('/login/embed/'.length)), 'https://x');
    equal(target.pathname, '/embed/looks/7');
    deepEqual(
      [...target.searchParams],
      [
        ['apply_formatting', 'true'],
        ['embed_domain', 'https://app.example.com'],
        ['embed_navigation_token', 'n'],
      ],
    );
    equal(url.searchParams.get('embed_authentication_token'), 'a');
  });
});

describe('looker: options', () => {
  it('reads host forms, defaults and params', () => {
    equal(lookerOrigin('example.looker.com'), 'https://example.looker.com');
    equal(lookerOrigin('https://example.looker.com:19999'), 'https://example.looker.com:19999');
    equal(lookerOrigin('http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    const options = readLookerOptions({ host: 'example.looker.com', params: { theme: 'Dark', n: 2, b: true } }, '42');
    equal(options.embedPath, '/embed/dashboards/42');
    deepEqual(options.params, { theme: 'Dark', n: '2', b: 'true' });
    equal(options.mode, 'cookieless');
    equal(options.maxRecoveries, 3);
    equal(options.tokenMarginSeconds, 120);
    equal(options.frame.sandbox, LOOKER_SANDBOX);
    ok(LOOKER_SANDBOX.split(' ').includes('allow-modals'), "Looker's confirm() dialogs work");
    equal(readLookerOptions({ host: 'x.looker.com', sandbox: 'allow-scripts' }, '1').frame.sandbox, 'allow-scripts');
    equal(readLookerOptions({ host: 'x.looker.com', sandbox: false }, '1').frame.sandbox, null);
    equal(readLookerOptions({ host: 'x.looker.com', tokenMarginSeconds: 30 }, '1').tokenMarginSeconds, 30);
    equal(readLookerOptions({ host: 'x.looker.com', embedPath: '/embed/looks/1', mode: 'signed' }, '').mode, 'signed');
  });

  it('rejects a non-local http host, missing host, bad paths and reserved params', () => {
    for (const raw of [
      { host: 'http://looker.example.com' },
      { host: 'http://10.1.2.3' },
      {},
      { host: 'x.looker.com/path' },
      { host: 'x.looker.com', embedPath: '/dashboards/1' },
      { host: 'x.looker.com', embedPath: 'https://evil.example.com/embed/x' },
      { host: 'x.looker.com', params: { sdk: '2' } },
      { host: 'x.looker.com', params: { embed_domain: 'https://evil.example.com' } },
      { host: 'x.looker.com', embedPath: '/embed/dashboards/1?sdk=2' },
      { host: 'x.looker.com', params: { a: { b: 1 } } },
      { host: 'x.looker.com', mode: 'sso' },
      { host: 'x.looker.com', maxRecoveries: -1 },
      { host: 'x.looker.com', tokenMarginSeconds: '120' },
      { host: 'x.looker.com', sandbox: 1 },
    ]) {
      const error = thrownEmbedError(() => readLookerOptions(raw, '1'));
      equal(error.code, 'invalid-attribute', JSON.stringify(raw));
      equal(error.attribute, 'vendor-options', JSON.stringify(raw));
    }
    equal(thrownEmbedError(() => readLookerOptions({ host: 'x.looker.com' }, '')).attribute, 'dashboard-id');
  });
});

describe('looker: messages', () => {
  const tokens = {
    api_token: 'api',
    api_token_ttl: 600,
    navigation_token: 'nav',
    navigation_token_ttl: 590,
    session_reference_token_ttl: 3600,
    session_reference_token: 'SECRET',
    authentication_token: 'auth',
  };

  const now = 1_700_000_000_000;
  // The session's expiry for these tokens: the earlier of the API and navigation token lifetimes.
  const expiresIn = (seconds: number): number => now + seconds * 1000;

  it("session:tokens copies only the five fields, aged by the time since issue that the grant's expiresAt tells", () => {
    const fresh = {
      api_token: 'api',
      api_token_ttl: 600,
      navigation_token: 'nav',
      navigation_token_ttl: 590,
      session_reference_token_ttl: 3600,
    };
    deepEqual(sessionTokens(tokens, expiresIn(590), now), fresh);
    deepEqual(sessionTokens(tokens, null, now), fresh, 'never expiring: as issued');
    deepEqual(sessionTokens(tokens, expiresIn(489.3), now), {
      api_token: 'api',
      api_token_ttl: 499,
      navigation_token: 'nav',
      navigation_token_ttl: 489,
      session_reference_token_ttl: 3499,
    });
    ok(!JSON.stringify(sessionTokens(tokens, expiresIn(590), now)).includes('SECRET'), 'no session reference token');
  });

  it('a session whose reference ran out is told so: placeholder tokens with session_reference_token_ttl 0', () => {
    deepEqual(sessionTokens({ ...tokens, session_reference_token_ttl: 0 }, expiresIn(590), now), ENDED_SESSION_TOKENS);
    deepEqual(sessionTokens({ ...tokens, session_reference_token_ttl: 100 }, expiresIn(480), now), {
      ...ENDED_SESSION_TOKENS,
    });
    equal(ENDED_SESSION_TOKENS.session_reference_token_ttl, 0);
    ok(ENDED_SESSION_TOKENS.api_token !== '' && ENDED_SESSION_TOKENS.api_token_ttl > 0, 'tokens older Looker accepts');
  });

  it('reuses tokens until two minutes before expiry, or half the lifetime of short-lived ones', () => {
    equal(tokenMinValidityMs(tokens, 120), 120_000);
    equal(tokenMinValidityMs({ ...tokens, api_token_ttl: 90, navigation_token_ttl: 90 }, 120), 45_000);
    equal(tokenMinValidityMs(tokens, 30), 30_000);
    equal(tokenMinValidityMs({}, 120), 120_000, 'unreadable tokens: the margin');
  });

  it('refuses token sets that lack a field', () => {
    for (const key of [
      'api_token',
      'api_token_ttl',
      'navigation_token',
      'navigation_token_ttl',
      'session_reference_token_ttl',
    ]) {
      const partial: Record<string, unknown> = { ...tokens };
      delete partial[key];
      equal(thrownEmbedError(() => sessionTokens(partial, null, now)).code, 'malformed-token', key);
    }
  });

  it('reads session:status as the official host: expired ends; recoverable counts only with interrupted', () => {
    equal(sessionStatusMeaning({ expired: true }), 'ended');
    equal(sessionStatusMeaning({ expired: false, interrupted: true, recoverable: false }), 'ended');
    equal(sessionStatusMeaning({ interrupted: true }), 'interrupted');
    equal(sessionStatusMeaning({ expired: false, interrupted: true, recoverable: true }), 'interrupted');
    equal(sessionStatusMeaning({ recoverable: false }), 'healthy', 'recoverable alone means nothing');
    equal(
      sessionStatusMeaning({ session_ttl: 3000, expired: false, interrupted: false, recoverable: false }),
      'healthy',
    );
    equal(sessionStatusMeaning({ expired: false, interrupted: false, recoverable: true }), 'healthy');
  });

  it('formats messages as JSON strings whose type cannot be overridden, and reads heights', () => {
    equal(lookerMessage('dashboard:run'), '{"type":"dashboard:run"}');
    deepEqual(JSON.parse(lookerMessage('dashboard:filters:update', { type: 'x', filters: { a: '1' } })), {
      type: 'dashboard:filters:update',
      filters: { a: '1' },
    });
    equal(pageHeight({ height: 640.2 }), 641);
    equal(pageHeight({ height: 150 }), 150, 'small dashboards are followed');
    for (const height of [0, -4, 100, 99.5, '500', NaN, Infinity, undefined]) equal(pageHeight({ height }), null);
    equal(LOOKER_EVENTS['dashboard:run:complete'], 'looker-dashboard-run-complete');
  });
});

describe('looker: signed sessions and timers', () => {
  it('reads session_length relative to arrival, or expires as ISO or epoch seconds', () => {
    deepEqual(readSignedSession({ url: 'u', session_length: 600 }, 1_000), { url: 'u', endsAt: 601_000 });
    deepEqual(readSignedSession({ url: 'u', expires: '2026-11-25T12:00:00Z' }, 0), {
      url: 'u',
      endsAt: Date.UTC(2026, 10, 25, 12),
    });
    deepEqual(readSignedSession({ url: 'u', expires: 1_800_000_000 }, 0), { url: 'u', endsAt: 1_800_000_000_000 });
    deepEqual(readSignedSession({ url: 'u' }, 0), { url: 'u', endsAt: null });
    for (const bad of [{}, { url: 'u', session_length: 0 }, { url: 'u', expires: 'soon' }])
      equal(thrownEmbedError(() => readSignedSession(bad, 0)).code, 'malformed-token');
  });

  it('renews before the end, half-way for short sessions, never in a storm', () => {
    equal(signedRenewAt({ url: 'u', endsAt: 600_000 }, 0, 60), 540_000);
    equal(signedRenewAt({ url: 'u', endsAt: 60_000 }, 0, 60), 30_000);
    equal(signedRenewAt({ url: 'u', endsAt: 1_000 }, 0, 60), MIN_RENEW_DELAY_MS);
    equal(signedRenewAt({ url: 'u', endsAt: -5 }, 100, 60), 100 + MIN_RENEW_DELAY_MS);
    equal(signedRenewAt({ url: 'u', endsAt: null }, 0, 60), null);
  });

  it('callAt fires on time, chains long delays without overflow, and cancels', async () => {
    const clock = new FakeClock(0);
    let fired = 0;
    const far = 40 * 24 * 3600 * 1000; // 40 days: beyond setTimeout's limit
    callAt(clock, far, () => (fired += 1));
    await clock.advance(far - 1);
    equal(fired, 0);
    await clock.advance(1);
    equal(fired, 1);
    ok(clock.longestDelay <= MAX_TIMER_MS, 'no delay over 2^31 − 1');
    const cancel = callAt(clock, clock.now() + 10, () => (fired += 1));
    cancel();
    await clock.advance(100);
    equal(fired, 1);
    equal(clock.pending, 0);
  });
});

describe('looker: the token source (which set answers the iframe)', () => {
  const set = (id: string, extra: Record<string, unknown> = {}) => ({
    api_token: `api-${id}`,
    api_token_ttl: 600,
    navigation_token: `nav-${id}`,
    navigation_token_ttl: 600,
    session_reference_token_ttl: 3600,
    ...extra,
  });
  const never = () => false;

  it("answers the session's set, aged by its expiresAt, asking for two minutes of validity", async () => {
    const clock = new FakeClock(1_000_000);
    const fake = createFakeContext({ tokens: set('a') });
    const asked: (number | undefined)[] = [];
    fake.context.getTokens = async (options) => {
      asked.push(options?.minValidityMs);
      return { tokens: set('a'), expiresAt: clock.now() + 300_000 };
    };
    const answer = await createTokenSource(fake.context, 120, clock, never).answer();
    deepEqual([answer.api_token, answer.api_token_ttl, answer.session_reference_token_ttl], ['api-a', 300, 3300]);
    deepEqual(asked, [120_000]);
  });

  it("a new iframe's own acquire answers until the shared set moves on", async () => {
    const clock = new FakeClock(1_000_000);
    let shared = set('old');
    const fake = createFakeContext({ tokens: shared, onGetTokens: () => shared });
    const source = createTokenSource(fake.context, 120, clock, never);
    source.started({ tokens: set('own'), expiresAt: null });
    equal((await source.answer()).api_token, 'api-own');
    shared = set('refreshed');
    equal((await source.answer()).api_token, 'api-refreshed');
  });

  it('an ended session (409 session-ended, or a login the session re-acquired) answers the ended tokens', async () => {
    const clock = new FakeClock(1_000_000);
    const ended = createFakeContext({
      tokens: set('a'),
      onGetTokens: () => {
        throw new EmbedError('http', 'ended', { status: 409, serverCode: 'session-ended' });
      },
    });
    deepEqual(await createTokenSource(ended.context, 120, clock, never).answer(), { ...ENDED_SESSION_TOKENS });
    const relogged = createFakeContext({
      tokens: set('a'),
      onGetTokens: () => set('b', { authentication_token: 'x' }),
    });
    const fresh = (tokens: Record<string, unknown>) => tokens['authentication_token'] === 'x';
    deepEqual(await createTokenSource(relogged.context, 120, clock, fresh).answer(), { ...ENDED_SESSION_TOKENS });
    const offline = createFakeContext({
      tokens: set('a'),
      onGetTokens: () => {
        throw new EmbedError('network', 'offline');
      },
    });
    equal((await rejects(createTokenSource(offline.context, 120, clock, never).answer())).code, 'network');
  });
});
