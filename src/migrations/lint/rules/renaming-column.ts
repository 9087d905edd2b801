// Protects against renames that break the running code during a deploy. docs/migrations.md#renaming-column
import { relationKey } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'renaming-column',
  squawk: true,
  title: 'Column renamed in one step',
  description: 'Renaming a column breaks every running instance of the old code that still uses the old name.',
  severity: 'high',
  fix: 'Expand/contract: add the new column, write to both, backfill, switch reads, then drop the old column in a later release.',
  messages: { rename: ({ table, from, to }: { table: string; from: string; to: string }) => `column ${table}.${from} renamed to ${to} in one step` },
  history: (count) => appliedMigrations(count, 'renames a column in one step', 'rename columns in one step'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('RenameStmt' in entry.node) || entry.node.RenameStmt.renameType !== 'OBJECT_COLUMN') continue;
      const rename = entry.node.RenameStmt;
      const table = relationKey(rename.relation);
      if (!entry.isExisting(table)) continue;
      ctx.report({
        messageId: 'rename',
        data: { table, from: rename.subname ?? '', to: rename.newname ?? '' },
        location: statementLocation(file, entry.statement),
        detail: `Found RENAME COLUMN in: ${quote(entry.statement)}`,
      });
    }
  },
});
