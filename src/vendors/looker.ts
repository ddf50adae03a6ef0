// Looker adapter, the public module: a cookieless embed session in an iframe (tokens answered from the
// shared session on Looker's request; a new session when Looker says the old one ended), or signed
// embed URLs renewed with a new iframe before they run out. The mount itself is in looker/mount.ts.
import { mountLooker } from './looker/mount.js';
import type { LookerAdapter } from './looker/types.js';

export type { LookerAdapter, LookerEmbed } from './looker/types.js';
export type { LookerOptions } from './looker/options.js';
export type { LookerSessionTokens } from './looker/messages.js';
export { LOOKER_EVENTS, ENDED_SESSION_TOKENS } from './looker/messages.js';
export { LOOKER_SANDBOX } from './looker/options.js';

/**
 * The Looker adapter. Tokens, cookieless mode: the identity endpoint's Looker tokens
 * `{authentication_token, navigation_token, api_token, *_ttl…}` (a one-off `acquire` request gets a
 * new session's tokens). Signed mode: `{url, session_length | expires}`.
 * Options: see {@link LookerOptions}. Events on the element: see {@link LOOKER_EVENTS}.
 */
export const lookerAdapter: LookerAdapter = { mount: (container, ctx) => mountLooker(container, ctx) };

export default lookerAdapter;
