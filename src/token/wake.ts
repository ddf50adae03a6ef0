/** Where a session listens for wake-ups: the page's window and document. */
export interface WakeTargets {
  window?: EventTarget;
  document?: EventTarget & { visibilityState?: string };
}

/**
 * Calls `onWake` when the page may have slept or been throttled: `visibilitychange` to visible,
 * `online`, `focus`, `pageshow`. Every listener goes when `signal` aborts.
 */
export function listenForWakeUps(targets: WakeTargets, signal: AbortSignal, onWake: (type: string) => void): void {
  const { window: win, document: doc } = targets;
  const listener = (event: Event): void => {
    if (event.type !== 'visibilitychange' || doc?.visibilityState !== 'hidden') onWake(event.type);
  };
  doc?.addEventListener('visibilitychange', listener, { signal });
  for (const type of ['online', 'focus', 'pageshow']) win?.addEventListener(type, listener, { signal });
}

/** The page's window and document; none on a server. */
export function defaultWakeTargets(): WakeTargets | null {
  return globalThis.document ? { window: globalThis, document } : null;
}
