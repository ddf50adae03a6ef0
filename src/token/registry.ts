import { TokenSession, type TokenSessionOptions } from './session.js';

/** A handle on a shared session; call `release()` once when you no longer need it. */
export interface SessionLease {
  session: TokenSession;
  release(): void;
}

interface Entry {
  session: TokenSession;
  refs: number;
}

const sessions = new Map<string, Entry>();

/**
 * Returns the page-wide session for `key`, creating it from `options()` for the first user. Every
 * user with the same key shares one session, so 50 embeds of one dashboard make one request per
 * refresh. The last `release()` disposes it — a microtask later, so a disconnect followed at once
 * by a reconnect (React StrictMode, moving an element) keeps the session and its tokens. `create`
 * makes the session (a TabSharedSession shares it across tabs).
 */
export function acquireSession(
  key: string,
  options: () => TokenSessionOptions,
  create: (options: TokenSessionOptions) => TokenSession = (given) => new TokenSession(given),
): SessionLease {
  let entry = sessions.get(key);
  if (!entry || entry.session.isDisposed) {
    entry = { session: create(options()), refs: 0 };
    sessions.set(key, entry);
  }
  const held = entry;
  held.refs += 1;
  let released = false;
  return {
    session: held.session,
    release() {
      if (released) return;
      released = true;
      held.refs -= 1;
      queueMicrotask(() => {
        if (held.refs > 0 || sessions.get(key) !== held) return;
        sessions.delete(key);
        held.session.dispose();
      });
    },
  };
}

/** How many shared sessions are alive (for tests and leak checks). */
export function liveSessionCount(): number {
  return sessions.size;
}

/** A stable key for a JSON-like value: object keys sorted, so `{a, b}` and `{b, a}` match. */
export function stableKey(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
    }
    return inner;
  });
}
