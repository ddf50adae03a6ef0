// `embed-dashboard/testing`: internals for tests and tools, not for apps; they may change in any
// release. The count of live shared sessions (to assert an app released everything), the schedule's
// pure functions and defaults, and the expiry reading.
export { liveSessionCount } from '../token/registry.js';
export { refreshTime, retryDelay, nextRefreshDelay, DEFAULT_SCHEDULE } from '../token/schedule.js';
export { resolveExpiry, type Expiry } from '../token/expiry.js';
export { systemClock } from '../timers.js';
export { requestIdentity } from '../identity/client.js';
