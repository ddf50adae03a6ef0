// Types of launch-chromium.mjs, for the TypeScript tests and benches that use it.
import type { Browser } from 'puppeteer-core';
export declare function launchChromium(extraArgs?: string[]): Promise<Browser>;
