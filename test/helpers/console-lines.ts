// The console.info lines a test's code writes (the debug logs write there), captured per test.
import './mocha-globals.js';

/** What {@link captureConsoleInfo} gives: this test's lines so far, and a search in them. */
export interface ConsoleLines {
  readonly lines: string[];
  has(text: string): boolean;
}

/** Registers hooks that capture `console.info` during each test of the suite and restore it after. */
export function captureConsoleInfo(): ConsoleLines {
  const captured: ConsoleLines = {
    lines: [],
    has: (text) => captured.lines.some((line) => line.includes(text)),
  };
  let original: typeof console.info;
  beforeEach(() => {
    captured.lines.length = 0;
    original = console.info;
    console.info = (...args: unknown[]) => captured.lines.push(args.map(String).join(' '));
  });
  afterEach(() => {
    console.info = original;
  });
  return captured;
}
