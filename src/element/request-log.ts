// Identity requests of a shared session are made by whichever element created it: every element
// on the key hears of them, so a debugging element sees the fetches another element's session makes.
import type { ElementLog } from './debug-log.js';
import type { FetchRequest } from '../token/types.js';

const logs = new Map<string, Set<ElementLog>>();

/** Adds `log` to the debug logs told about `key`'s identity requests; returns the function that removes it. */
export function listenForRequests(key: string, log: ElementLog): () => void {
  let set = logs.get(key);
  if (!set) logs.set(key, (set = new Set()));
  set.add(log);
  return () => {
    set.delete(log);
    if (!set.size && logs.get(key) === set) logs.delete(key);
  };
}

/** Tells every debug log on `key` that an identity request started. */
export function announceRequest(key: string, { reason, action }: FetchRequest): void {
  for (const log of logs.get(key) ?? []) log({ type: 'request', reason, action });
}
