import { check } from '../errors.js';

/** Throws `invalid-input` unless `ttlSeconds` is a finite number. */
export function checkTtl(ttlSeconds: unknown): asserts ttlSeconds is number {
  check(
    typeof ttlSeconds === 'number' && Number.isFinite(ttlSeconds),
    `SessionStore.set: ttlSeconds must be a finite number of seconds, got ${String(ttlSeconds)}.`,
  );
}

/** Throws `invalid-input` unless `maxEntriesPerOwner` is a positive integer. */
export function checkLimits(maxEntriesPerOwner: unknown, where: string): void {
  check(
    Number.isInteger(maxEntriesPerOwner) && (maxEntriesPerOwner as number) > 0,
    `${where}: maxEntriesPerOwner must be a positive integer, got ${String(maxEntriesPerOwner)}.`,
  );
}
