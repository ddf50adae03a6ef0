// `embed-dashboard/debug`: the console log for TokenSession's `debug` option, for apps that run
// sessions themselves (the element's `debug` attribute loads the same words by itself, lazily).
export { consoleDebugLog } from '../debug/console.js';
export type { DebugEntry, DebugLog } from '../debug/lines.js';
