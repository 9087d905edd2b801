// Protects against dropping a table and its data by migration. docs/migrations.md#ban-drop-table
import { qualifiedName, stringsOf } from '../../sql/ast.js';
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-drop-table',
  squawk: true,
  title: 'Table dropped',
  description: 'DROP TABLE destroys data and breaks any running code that still uses the table.',
  severity: 'high',
  fix: 'Stop using the table in a release first, keep a backup (or rename it to a deprecated name), and drop it in a later migration.',
  messages: { drop: ({ table }: { table: string }) => `table ${table} is dropped` },
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('DropStmt' in entry.node) || entry.node.DropStmt.removeType !== 'OBJECT_TABLE') continue;
      for (const object of entry.node.DropStmt.objects ?? []) {
        const table = 'List' in object ? qualifiedName(stringsOf(object.List.items)) : '';
        if (!entry.isExisting(table)) continue;
        ctx.report({ messageId: 'drop', data: { table }, location: statementLocation(file, entry.statement), key: table, detail: `Found DROP TABLE in: ${quote(entry.statement)}` });
      }
    }
  },
});
