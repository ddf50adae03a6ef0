// Headless Chromium for the puppeteer tests and benches: the browser findBrowser() picks, the shared
// flags, and a protocol timeout so one stuck call fails its test instead of hanging it.
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS } from './chromium-args.mjs';
import { findBrowser } from './find-browser.mjs';

/** Launches headless Chromium with CHROMIUM_ARGS plus `extraArgs`. */
export function launchChromium(extraArgs = []) {
  return puppeteer.launch({
    executablePath: findBrowser(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    protocolTimeout: 30_000,
  });
}
