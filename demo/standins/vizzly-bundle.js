// A local stand-in for Vizzly's embed bundle (https://static.app.vizzly.co/embedded/<version>/bundle.js),
// written from the facts in docs/vendors.md; no Vizzly code. It defines <vizzly-dashboard> with
// render(props) and is as strict as the real one where that matters to the SDK:
// - props.identity() is called on render and then on the element's own timer;
// - the result must be exactly {dashboardAccessToken, dataAccessToken?, queryEngineAccessToken?,
//   projectAccessToken?}: an extra key, a null, an empty string or a missing dashboardAccessToken is
//   rejected (error state; old tokens kept, like Vizzly);
// - the dashboard token's payload is decoded with window.atob, which throws on base64url '-' / '_'.
// Interval: data-identity-interval-ms on the element, else window.__vizzlyStandin.intervalMs, else 5000.
// For tests: element.identityCalls, .lastIdentity, .errors, .renderCount, .props, .claims.
(function () {
  'use strict';
  if (customElements.get('vizzly-dashboard')) return;

  var ALLOWED = ['dashboardAccessToken', 'dataAccessToken', 'queryEngineAccessToken', 'projectAccessToken'];
  var DEFAULT_INTERVAL_MS = 5000;

  /** Throws (like Vizzly's validation) unless `value` is a well-formed identity object. */
  function validateIdentity(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('identity() must resolve to an object');
    Object.keys(value).forEach(function (key) {
      if (ALLOWED.indexOf(key) === -1) throw new Error('identity() returned an unexpected key "' + key + '"');
      if (value[key] === null) throw new Error('identity() returned null for "' + key + '"');
      if (typeof value[key] !== 'string') throw new Error('identity() returned a non-string "' + key + '"');
      if (value[key] === '') throw new Error('identity() returned an empty string for "' + key + '"');
    });
    if (!('dashboardAccessToken' in value)) throw new Error('identity() returned no dashboardAccessToken');
  }

  /** Decodes a JWT payload the way Vizzly's browser client does: plain atob, no base64url mapping. */
  function decodePayload(token) {
    var parts = token.split('.');
    if (parts.length !== 3) throw new Error('dashboardAccessToken is not a JWT');
    var json;
    try {
      json = window.atob(parts[1]);
    } catch (error) {
      throw new Error('atob could not decode the dashboardAccessToken payload (' + error.message + ')');
    }
    return JSON.parse(json);
  }

  function intervalMs(element) {
    var fromAttribute = Number(element.getAttribute('data-identity-interval-ms'));
    if (fromAttribute > 0) return fromAttribute;
    var config = window.__vizzlyStandin;
    if (config && Number(config.intervalMs) > 0) return Number(config.intervalMs);
    return DEFAULT_INTERVAL_MS;
  }

  class VizzlyDashboardStandin extends HTMLElement {
    constructor() {
      super();
      this.attachShadow({ mode: 'open' });
      this.identityCalls = 0;
      this.lastIdentity = undefined;
      this.errors = [];
      this.renderCount = 0;
      this.props = undefined;
      this.claims = undefined;
      this._timer = undefined;
    }

    /** Vizzly's entry point: (re)renders the dashboard with these props. */
    render(props) {
      if (typeof props !== 'object' || props === null || typeof props.identity !== 'function') {
        throw new TypeError('<vizzly-dashboard>.render(props) needs props.identity, an async function');
      }
      this.renderCount += 1;
      this.props = props;
      this._stopTimer();
      if (this.isConnected) this._startTimer();
      this._draw();
      return this._askIdentity();
    }

    connectedCallback() {
      if (this.props && !this._timer) this._startTimer();
    }

    disconnectedCallback() {
      this._stopTimer();
    }

    _startTimer() {
      var self = this;
      this._timer = setInterval(function () {
        self._askIdentity();
      }, intervalMs(this));
    }

    _stopTimer() {
      if (this._timer !== undefined) clearInterval(this._timer);
      this._timer = undefined;
    }

    _askIdentity() {
      var self = this;
      var props = this.props;
      this.identityCalls += 1;
      return Promise.resolve()
        .then(function () {
          return props.identity();
        })
        .then(function (identity) {
          validateIdentity(identity);
          var claims = decodePayload(identity.dashboardAccessToken);
          if (typeof claims.expires === 'string' && Date.parse(claims.expires) <= Date.now()) {
            throw new Error('the dashboardAccessToken expired at ' + claims.expires);
          }
          // Only a valid answer replaces the tokens in use.
          self.lastIdentity = identity;
          self.claims = claims;
          self._error = undefined;
        })
        .catch(function (error) {
          // Like Vizzly: log, keep the old tokens, never re-ask early.
          var message = error && error.message ? error.message : String(error);
          self.errors.push(message);
          self._error = message;
          console.warn('[vizzly stand-in] identity failed: ' + message);
        })
        .then(function () {
          self._draw();
          self.dispatchEvent(new CustomEvent('vizzly-standin-identity', { detail: { calls: self.identityCalls } }));
        });
    }

    _draw() {
      var root = this.shadowRoot;
      var claims = this.claims || {};
      var props = this.props || {};
      root.innerHTML =
        '<style>' +
        ':host{display:block;font:14px system-ui,sans-serif;border:1px solid #d0d5dd;border-radius:8px;padding:16px;background:#fff;color:#101828}' +
        'h2{margin:0 0 8px;font-size:18px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}' +
        'dt{color:#667085}dd{margin:0}.error{color:#b42318;margin-top:8px}.bars{display:flex;gap:6px;align-items:end;height:60px;margin-top:12px}' +
        '.bars span{width:18px;background:#7f56d9;border-radius:3px 3px 0 0}' +
        '</style>' +
        '<h2 part="title"></h2>' +
        '<dl><dt>Dashboard</dt><dd data-field="dashboardId"></dd>' +
        '<dt>User</dt><dd data-field="userReference"></dd>' +
        '<dt>Token expires</dt><dd data-field="expires"></dd>' +
        '<dt>identity() calls</dt><dd data-field="identityCalls"></dd></dl>' +
        '<div class="bars"><span style="height:30%"></span><span style="height:55%"></span><span style="height:42%"></span><span style="height:80%"></span><span style="height:65%"></span></div>' +
        '<p class="error" role="alert" hidden></p>';
      // textContent, never innerHTML, for anything that came from a token or props.
      root.querySelector('h2').textContent = 'Vizzly dashboard (local stand-in)';
      root.querySelector('[data-field="dashboardId"]').textContent =
        props.dashboardId || props.parentDashboardId || '\u2014';
      root.querySelector('[data-field="userReference"]').textContent = claims.userReference || '\u2014';
      root.querySelector('[data-field="expires"]').textContent = claims.expires || '\u2014';
      root.querySelector('[data-field="identityCalls"]').textContent = String(this.identityCalls);
      var error = root.querySelector('.error');
      if (this._error) {
        error.hidden = false;
        error.textContent = 'Vizzly rejected the identity: ' + this._error;
      }
    }
  }

  customElements.define('vizzly-dashboard', VizzlyDashboardStandin);
})();
