// The Chromium flags every launch in this repo shares (browser tests, puppeteer tests, benches).

/** Headless Chromium on a closed CI machine: root needs --no-sandbox; nothing may reach the network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-quic',
  '--disable-background-networking',
  '--no-first-run',
];

/** Pages side by side are background tabs: their timers must keep running as a user's tabs do. */
export const UNTHROTTLED_ARGS = [
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Cross-origin iframes in the page's own process, so puppeteer sees their execution contexts through
 * the page (with out-of-process iframes it sometimes never got the Looker frame's context). The
 * iframes stay cross-origin, so the same-origin policy still applies.
 */
export const IN_PROCESS_FRAMES_ARGS = [
  '--disable-site-isolation-trials',
  '--disable-features=IsolateOrigins,site-per-process',
];
