/**
 * Keeps `map` at most `maxEntries` long after a write: first drops the entries `expired` says are
 * over, then, if still too many (a flood of distinct keys), the oldest inserted ones. A Map iterates
 * in insertion order, so the first keys are the oldest.
 */
export function trimMap<K, V>(map: Map<K, V>, maxEntries: number, expired: (value: V) => boolean): void {
  if (map.size <= maxEntries) return;
  for (const [key, value] of map) if (expired(value)) map.delete(key);
  for (const key of map.keys()) {
    if (map.size <= maxEntries) break;
    map.delete(key);
  }
}
