// A local stand-in for DataBrain's web-component plugin (`@databrainhq/plugin/web`), written from what
// the published 0.12.9 does; no DataBrain code. The real plugin renders with data from DataBrain's
// cloud, so it cannot work offline; the demo loads this module instead (vendor option `moduleUrl`).
// It defines <dbn-dashboard> and <dbn-metric> with the documented kebab-case attributes (`token`,
// `dashboard-id` / `metric-id`, JSON `options` and `theme`) and behaves like 0.12.9 where the SDK
// relies on it:
// - on connect it loads the dashboard once with its token from the local DataBrain stand-in API; a
//   refused token is tried 4 times (1 s, 2 s, 4 s apart), then it shows "Invalid token or Dashboard id"
//   for good;
// - a new `token` on the same element is kept for later requests, but starts no new load (0.12.9's
//   query key has no token in it), so a refused element never recovers by itself;
// - there is no server event: `handle-server-event` is ignored (newer builds call it; 0.12.9 does not).
// For tests: element.standin = {tokens, queries, accepted, lastAnswer, refused}.
const VERIFY_URL = new URL('/standin-api/databrain/standin/verify', import.meta.url).href;
/** Waits before the 2nd, 3rd and 4th try of a refused load (the plugin's react-query defaults). */
const RETRY_DELAYS_MS = [1000, 2000, 4000];
/** What 0.12.9 shows once it gave up on the token. */
const REFUSAL_TEXT = 'Invalid token or Dashboard id';

class DataBrainStandin extends HTMLElement {
  static observedAttributes = ['token', 'dashboard-id', 'metric-id', 'options', 'theme'];

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.standin = { tokens: [], queries: 0, accepted: 0, lastAnswer: null, refused: false };
    this._retry = undefined;
    this._started = false;
  }

  connectedCallback() {
    this._draw();
    if (!this._started) {
      this._started = true;
      this._load(0);
    }
  }

  disconnectedCallback() {
    // Like the plugin: its React tree unmounts and its retries stop.
    clearTimeout(this._retry);
    this._retry = undefined;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (name === 'token' && newValue && newValue !== oldValue) this.standin.tokens.push(newValue);
    if (this.isConnected) this._draw();
  }

  /** The dashboard load, with the token the element has at the time of each try. */
  async _load(attempt) {
    const token = this.getAttribute('token');
    if (!token || !this.isConnected) return;
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
    this.standin.lastAnswer = answer;
    if (answer.status === 200) this.standin.accepted += 1;
    else if (attempt < RETRY_DELAYS_MS.length && this.isConnected)
      this._retry = setTimeout(() => this._load(attempt + 1), RETRY_DELAYS_MS[attempt]);
    else this.standin.refused = true;
    this._draw();
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
      '</style>';
    if (this.standin.refused) {
      const refusal = document.createElement('p');
      refusal.className = 'bad';
      refusal.textContent = REFUSAL_TEXT;
      root.append(refusal);
      return;
    }
    root.innerHTML +=
      '<h2></h2><dl>' +
      '<dt>Dashboard</dt><dd data-field="dashboard"></dd>' +
      '<dt>Guest token</dt><dd data-field="token"></dd>' +
      '<dt>Token expires</dt><dd data-field="expires"></dd>' +
      '<dt>Token changes</dt><dd data-field="changes"></dd>' +
      '<dt>Dashboard load</dt><dd data-field="status"></dd></dl>' +
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
      status.textContent = 'token accepted (later tokens are kept for later requests)';
      status.className = 'ok';
    } else {
      status.textContent = `refused: ${(body.error && body.error.code) || answer.status}, trying again`;
      status.className = 'bad';
    }
  }
}

for (const tag of ['dbn-dashboard', 'dbn-metric']) {
  if (!customElements.get(tag)) customElements.define(tag, class extends DataBrainStandin {});
}
