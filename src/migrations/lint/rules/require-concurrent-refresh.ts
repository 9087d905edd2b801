// Protects against REFRESH MATERIALIZED VIEW blocking every read of the view. docs/migrations.md#require-concurrent-refresh
import { relationKey } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-concurrent-refresh',
  title: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
  description: 'A plain REFRESH MATERIALIZED VIEW takes ACCESS EXCLUSIVE on the view: every read of it waits for the whole refresh.',
  severity: 'medium',
  fix: 'Give the view a unique index and use REFRESH MATERIALIZED VIEW CONCURRENTLY.',
  messages: { refresh: ({ view }: { view: string }) => `REFRESH MATERIALIZED VIEW ${view} blocks reads of the view until it finishes` },
  history: (count) => appliedMigrations(count, 'refreshes a materialized view without CONCURRENTLY', 'refresh materialized views without CONCURRENTLY'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('RefreshMatViewStmt' in entry.node) || entry.node.RefreshMatViewStmt.concurrent === true) continue;
      const view = relationKey(entry.node.RefreshMatViewStmt.relation);
      if (!entry.isExisting(view) || entry.node.RefreshMatViewStmt.skipData === true) continue;
      ctx.report({ messageId: 'refresh', data: { view }, location: statementLocation(file, entry.statement), detail: `Looked for CONCURRENTLY in: ${quote(entry.statement)}` });
    }
  },
});
