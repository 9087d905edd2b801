import type { RuleContext } from '../../core/rule.js';
import { LOCK_MODES, lockName, type StaticLock } from '../locks.js';
import { quote, statementLocation, type LintedStatement, type MigrationProject } from './context.js';

/** The strongest lock (SHARE or above) a statement takes on a table that existed before the migration. */
export function blockingLock(entry: LintedStatement): StaticLock | undefined {
  const threshold = LOCK_MODES.indexOf('ShareLock');
  let strongest: StaticLock | undefined;
  for (const lock of entry.locks) {
    if (!entry.isExisting(lock.relation) || LOCK_MODES.indexOf(lock.mode) < threshold) continue;
    if (strongest === undefined || LOCK_MODES.indexOf(lock.mode) > LOCK_MODES.indexOf(strongest.mode)) strongest = lock;
  }
  return strongest;
}

export function describeStaticLock(lock: StaticLock): string {
  return `${lockName(lock.mode)} on ${lock.relation}`;
}

/**
 * The check of `require-lock-timeout` and `require-statement-timeout`: one finding per file, at the first
 * statement that takes a blocking lock before the setting is made, since one SET at the top fixes them all.
 */
export function reportMissingTimeout(
  ctx: RuleContext<MigrationProject, { missing: { lock: string } }, undefined>,
  setting: 'lock_timeout' | 'statement_timeout',
  isSet: (entry: LintedStatement) => boolean,
): void {
  if (ctx.project.timeoutsSetByRunner) return;
  for (const file of ctx.project.files) {
    let first: LintedStatement | undefined;
    let lock: StaticLock | undefined;
    let needing = 0;
    for (const entry of file.statements) {
      if (isSet(entry)) continue;
      const blocking = blockingLock(entry);
      if (blocking === undefined) continue;
      needing++;
      if (first === undefined) {
        first = entry;
        lock = blocking;
      }
    }
    if (first === undefined || lock === undefined) continue;
    ctx.report({
      messageId: 'missing',
      data: { lock: describeStaticLock(lock) },
      location: statementLocation(file, first.statement),
      detail: `Looked for SET ${setting} in ${file.parsed.source.path} before: ${quote(first.statement)}${needing > 1 ? ` (and ${needing - 1} later statement(s) of this file that take a blocking lock)` : ''}`,
    });
  }
}
