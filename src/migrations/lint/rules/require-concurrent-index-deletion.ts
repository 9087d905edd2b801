// Protects against DROP INDEX taking an ACCESS EXCLUSIVE lock on the table. docs/migrations.md#require-concurrent-index-deletion
import { stringsOf } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, eachStatement, listNames, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'require-concurrent-index-deletion',
  squawk: true,
  title: 'Index dropped without CONCURRENTLY',
  description: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait.',
  severity: 'medium',
  fix: 'Use DROP INDEX CONCURRENTLY in a migration the runner does not wrap in a transaction.',
  messages: { nonConcurrent: ({ index, table }: { index: string; table: string }) => `DROP INDEX ${index} locks ${table} against reads and writes` },
  history: (count) => appliedMigrations(count, 'drops an index without CONCURRENTLY', 'drop indexes without CONCURRENTLY'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('DropStmt' in entry.node)) continue;
      const drop = entry.node.DropStmt;
      if (drop.removeType !== 'OBJECT_INDEX' || drop.concurrent === true) continue;
      const index = (drop.objects ?? []).map((object) => ('List' in object ? stringsOf(object.List.items).join('.') : '')).join(', ');
      // The lock is on the index's table (entry.locks resolves it through the indexes the history created).
      const tables = [...new Set(entry.locks.map((lock) => lock.relation))];
      ctx.report({
        messageId: 'nonConcurrent',
        data: { index, table: listNames(tables) },
        location: statementLocation(file, entry.statement),
        detail: `Looked for CONCURRENTLY in: ${quote(entry.statement)}; ACCESS EXCLUSIVE is taken on ${listNames(tables)}`,
      });
    }
  },
});
