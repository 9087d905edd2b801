import { LOCK_MODES, lockName, type StaticLock, staticLocks } from '../locks.js';
import type { LintedStatement } from './context.js';

/** The strongest lock (SHARE or above) a statement takes on a table that existed before the migration. */
export function blockingLock(entry: LintedStatement): StaticLock | undefined {
  const threshold = LOCK_MODES.indexOf('ShareLock');
  let strongest: StaticLock | undefined;
  for (const lock of staticLocks(entry.node)) {
    if (!entry.isExisting(lock.relation) || LOCK_MODES.indexOf(lock.mode) < threshold) continue;
    if (strongest === undefined || LOCK_MODES.indexOf(lock.mode) > LOCK_MODES.indexOf(strongest.mode)) strongest = lock;
  }
  return strongest;
}

export function describeStaticLock(lock: StaticLock): string {
  return `${lockName(lock.mode)} on ${lock.relation}`;
}
