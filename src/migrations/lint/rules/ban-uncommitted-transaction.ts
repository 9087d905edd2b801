// Protects against a file that opens a transaction and never commits it. docs/migrations.md#ban-uncommitted-transaction
import { appliedMigrations, defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-uncommitted-transaction',
  squawk: true,
  title: 'BEGIN without COMMIT',
  description: 'A BEGIN with no matching COMMIT leaves the transaction open: the runner either rolls it back or commits later statements by accident.',
  severity: 'medium',
  fix: 'Add COMMIT at the end of the file, or remove BEGIN and let the runner manage the transaction.',
  messages: { uncommitted: () => 'this BEGIN is never committed in the file' },
  history: (count) => appliedMigrations(count, 'leaves a BEGIN uncommitted', 'leave a BEGIN uncommitted'),
  check(ctx) {
    for (const file of ctx.project.files) {
      let open: (typeof file.statements)[number] | undefined;
      for (const entry of file.statements) {
        if (!('TransactionStmt' in entry.node)) continue;
        const kind = entry.node.TransactionStmt.kind;
        if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open = entry;
        if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') open = undefined;
      }
      // A TypeORM migration that left the run's transaction reopens it with BEGIN for TypeORM to commit.
      if (open === undefined || file.migration.runnerCommitsAfter === true) continue;
      ctx.report({ messageId: 'uncommitted', data: undefined, location: statementLocation(file, open.statement), detail: `Looked for COMMIT after: ${quote(open.statement)}` });
    }
  },
});
