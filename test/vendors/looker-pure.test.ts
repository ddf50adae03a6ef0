import '../helpers/mocha-globals.js';
import { deepEqual, equal, ok, thrownEmbedError } from '../helpers/assert.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { MAX_TIMER_DELAY as MAX_TIMER_MS, callAt } from '../../src/timers.js';
import {
  LOOKER_EVENTS,
  lookerMessage,
  pageHeight,
  sessionIsHealthy,
  sessionNeedsRecovery,
  sessionTokens,
} from '../../src/vendors/looker/messages.js';
import { lookerOrigin, readLookerOptions } from '../../src/vendors/looker/options.js';
import { MIN_RENEW_DELAY_MS, readSignedSession, signedRenewAt } from '../../src/vendors/looker/signed.js';
import { buildCookielessUrl } from '../../src/vendors/looker/url.js';

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

  it('session:tokens copies only the five fields, aged by the time since arrival', () => {
    deepEqual(sessionTokens(tokens, 0), {
      api_token: 'api',
      api_token_ttl: 600,
      navigation_token: 'nav',
      navigation_token_ttl: 590,
      session_reference_token_ttl: 3600,
    });
    deepEqual(sessionTokens(tokens, 0.9), sessionTokens(tokens, 0), 'under a second: unchanged');
    deepEqual(sessionTokens(tokens, 100.7), {
      api_token: 'api',
      api_token_ttl: 500,
      navigation_token: 'nav',
      navigation_token_ttl: 490,
      session_reference_token_ttl: 3500,
    });
    const old = sessionTokens(tokens, 10_000);
    equal(old.api_token_ttl, 0);
    equal(old.session_reference_token_ttl, 0);
    ok(!JSON.stringify(sessionTokens(tokens, 0)).includes('SECRET'), 'no session reference token');
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
      equal(thrownEmbedError(() => sessionTokens(partial, 0)).code, 'malformed-token', key);
    }
  });

  it('decides when a session needs a new one', () => {
    ok(sessionNeedsRecovery({ expired: true }));
    ok(sessionNeedsRecovery({ expired: false, interrupted: true, recoverable: false }));
    ok(sessionNeedsRecovery({ interrupted: true }));
    ok(!sessionNeedsRecovery({ expired: false, interrupted: true, recoverable: true }));
    ok(!sessionNeedsRecovery({ expired: false, interrupted: false, recoverable: true }));
    ok(sessionIsHealthy({ expired: false, interrupted: false, recoverable: true }));
    ok(!sessionIsHealthy({ interrupted: true, recoverable: true }));
  });

  it('formats messages as JSON strings whose type cannot be overridden, and reads heights', () => {
    equal(lookerMessage('dashboard:run'), '{"type":"dashboard:run"}');
    deepEqual(JSON.parse(lookerMessage('dashboard:filters:update', { type: 'x', filters: { a: '1' } })), {
      type: 'dashboard:filters:update',
      filters: { a: '1' },
    });
    equal(pageHeight({ height: 640.2 }), 641);
    for (const height of [0, -4, '50', NaN, undefined]) equal(pageHeight({ height }), null);
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
