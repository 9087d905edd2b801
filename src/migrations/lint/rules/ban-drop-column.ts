// Protects against losing a column's data and breaking code that still reads it. docs/migrations.md#ban-drop-column
import { defineMigrationRule, existingTableCommands, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-drop-column',
  squawk: true,
  title: 'Column dropped',
  description: 'DROP COLUMN destroys data and breaks any running code that still selects or inserts the column.',
  severity: 'high',
  fix: 'Stop reading and writing the column in a release first (ignore it in the ORM), back the data up, then drop it in a later migration.',
  messages: { drop: ({ table, column }: { table: string; column: string }) => `column ${table}.${column} is dropped` },
  check(ctx) {
    for (const { file, entry, table, command } of existingTableCommands(ctx.project)) {
      if (command.subtype !== 'AT_DropColumn') continue;
      ctx.report({ messageId: 'drop', data: { table, column: command.name ?? '' }, location: statementLocation(file, entry.statement), key: command.name ?? '', detail: `Found DROP COLUMN in: ${quote(entry.statement)}` });
    }
  },
});
