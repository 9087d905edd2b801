// Protects against losing a column's data and breaking code that still reads it. docs/migrations.md#ban-drop-column
import { appliedMigrations, byStatement, defineMigrationRule, existingTableCommands, listNames, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-drop-column',
  squawk: true,
  title: 'Column dropped',
  description: 'DROP COLUMN destroys data and breaks any running code that still selects or inserts the column.',
  severity: 'high',
  fix: 'Stop reading and writing the column in a release first (ignore it in the ORM), back the data up, then drop it in a later migration.',
  messages: { drop: ({ table, column }: { table: string; column: string }) => `${table}: column(s) ${column} dropped` },
  history: (count) => appliedMigrations(count, 'drops columns', 'drop columns'),
  check(ctx) {
    const dropped = existingTableCommands(ctx.project).filter(({ command }) => command.subtype === 'AT_DropColumn');
    for (const { file, entry, items } of byStatement(dropped)) {
      const columns = items.map(({ command }) => command.name ?? '');
      ctx.report({
        messageId: 'drop',
        data: { table: items[0]?.table ?? '', column: listNames(columns) },
        location: statementLocation(file, entry.statement),
        key: columns.join(','),
        detail: `Found DROP COLUMN in: ${quote(entry.statement)}`,
      });
    }
  },
});
