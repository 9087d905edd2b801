// Protects against adding a NOT NULL column without a default, which fails on a table with rows. docs/migrations.md#adding-required-field
import { columnDefOf, constraintsOf, SERIAL_TYPES, typeNameOf } from '../../sql/ast.js';
import { appliedMigrations, byStatement, defineMigrationRule, existingTableCommands, listNames, nodeLocation, quote, type TableCommand } from '../context.js';

export default defineMigrationRule({
  name: 'adding-required-field',
  squawk: true,
  title: 'NOT NULL column added without a default',
  description: 'ADD COLUMN … NOT NULL without a DEFAULT fails as soon as the table has a row, and old code that inserts without the column breaks.',
  severity: 'high',
  fix: 'Add the column nullable (or with a constant DEFAULT), backfill in batches, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL.',
  messages: { required: ({ column, table }: { column: string; table: string }) => `NOT NULL column(s) ${column} added to existing table ${table} without a default` },
  history: (count) => appliedMigrations(count, 'adds a NOT NULL column without a default', 'add NOT NULL columns without a default'),
  check(ctx) {
    const required: Array<TableCommand & { column: string; location: number | undefined }> = [];
    for (const command of existingTableCommands(ctx.project)) {
      const column = command.command.subtype === 'AT_AddColumn' ? columnDefOf(command.command.def) : undefined;
      if (column === undefined) continue;
      const constraints = constraintsOf(column);
      const notNull = constraints.some((constraint) => constraint.contype === 'CONSTR_NOTNULL' || constraint.contype === 'CONSTR_PRIMARY');
      const filled = constraints.some((constraint) => ['CONSTR_DEFAULT', 'CONSTR_GENERATED', 'CONSTR_IDENTITY'].includes(constraint.contype ?? ''));
      if (!notNull || filled || SERIAL_TYPES.has(typeNameOf(column.typeName))) continue;
      required.push({ ...command, column: column.colname ?? '', location: column.location });
    }
    for (const { file, entry, items } of byStatement(required)) {
      const columns = items.map((item) => item.column);
      ctx.report({
        messageId: 'required',
        data: { column: listNames(columns), table: items[0]?.table ?? '' },
        location: nodeLocation(file, entry.statement, items[0]?.location),
        key: columns.join(','),
        detail: `Found NOT NULL and no DEFAULT for ${columns.length === 1 ? 'column' : 'columns'} ${listNames(columns)} in: ${quote(entry.statement)}`,
      });
    }
  },
});
