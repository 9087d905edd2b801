// Protects against table renames that break the running code during a deploy. docs/migrations.md#renaming-table
import { relationKey } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'renaming-table',
  squawk: true,
  title: 'Table renamed in one step',
  description: 'Renaming a table breaks every running instance of the old code that still uses the old name.',
  severity: 'high',
  fix: 'Expand/contract: create the new table (or a view with the new name), migrate readers and writers, then drop the old name in a later release.',
  messages: { rename: ({ table, to }: { table: string; to: string }) => `table ${table} renamed to ${to} in one step` },
  history: (count) => appliedMigrations(count, 'renames a table in one step', 'rename tables in one step'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('RenameStmt' in entry.node) || entry.node.RenameStmt.renameType !== 'OBJECT_TABLE') continue;
      const table = relationKey(entry.node.RenameStmt.relation);
      if (!entry.isExisting(table)) continue;
      ctx.report({ messageId: 'rename', data: { table, to: entry.node.RenameStmt.newname ?? '' }, location: statementLocation(file, entry.statement), detail: `Found RENAME TO in: ${quote(entry.statement)}` });
    }
  },
});
