/** The fields npm shows users that `manifest` (a parsed package.json) lacks or leaves empty. */
export function missingPublishFields(manifest: Record<string, unknown>): string[];
