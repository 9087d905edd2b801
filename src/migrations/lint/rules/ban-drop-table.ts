// Protects against dropping a table and its data by migration. docs/migrations.md#ban-drop-table
import { qualifiedName, stringsOf } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, eachStatement, listNames, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-drop-table',
  squawk: true,
  title: 'Table dropped',
  description: 'DROP TABLE destroys data and breaks any running code that still uses the table.',
  severity: 'high',
  fix: 'Stop using the table in a release first, keep a backup (or rename it to a deprecated name), and drop it in a later migration.',
  messages: { drop: ({ table }: { table: string }) => `table(s) ${table} dropped` },
  history: (count) => appliedMigrations(count, 'drops tables', 'drop tables'),
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      if (!('DropStmt' in entry.node) || entry.node.DropStmt.removeType !== 'OBJECT_TABLE') continue;
      const tables = (entry.node.DropStmt.objects ?? []).map((object) => ('List' in object ? qualifiedName(stringsOf(object.List.items)) : '')).filter((table) => entry.isExisting(table));
      if (tables.length === 0) continue;
      // One finding per statement, naming every table it drops.
      ctx.report({ messageId: 'drop', data: { table: listNames(tables) }, location: statementLocation(file, entry.statement), key: tables.join(','), detail: `Found DROP TABLE in: ${quote(entry.statement)}` });
    }
  },
});
