// Stand-in for Looker's cookieless embed page, as strict as Looker's documentation describes it:
// - its URL must be /login/embed/<encodeURIComponent(target)>?embed_authentication_token=… where the
//   target is /embed/… with embed_domain (an origin, the parent's) and embed_navigation_token, and no
//   `sdk` parameter anywhere (that would ask for @looker/embed-sdk's handshake); an authentication
//   token works once (remembered in this origin's localStorage);
// - it talks only JSON strings, only with window.parent, only at the embed_domain origin;
// - it asks for tokens with `session:tokens:request` and accepts only a `session:tokens` answer to
//   a pending request holding exactly api_token, api_token_ttl, navigation_token,
//   navigation_token_ttl, session_reference_token_ttl (a session reference token is refused);
// - it then shows a mini dashboard and posts dashboard:run:start, page:properties:changed {height},
//   dashboard:run:complete; it answers dashboard:run and dashboard:filters:update;
// - a signed URL (?nonce&time&session_length&signature…, single use by nonce) starts at once, with no
//   token exchange;
// - test commands (from the parent): standin:expire {via: 'expired' | 'status'}, standin:resize
//   {height}, standin:request-tokens.
// `window.lookerStandin` exposes what happened, for same-origin tests.
(() => {
  'use strict';
  const LOGIN = '/login/embed/';
  const TOKEN_KEYS = [
    'api_token',
    'api_token_ttl',
    'navigation_token',
    'navigation_token_ttl',
    'session_reference_token_ttl',
  ];
  const state = {
    valid: false,
    signed: false,
    errors: [],
    target: null,
    embedDomain: null,
    authenticationToken: null,
    navigationToken: null,
    tokenRequests: 0,
    /** Accepted session:tokens data, in order. */
    tokens: [],
    /** Refused messages, with the reason. */
    rejected: [],
    /** Messages this page posted, parsed. */
    posted: [],
    runs: 0,
    filters: {},
    expired: false,
  };
  window.lookerStandin = state;
  const $ = (id) => document.getElementById(id);
  let pendingRequest = false;
  let askAgainTimer;
  let started = false;
  let refreshTimer = 0;

  function error(reason) {
    state.errors.push(reason);
    $('error').hidden = false;
    $('error').textContent = reason;
    $('status').textContent = 'error';
  }
  function reject(reason, data) {
    state.rejected.push({ reason, data });
  }
  function post(type, data = {}) {
    const message = { ...data, type };
    state.posted.push(message);
    window.parent.postMessage(JSON.stringify(message), state.embedDomain);
  }
  // A page that is not laid out (a cross-origin frame in a hidden tab) measures 0: report a minimum.
  function height() {
    return Math.max(200, Math.ceil(document.documentElement.scrollHeight));
  }

  // ---- the URL ----
  function readUrl() {
    const path = location.pathname.startsWith(LOGIN) ? location.pathname : location.hash.slice(1);
    if (!path.startsWith(LOGIN)) return error('Not a /login/embed/ URL.');
    const outer = new URLSearchParams(location.search);
    if (outer.has('sdk')) return error('The URL carries an sdk parameter.');
    // Signed URLs carry a signature instead of an authentication token, and need no token exchange.
    const signed = outer.has('signature');
    const auth = signed ? outer.get('nonce') : outer.get('embed_authentication_token');
    if (signed && !(outer.get('time') && outer.get('session_length') && outer.get('signature')))
      return error('A signed URL needs nonce, time, session_length and signature.');
    if (!auth) return error(signed ? 'No nonce in the signed URL.' : 'No embed_authentication_token.');
    let target;
    try {
      target = decodeURIComponent(path.slice(LOGIN.length));
    } catch {
      return error('The target is not URL-encoded properly.');
    }
    if (!target.startsWith('/embed/')) return error(`The target ${target} is not an /embed/ page.`);
    const targetUrl = new URL(target, location.origin);
    if (targetUrl.searchParams.has('sdk')) return error('The target carries an sdk parameter.');
    const domain = targetUrl.searchParams.get('embed_domain');
    if (!domain) return error('No embed_domain in the target.');
    let origin;
    try {
      origin = new URL(domain).origin;
    } catch {
      return error('embed_domain is not an origin.');
    }
    if (origin !== domain)
      return error(`embed_domain must be an origin without a path or trailing slash (got ${domain}).`);
    const parents = location.ancestorOrigins;
    if (parents && parents.length > 0 && parents[0] !== domain)
      return error(`embed_domain ${domain} is not the parent's origin ${parents[0]}.`);
    const navigation = targetUrl.searchParams.get('embed_navigation_token');
    if (!navigation && !signed) return error('No embed_navigation_token in the target.');
    try {
      const used = JSON.parse(localStorage.getItem('looker-standin:used-auth') || '[]');
      if (used.includes(auth))
        return error(
          signed ? 'This signed URL (nonce) was already used.' : 'This authentication token was already used.',
        );
      localStorage.setItem('looker-standin:used-auth', JSON.stringify([...used, auth].slice(-200)));
    } catch {
      // No storage (sandboxed without same-origin): skip the single-use check.
    }
    Object.assign(state, {
      valid: true,
      signed,
      target,
      embedDomain: domain,
      authenticationToken: auth,
      navigationToken: navigation,
    });
    $('title').textContent = `Looker ${targetUrl.pathname.replace('/embed/', '')}`;
  }

  // ---- tokens ----
  function requestTokens() {
    pendingRequest = true;
    state.tokenRequests += 1;
    post('session:tokens:request');
    // A request left unanswered (a message lost while the host was still loading) is asked again.
    clearTimeout(askAgainTimer);
    askAgainTimer = setTimeout(() => {
      if (pendingRequest && !state.expired) requestTokens();
    }, 5000);
  }
  function checkTokens(data) {
    const keys = Object.keys(data).filter((key) => key !== 'type');
    const extra = keys.filter((key) => !TOKEN_KEYS.includes(key));
    if (extra.length) return `unexpected fields ${extra.join(', ')}`;
    for (const key of TOKEN_KEYS) {
      const value = data[key];
      const ok = key.endsWith('_ttl')
        ? typeof value === 'number' && Number.isFinite(value) && value >= 0
        : typeof value === 'string' && value !== '';
      if (!ok) return `bad or missing ${key}`;
    }
    return null;
  }
  function acceptTokens(data) {
    if (!pendingRequest) return reject('session:tokens without a pending request', data);
    const problem = checkTokens(data);
    if (problem) return reject(`session:tokens: ${problem}`, data);
    pendingRequest = false;
    clearTimeout(askAgainTimer);
    const { type: _type, ...tokens } = data;
    state.tokens.push(tokens);
    if (tokens.session_reference_token_ttl === 0) return expire('expired');
    clearTimeout(refreshTimer);
    const next = Math.min(tokens.api_token_ttl, tokens.navigation_token_ttl) - 30;
    refreshTimer = setTimeout(requestTokens, Math.max(1, next) * 1000);
    $('status').textContent = `session ok, api token ttl ${tokens.api_token_ttl}s`;
    if (!started) {
      started = true;
      run();
    }
  }
  function expire(via) {
    state.expired = true;
    clearTimeout(refreshTimer);
    $('status').textContent = 'session expired';
    $('tiles').replaceChildren();
    if (via === 'status') post('session:status', { expired: true, interrupted: false, recoverable: false });
    else post('session:expired');
  }

  // ---- the dashboard ----
  function render() {
    const seed = state.runs + Object.values(state.filters).join('').length;
    $('tiles').replaceChildren(
      ...['Orders', 'Revenue', 'Users', 'Returns'].map((name, i) => {
        const tile = document.createElement('div');
        tile.className = 'tile';
        tile.innerHTML = `${name}<b>${(97 * (i + 1) + seed * 13) % 1000}</b>`;
        return tile;
      }),
    );
    const filters = Object.entries(state.filters)
      .map(([key, value]) => `${key}: ${value}`)
      .join(', ');
    $('filters').textContent = filters ? `Filters — ${filters}` : '';
  }
  function run() {
    if (!started || state.expired) return;
    state.runs += 1;
    post('dashboard:run:start', { dashboard: { id: state.target } });
    render();
    post('page:properties:changed', { height: height() });
    post('dashboard:run:complete', {
      dashboard: { id: state.target, dashboard_filters: { ...state.filters } },
      status: 'complete',
    });
  }
  function updateFilters(data) {
    const filters = data.filters;
    if (
      !filters ||
      typeof filters !== 'object' ||
      Array.isArray(filters) ||
      !Object.values(filters).every((v) => typeof v === 'string')
    ) {
      return reject('dashboard:filters:update needs filters: {name: string}', data);
    }
    state.filters = { ...state.filters, ...filters };
    render();
    post('dashboard:filters:changed', { dashboard: { id: state.target, dashboard_filters: { ...state.filters } } });
  }

  // ---- messages ----
  window.addEventListener('message', (event) => {
    if (!state.valid) return;
    if (event.source !== window.parent || event.origin !== state.embedDomain)
      return reject('wrong source or origin', event.origin);
    if (typeof event.data !== 'string') return reject('not a JSON string', event.data);
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return reject('not JSON', event.data);
    }
    if (!data || typeof data !== 'object' || typeof data.type !== 'string') return reject('no type', data);
    switch (data.type) {
      case 'session:tokens':
        return acceptTokens(data);
      case 'dashboard:run':
        return run();
      case 'dashboard:filters:update':
        return updateFilters(data);
      case 'standin:expire':
        return expire(data.via);
      case 'standin:resize':
        return post('page:properties:changed', { height: data.height });
      case 'standin:request-tokens':
        return requestTokens();
      default:
        return reject(`unknown type ${data.type}`, data);
    }
  });

  readUrl();
  if (state.valid && state.signed) {
    started = true;
    $('status').textContent = `signed session, ${new URLSearchParams(location.search).get('session_length')}s`;
    run();
  } else if (state.valid) requestTokens();
})();
