/**
 * Records the listeners added to `targets` from now on, to check they are all released later:
 * removed with removeEventListener, or added with a `signal` that has since aborted.
 */
export function trackListeners(...targets: EventTarget[]): { active(type?: string): string[]; restore(): void } {
  const entries: { type: string; listener: unknown; signal?: AbortSignal; removed: boolean }[] = [];
  const restores = targets.map((target) => {
    const add = target.addEventListener;
    const remove = target.removeEventListener;
    target.addEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
      const signal = typeof options === 'object' && options ? (options as AddEventListenerOptions).signal : undefined;
      entries.push({ type, listener, signal, removed: false });
      return (add as (...args: unknown[]) => unknown).call(this, type, listener, options);
    };
    target.removeEventListener = function (this: EventTarget, type: string, listener: unknown, options?: unknown) {
      for (const entry of entries) if (entry.type === type && entry.listener === listener) entry.removed = true;
      return (remove as (...args: unknown[]) => unknown).call(this, type, listener, options);
    };
    return () => {
      target.addEventListener = add;
      target.removeEventListener = remove;
    };
  });
  return {
    active: (type) =>
      entries
        .filter((e) => !e.removed && !e.signal?.aborted && (type === undefined || e.type === type))
        .map((e) => e.type),
    restore: () => restores.forEach((undo) => undo()),
  };
}
