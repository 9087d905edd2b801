// Protects against BEGIN/COMMIT inside a migration the runner already wraps in a transaction. docs/migrations.md#transaction-nesting
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'transaction-nesting',
  squawk: true,
  title: 'Transaction control inside a runner transaction',
  description:
    'BEGIN inside a transaction only warns, and COMMIT ends the runner\'s transaction early: the remaining statements run outside it and the runner records the migration inconsistently.',
  severity: 'medium',
  fix: 'Remove BEGIN/COMMIT from the file and let the runner manage the transaction (or switch the runner\'s transaction off for this file).',
  messages: { nested: ({ kind, reason }: { kind: string; reason: string }) => `${kind} inside a transaction the runner already opened (${reason})` },
  history: (count) => appliedMigrations(count, 'controls transactions inside the runner\'s transaction', 'control transactions inside the runner\'s transaction'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      // A file sent as one query (Prisma, golang-migrate) runs in an implicit transaction that BEGIN simply
      // makes explicit: no warning, and no runner transaction for COMMIT to end early.
      if (!('TransactionStmt' in entry.node) || !entry.runnerTransaction || file.migration.transaction === 'per-file-implicit') continue;
      const kind = entry.node.TransactionStmt.kind ?? '';
      if (!['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK'].includes(kind)) continue;
      ctx.report({
        messageId: 'nested',
        data: { kind: kind.replace('TRANS_STMT_', ''), reason: file.migration.transactionReason },
        location: statementLocation(file, entry.statement),
        detail: `${file.migration.framework} transaction mode ${file.migration.transaction}; found: ${quote(entry.statement)}`,
      });
    }
  },
});
