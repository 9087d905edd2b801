import type { RuleContext } from '../../core/rule.js';
import { LOCK_MODES, lockName, type StaticLock, staticLocks } from '../locks.js';
import { quote, statementLocation, type LintedStatement, type MigrationProject } from './context.js';

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
    const needing = file.statements.filter((entry) => !isSet(entry) && blockingLock(entry) !== undefined);
    const first = needing[0];
    const lock = first === undefined ? undefined : blockingLock(first);
    if (first === undefined || lock === undefined) continue;
    ctx.report({
      messageId: 'missing',
      data: { lock: describeStaticLock(lock) },
      location: statementLocation(file, first.statement),
      detail: `Looked for SET ${setting} in ${file.parsed.source.path} before: ${quote(first.statement)}${needing.length > 1 ? ` (and ${needing.length - 1} later statement(s) of this file that take a blocking lock)` : ''}`,
    });
  }
}
