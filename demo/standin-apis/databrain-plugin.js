// A local stand-in for DataBrain's web-component plugin (`@databrainhq/plugin/web`), written from
// /work/shared/vendor-notes.md; no DataBrain code. The real plugin renders with data from DataBrain's
// cloud, so it cannot work offline; the demo loads this module instead (vendor option `moduleUrl`).
// It defines <dbn-dashboard> and <dbn-metric> with the documented kebab-case attributes (`token`,
// `dashboard-id` / `metric-id`, JSON `options` and `theme`, `handle-server-event` naming a global function)
// and behaves like the plugin where the SDK relies on it:
// - a new `token` on the same element is used for the next queries, without a reload;
// - every query (on render, on a token change, then every 5 s) sends the token to the local DataBrain
//   stand-in API, which accepts it only until it expires; a refused token raises
//   `{type: "TOKEN_EXPIRED"}` through `handle-server-event`, as newer plugin builds do.
// For tests: element.standin = {tokens, queries, accepted, serverEvents, lastAnswer}.
const VERIFY_URL = new URL('/standin-api/databrain/standin/verify', import.meta.url).href;
const QUERY_EVERY_MS = 5000;

class DataBrainStandin extends HTMLElement {
  static observedAttributes = ['token', 'dashboard-id', 'metric-id', 'options', 'theme'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.standin = { tokens: [], queries: 0, accepted: 0, serverEvents: [], lastAnswer: null };
    this._timer = undefined;
    this._expiredToken = undefined;
  }

  connectedCallback() {
    this._draw();
    this._query();
    this._timer = setInterval(() => this._query(), QUERY_EVERY_MS);
  }

  disconnectedCallback() {
    clearInterval(this._timer);
    this._timer = undefined;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (name === 'token' && newValue && newValue !== oldValue) {
      this.standin.tokens.push(newValue);
      if (this.isConnected) this._query();
    }
    if (this.isConnected) this._draw();
  }

  /** One "query": what the real plugin does when it loads data with the guest token. */
  async _query() {
    const token = this.getAttribute('token');
    if (!token) return;
    this.standin.queries += 1;
    let answer;
    try {
      const response = await fetch(VERIFY_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      });
      answer = { status: response.status, body: await response.json() };
    } catch (error) {
      answer = { status: 0, body: { error: { code: 'NETWORK', message: String(error && error.message) } } };
    }
    // A slow answer about an older token must not overwrite a newer one's.
    if (token !== this.getAttribute('token')) return;
    this.standin.lastAnswer = answer;
    if (answer.status === 200) this.standin.accepted += 1;
    else if (
      answer.body &&
      answer.body.error &&
      answer.body.error.code === 'TOKEN_EXPIRED' &&
      this._expiredToken !== token
    ) {
      this._expiredToken = token; // one event per refused token, like the plugin
      this._serverEvent({ type: 'TOKEN_EXPIRED' });
    }
    this._draw();
  }

  _serverEvent(event) {
    this.standin.serverEvents.push(event);
    const name = this.getAttribute('handle-server-event');
    const handler = name ? window[name] : undefined;
    if (typeof handler === 'function') handler(event);
  }

  _draw() {
    const token = this.getAttribute('token') || '';
    const answer = this.standin.lastAnswer;
    const body = (answer && answer.body) || {};
    const root = this.shadowRoot;
    root.innerHTML =
      '<style>' +
      ':host{display:block;height:100%;box-sizing:border-box;font:14px system-ui,sans-serif;padding:16px;background:#f8fafc;color:#0f172a;border-radius:8px}' +
      'h2{margin:0 0 8px;font-size:18px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:0}dt{color:#64748b}dd{margin:0;word-break:break-all}' +
      '.ok{color:#15803d}.bad{color:#b91c1c}.bars{display:flex;gap:6px;align-items:end;height:56px;margin-top:12px}.bars span{width:18px;background:#0ea5e9;border-radius:3px 3px 0 0}' +
      '</style>' +
      '<h2></h2><dl>' +
      '<dt>Dashboard</dt><dd data-field="dashboard"></dd>' +
      '<dt>Guest token</dt><dd data-field="token"></dd>' +
      '<dt>Token expires</dt><dd data-field="expires"></dd>' +
      '<dt>Token changes</dt><dd data-field="changes"></dd>' +
      '<dt>Last query</dt><dd data-field="status"></dd></dl>' +
      '<div class="bars"><span style="height:45%"></span><span style="height:70%"></span><span style="height:35%"></span><span style="height:90%"></span><span style="height:60%"></span></div>';
    // textContent only: nothing from attributes or the API is ever parsed as HTML.
    const field = (name) => root.querySelector(`[data-field="${name}"]`);
    root.querySelector('h2').textContent =
      `DataBrain ${this.localName === 'dbn-metric' ? 'metric' : 'dashboard'} (local stand-in)`;
    field('dashboard').textContent = this.getAttribute('dashboard-id') || this.getAttribute('metric-id') || '—';
    field('token').textContent = token ? `${token.slice(0, 8)}…` : '—';
    field('expires').textContent = body.expiresAt || (answer && answer.status === 200 ? 'never' : '—');
    field('changes').textContent = String(Math.max(0, this.standin.tokens.length - 1));
    const status = field('status');
    if (!answer) status.textContent = 'loading…';
    else if (answer.status === 200) {
      status.textContent = `token accepted (${this.standin.accepted} queries)`;
      status.className = 'ok';
    } else {
      status.textContent = `refused: ${(body.error && body.error.code) || answer.status}`;
      status.className = 'bad';
    }
  }
}

for (const tag of ['dbn-dashboard', 'dbn-metric']) {
  if (!customElements.get(tag)) customElements.define(tag, class extends DataBrainStandin {});
}
