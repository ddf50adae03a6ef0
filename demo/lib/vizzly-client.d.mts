// Types of vizzly-client.mjs (plain JS, so the test runner config can import it too).

/** Builds Vizzly's real client into .cache/ when needed and resolves to the script's path. */
export function buildVizzlyClient(): Promise<string>;
