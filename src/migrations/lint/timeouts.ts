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

export const LOCK_TIMEOUT_RULE = 'migrations/require-lock-timeout';
export const STATEMENT_TIMEOUT_RULE = 'migrations/require-statement-timeout';

/** Fix of the merged finding, when neither timeout is set. */
export const BOTH_TIMEOUTS_FIX =
  "SET lock_timeout = '2s'; SET statement_timeout = '5min'; at the top of the migration (or in the runner's connection settings), and retry the migration when it times out.";

export type TimeoutMessages = { missing: { lock: string }; missingBoth: { lock: string } };

/**
 * The check of `require-lock-timeout` and `require-statement-timeout`: one finding per file and concern, at the
 * first statement that takes a blocking lock before the setting is made, since one SET at the top fixes them all.
 * A statement that lacks both settings gets one finding, from `require-lock-timeout` (`missingBoth`);
 * `require-statement-timeout` then reports only statements that have a lock_timeout but no statement_timeout,
 * or every statement without one when `require-lock-timeout` is switched off.
 *
 * @example check(ctx) { reportMissingTimeout(ctx, 'lock_timeout'); }
 */
export function reportMissingTimeout(ctx: RuleContext<MigrationProject, TimeoutMessages, undefined>, setting: 'lock_timeout' | 'statement_timeout'): void {
  if (ctx.project.timeoutsSetByRunner) return;
  const lockRuleOn = ctx.project.enabledRules.has(LOCK_TIMEOUT_RULE);
  const statementRuleOn = ctx.project.enabledRules.has(STATEMENT_TIMEOUT_RULE);
  const needs = (entry: LintedStatement): boolean =>
    setting === 'lock_timeout' ? !entry.lockTimeoutSet : !entry.statementTimeoutSet && (entry.lockTimeoutSet || !lockRuleOn);
  for (const file of ctx.project.files) {
    let first: LintedStatement | undefined;
    let lock: StaticLock | undefined;
    let needing = 0;
    for (const entry of file.statements) {
      if (!needs(entry)) continue;
      const blocking = blockingLock(entry);
      if (blocking === undefined) continue;
      needing++;
      if (first === undefined) {
        first = entry;
        lock = blocking;
      }
    }
    if (first === undefined || lock === undefined) continue;
    const both = setting === 'lock_timeout' && statementRuleOn && !first.statementTimeoutSet;
    ctx.report({
      messageId: both ? 'missingBoth' : 'missing',
      data: { lock: describeStaticLock(lock) },
      location: statementLocation(file, first.statement),
      ...(both ? { fix: BOTH_TIMEOUTS_FIX } : {}),
      detail: `Looked for SET ${both ? 'lock_timeout and SET statement_timeout' : setting} in ${file.parsed.source.path} before: ${quote(first.statement)}${needing > 1 ? ` (and ${needing - 1} later statement(s) of this file that take a blocking lock)` : ''}`,
    });
  }
}
