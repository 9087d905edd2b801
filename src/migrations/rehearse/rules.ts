// Findings from a rehearsal on a real Postgres: failures, long blocking locks, rewrites and down migrations that do not restore the schema. docs/migrations.md#rehearsal
import type { RuleContext } from '../../core/rule.js';
import { defineRule, noOptions, type RegisteredRule } from '../../core/rule.js';
import { describeLock, lockName } from '../locks.js';
import { blocksReads, blocksWrites, formatMs, type MigrationRun, strongestLock } from './run.js';

/** What rehearsal rules see. */
export interface RehearsalProject {
  readonly runs: readonly MigrationRun[];
  /** Lock holds at or above this (estimated at production size) are findings. */
  readonly blockingThresholdMs: number;
  readonly rowsLabel: string;
}

type Ctx<M extends Record<string, unknown>> = RuleContext<RehearsalProject, M, undefined>;

const common = { category: 'data', checklist: 'migrations-at-scale', options: noOptions } as const;

const failed = defineRule({
  ...common,
  id: 'migrations/rehearsal-failed',
  title: 'Migration fails on a database with data',
  description: 'The migration raised an error when applied in order to a database filled with synthetic rows.',
  severity: 'high',
  docs: 'docs/migrations.md#rehearsal-failed',
  fix: 'Fix what the error names and rehearse again (for example, a NOT NULL column added to a table with rows needs a default or a backfill first).',
  messages: { failed: ({ error }: { error: string }) => `migration fails during rehearsal: ${error}` },
  check(ctx: Ctx<{ failed: { error: string } }>) {
    for (const run of ctx.project.runs) {
      // History already ran in production; a failure that follows from an earlier one is listed under it.
      if (run.error === undefined || run.history === true || run.blockedBy !== undefined) continue;
      const position = run.error.statement?.startPosition;
      const blocked = ctx.project.runs.filter((later) => later.blockedBy === run.migration.path).map((later) => later.migration.path);
      ctx.report({
        messageId: 'failed',
        data: { error: run.error.message },
        location: { path: run.migration.path, ...(position === undefined ? {} : { line: position.line, column: position.column }) },
        detail:
          `Applied ${run.migration.path} after filling the tables with ${ctx.project.rowsLabel}; the statement failed and the rest of the migration was not run${run.rolledBack === true ? ' (its transaction was rolled back, as the runner would)' : ''}.` +
          (blocked.length === 0 ? '' : ` ${blocked.length} later migration(s) then failed on an object this one would have created or changed, and are not reported again: ${blocked.join(', ')}.`),
      });
    }
  },
});

const blockingLock = defineRule({
  ...common,
  id: 'migrations/rehearsal-blocking-lock',
  title: 'Lock that blocks traffic for too long at production size',
  description: 'During the rehearsal a statement held a lock that blocks reads or writes on a table with rows for longer than the threshold (estimated at production size when --row-counts is given).',
  severity: 'high',
  docs: 'docs/migrations.md#rehearsal-blocking-lock',
  fix: 'Use the non-blocking recipe for this statement (CONCURRENTLY, NOT VALID + VALIDATE, expand/contract) or split the migration so the lock is held briefly.',
  messages: {
    blocking: ({ lock, table, held, effect }: { lock: string; table: string; held: string; effect: string }) => `${lock} on ${table} held for ~${held}: ${effect}`,
  },
  check(ctx: Ctx<{ blocking: { lock: string; table: string; held: string; effect: string } }>) {
    for (const run of ctx.project.runs) {
      for (const statement of run.statements) {
        const lock = strongestLock(statement);
        if (lock === undefined || !blocksWrites(lock.mode) || statement.rows === 0) continue;
        const held = statement.staticLocks ? (statement.estimatedMs ?? statement.ms) : statement.heldMs;
        if (held < ctx.project.blockingThresholdMs) continue;
        ctx.report({
          messageId: 'blocking',
          data: { lock: lockName(lock.mode), table: lock.relation, held: formatMs(held), effect: describeLock(lock.mode) },
          location: { path: run.migration.path, line: statement.statement.startPosition.line, column: statement.statement.startPosition.column },
          severity: blocksReads(lock.mode) ? 'high' : 'medium',
          key: lock.relation,
          detail: `Measured ${formatMs(statement.ms)} on ${statement.rows.toLocaleString('en-US')} rows of ${statement.largestTable ?? lock.relation}${statement.estimatedMs === undefined ? '' : ` (linear estimate at production size: ${formatMs(statement.estimatedMs)})`}; locks ${statement.staticLocks ? 'from the documented lock table' : 'read from pg_locks before COMMIT'}.`,
        });
      }
    }
  },
});

const rewrite = defineRule({
  ...common,
  id: 'migrations/rehearsal-rewrite',
  title: 'Statement rewrote a table with rows',
  description: 'The table\'s physical file (relfilenode) changed: Postgres rewrote every row, holding ACCESS EXCLUSIVE for the whole rewrite.',
  severity: 'high',
  docs: 'docs/migrations.md#rehearsal-rewrite',
  fix: 'Avoid the rewrite: add columns without volatile defaults, change types by expand/contract, and check binary-coercible alternatives.',
  messages: { rewrite: ({ table, took }: { table: string; took: string }) => `rewrote ${table} (${took})` },
  check(ctx: Ctx<{ rewrite: { table: string; took: string } }>) {
    for (const run of ctx.project.runs) {
      for (const statement of run.statements) {
        if ('TruncateStmt' in statement.statement.node) continue;
        for (const table of statement.rewritten) {
          ctx.report({
            messageId: 'rewrite',
            data: { table, took: `${formatMs(statement.ms)} on ${statement.rows.toLocaleString('en-US')} rows${statement.estimatedMs === undefined ? '' : `, est. ${formatMs(statement.estimatedMs)} in production`}` },
            location: { path: run.migration.path, line: statement.statement.startPosition.line, column: statement.statement.startPosition.column },
            key: table,
            detail: `relfilenode of ${table} differed before and after the statement.`,
          });
        }
      }
    }
  },
});

type NotReversibleMessages = {
  differs: { count: number; first: string };
  downFailed: { error: string };
  upAgainFailed: { error: string };
};

const notReversible = defineRule({
  ...common,
  id: 'migrations/rehearsal-not-reversible',
  title: 'Down migration does not restore the schema',
  description: 'After up then down, the catalogue (tables, columns, constraints, indexes, types, sequences, views, functions, triggers, policies) differs from before the up, the down fails, or the up fails when applied again after the down.',
  severity: 'medium',
  docs: 'docs/migrations.md#rehearsal-not-reversible',
  fix: 'Make the down migration undo exactly what the up does (and nothing more), so a rollback is a tested path.',
  messages: {
    differs: ({ count, first }: NotReversibleMessages['differs']) => `down migration leaves the schema different (${count} difference(s); first: ${first})`,
    downFailed: ({ error }: NotReversibleMessages['downFailed']) => `down migration fails: ${error}`,
    upAgainFailed: ({ error }: NotReversibleMessages['upAgainFailed']) => `the up migration fails when applied again after the down: ${error}`,
  },
  check(ctx: Ctx<NotReversibleMessages>) {
    for (const run of ctx.project.runs) {
      const result = run.reversibility;
      if (result === undefined || run.migration.down === undefined || result.skipped !== undefined) continue;
      const differences = [...result.missing.map((item) => `missing: ${item}`), ...result.extra.map((item) => `left behind: ${item}`)];
      const downPath = run.migration.down.path;
      const upPath = run.migration.up?.path ?? run.migration.path;
      const cycle = `Ran ${upPath}, then ${downPath} and ${upPath} again inside a transaction rolled back afterwards, and compared the catalogue after the down with the one before the up`;
      const found = [
        ...(result.error === undefined ? [] : [`the down failed at ${result.error}`]),
        ...differences,
        ...(result.reapplyError === undefined ? [] : [`applying the up again failed at ${result.reapplyError}`]),
      ].join('; ');
      // One finding per down, the most basic problem first: a failing down explains its differences.
      if (result.error !== undefined) {
        ctx.report({ messageId: 'downFailed', data: { error: result.error }, location: { path: downPath }, detail: `${cycle}: ${found}.` });
      } else if (differences.length > 0) {
        ctx.report({ messageId: 'differs', data: { count: differences.length, first: differences[0] ?? '' }, location: { path: downPath }, detail: `${cycle}: ${found}.` });
      } else if (result.reapplyError !== undefined) {
        ctx.report({ messageId: 'upAgainFailed', data: { error: result.reapplyError }, location: { path: downPath }, detail: `${cycle}: the schema matched, but ${found} (the down leaves something the up cannot run over, such as data or an object the catalogue comparison does not cover).` });
      }
    }
  },
});

export const REHEARSAL_RULES: readonly RegisteredRule<RehearsalProject>[] = [blockingLock, failed, notReversible, rewrite];
