// Types of chromium-args.mjs, for the TypeScript tests and benches that use it.
export declare const CHROMIUM_ARGS: string[];
export declare const UNTHROTTLED_ARGS: string[];
export declare const IN_PROCESS_FRAMES_ARGS: string[];
