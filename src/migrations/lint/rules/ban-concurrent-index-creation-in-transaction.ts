// Protects against CONCURRENTLY statements that fail because the runner wraps them in a transaction. docs/migrations.md#ban-concurrent-index-creation-in-transaction
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';
import type { LintedStatement } from '../context.js';

function concurrentKind(entry: LintedStatement): string | undefined {
  const node = entry.node;
  if ('IndexStmt' in node && node.IndexStmt.concurrent === true) return 'CREATE INDEX CONCURRENTLY';
  if ('DropStmt' in node && node.DropStmt.concurrent === true) return 'DROP INDEX CONCURRENTLY';
  if ('ReindexStmt' in node && (node.ReindexStmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently')) return 'REINDEX CONCURRENTLY';
  if ('AlterTableStmt' in node) {
    for (const command of node.AlterTableStmt.cmds ?? []) {
      if ('AlterTableCmd' in command && command.AlterTableCmd.subtype === 'AT_DetachPartition') {
        const def = command.AlterTableCmd.def;
        if (def !== undefined && 'PartitionCmd' in def && def.PartitionCmd.concurrent === true) return 'DETACH PARTITION CONCURRENTLY';
      }
    }
  }
  return undefined;
}

export default defineMigrationRule({
  name: 'ban-concurrent-index-creation-in-transaction',
  squawk: true,
  title: 'CONCURRENTLY inside a transaction',
  description: 'CONCURRENTLY operations cannot run inside a transaction block; the migration fails when the runner or the file opens one.',
  severity: 'high',
  fix: 'Put the CONCURRENTLY statement alone in its own migration and switch the transaction off for that file (dbmate `-- migrate:up transaction:false` with that one statement, node-pg-migrate `pgm.noTransaction()`, knex `config = { transaction: false }`, MikroORM `isTransactional()` returning false, Flyway `executeInTransaction=false`); with Prisma or golang-migrate keep it as the only statement of the file, and with Flyway keep the file to CONCURRENTLY statements only (Flyway then runs it outside a transaction by itself).',
  messages: {
    inTransaction: ({ kind, reason }: { kind: string; reason: string }) => `${kind} will fail: it runs inside a transaction (${reason})`,
  },
  history: (count) => appliedMigrations(count, 'runs CONCURRENTLY inside a transaction', 'run CONCURRENTLY inside a transaction'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      const kind = concurrentKind(entry);
      if (kind === undefined || !entry.inTransaction) continue;
      const reason = entry.runnerTransaction ? file.migration.transactionReason : 'the file opens a transaction with BEGIN';
      ctx.report({
        messageId: 'inTransaction',
        data: { kind, reason },
        location: statementLocation(file, entry.statement),
        detail: `${file.migration.framework} transaction mode: ${file.migration.transaction}. Statement: ${quote(entry.statement)}`,
      });
    }
  },
});
