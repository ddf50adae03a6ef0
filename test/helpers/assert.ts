// A few assertions for browser tests (mocha in Chromium has none of its own).

export class AssertionError extends Error {
  override name = 'AssertionError';
}

function show(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(`${message} (got ${show(value)})`);
}

export function equal<T>(actual: T, expected: T, message = ''): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

function deepEqualValues(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(b, key) &&
      deepEqualValues((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

export function deepEqual(actual: unknown, expected: unknown, message = ''): void {
  if (!deepEqualValues(actual, expected)) {
    throw new AssertionError(`${message ? message + ': ' : ''}expected ${show(expected)}, got ${show(actual)}`);
  }
}

export function match(actual: string, pattern: RegExp, message = ''): void {
  if (!pattern.test(actual))
    throw new AssertionError(`${message ? message + ': ' : ''}${show(actual)} does not match ${pattern}`);
}

/** Awaits `promise` and returns the error it rejects with; fails when it resolves. */
export async function rejects(promise: Promise<unknown>, message = 'expected a rejection'): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new AssertionError(message);
}

/** Waits (on real time, polling each frame) until `check` holds; for DOM work that settles asynchronously. */
export async function waitFor(check: () => unknown, what = 'condition', timeoutMs = 3000): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new AssertionError(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Calls `fn` and returns the EmbedError it throws; fails when it throws nothing or something else. */
export function thrownEmbedError(fn: () => unknown): import('../../src/errors.js').EmbedError {
  try {
    fn();
  } catch (error) {
    ok(error instanceof Error && error.name === 'EmbedError', `expected an EmbedError, got ${String(error)}`);
    return error as import('../../src/errors.js').EmbedError;
  }
  throw new AssertionError('expected a throw');
}
