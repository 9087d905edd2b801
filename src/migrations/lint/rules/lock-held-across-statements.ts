// Protects against backfills and other work running while an ACCESS EXCLUSIVE lock is still held. docs/migrations.md#lock-held-across-statements
import type { Node } from 'libpg-query';
import { LOCK_MODES } from '../../locks.js';
import { insertsLiteralRows, relationKey } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, quote, statementLocation } from '../context.js';
import type { LintedStatement } from '../context.js';

/** The table an INSERT, UPDATE or DELETE writes to. */
function writtenTable(node: Node): string | undefined {
  if ('UpdateStmt' in node) return relationKey(node.UpdateStmt.relation);
  if ('DeleteStmt' in node) return relationKey(node.DeleteStmt.relation);
  if ('InsertStmt' in node) return relationKey(node.InsertStmt.relation);
  return undefined;
}

/**
 * Work that makes a held ACCESS EXCLUSIVE lock last longer: data changes, index builds, locks on other
 * tables. Work on a table created earlier in the file is instant (it is empty) and does not count, unless
 * it copies rows from elsewhere (`INSERT … SELECT … FROM`).
 */
function extendsLock(entry: LintedStatement, heldRelation: string): string | undefined {
  const node = entry.node;
  const written = writtenTable(node);
  if (written !== undefined) {
    const copiesRows = 'InsertStmt' in node && !insertsLiteralRows(node);
    return entry.isExisting(written) || copiesRows ? 'it changes rows (a backfill) while the lock is held' : undefined;
  }
  if ('IndexStmt' in node && entry.isExisting(relationKey(node.IndexStmt.relation))) return 'it builds an index while the lock is held';
  const other = entry.locks.find((lock) => lock.relation !== heldRelation && entry.isExisting(lock.relation) && LOCK_MODES.indexOf(lock.mode) >= LOCK_MODES.indexOf('ShareLock'));
  if (other !== undefined) return `it also locks ${other.relation}, so both tables stay locked until commit`;
  return undefined;
}

export default defineMigrationRule({
  name: 'lock-held-across-statements',
  title: 'Work done after taking ACCESS EXCLUSIVE in the same transaction',
  description:
    'Locks are held until the transaction commits. After a statement takes ACCESS EXCLUSIVE on an existing table, every later statement in the same transaction (a backfill, an index build, locks on other tables) extends the time nobody can read that table.',
  severity: 'high',
  fix: 'Split the migration: commit the ALTER on its own (short lock), then backfill in batches outside that transaction and build indexes CONCURRENTLY in a separate migration.',
  messages: {
    held: ({ table, why }: { table: string; why: string }) => `ACCESS EXCLUSIVE on ${table} is still held here: ${why}`,
  },
  history: (count) => appliedMigrations(count, 'keeps working while it holds ACCESS EXCLUSIVE', 'keep working while they hold ACCESS EXCLUSIVE'),
  check(ctx) {
    for (const file of ctx.project.files) {
      let reportedFor: unknown;
      for (const entry of file.statements) {
        const held = entry.heldAccessExclusive;
        if (held === undefined || reportedFor === held.statement) continue;
        const why = extendsLock(entry, held.relation);
        if (why === undefined) continue;
        reportedFor = held.statement;
        ctx.report({
          messageId: 'held',
          data: { table: held.relation, why },
          location: statementLocation(file, entry.statement),
          detail: `Line ${held.statement.startPosition.line} took ACCESS EXCLUSIVE on ${held.relation} (${quote(held.statement)}); this statement runs in the same transaction (${file.migration.transactionReason}): ${quote(entry.statement)}`,
        });
      }
    }
  },
});
