// Protects against REINDEX locking the table against writes and the index against reads. docs/migrations.md#require-concurrent-reindex
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-concurrent-reindex',
  squawk: true,
  title: 'REINDEX without CONCURRENTLY',
  description: 'REINDEX without CONCURRENTLY blocks writes to the table and reads that use the index for the whole rebuild.',
  severity: 'high',
  fix: 'Use REINDEX … CONCURRENTLY (PG 12+) in a migration the runner does not wrap in a transaction.',
  messages: { reindex: () => 'REINDEX without CONCURRENTLY blocks the table while it rebuilds' },
  history: (count) => appliedMigrations(count, 'reindexes without CONCURRENTLY', 'reindex without CONCURRENTLY'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('ReindexStmt' in entry.node)) continue;
      if ((entry.node.ReindexStmt.params ?? []).some((param) => 'DefElem' in param && param.DefElem.defname === 'concurrently')) continue;
      ctx.report({ messageId: 'reindex', data: undefined, location: statementLocation(file, entry.statement), detail: `Looked for CONCURRENTLY in: ${quote(entry.statement)}` });
    }
  },
});
