// Protects against adding a NOT NULL column without a default, which fails on a table with rows. docs/migrations.md#adding-required-field
import { columnDefOf, constraintsOf, SERIAL_TYPES, typeNameOf } from '../../sql/ast.js';
import { defineMigrationRule, existingTableCommands, nodeLocation, quote } from '../context.js';

export default defineMigrationRule({
  name: 'adding-required-field',
  squawk: true,
  title: 'NOT NULL column added without a default',
  description: 'ADD COLUMN … NOT NULL without a DEFAULT fails as soon as the table has a row, and old code that inserts without the column breaks.',
  severity: 'high',
  fix: 'Add the column nullable (or with a constant DEFAULT), backfill in batches, add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL.',
  messages: { required: ({ column, table }: { column: string; table: string }) => `NOT NULL column ${column} added to existing table ${table} without a default` },
  check(ctx) {
    for (const { file, entry, table, command } of existingTableCommands(ctx.project)) {
      const column = command.subtype === 'AT_AddColumn' ? columnDefOf(command.def) : undefined;
      if (column === undefined) continue;
      const constraints = constraintsOf(column);
      const notNull = constraints.some((constraint) => constraint.contype === 'CONSTR_NOTNULL' || constraint.contype === 'CONSTR_PRIMARY');
      const filled = constraints.some((constraint) => ['CONSTR_DEFAULT', 'CONSTR_GENERATED', 'CONSTR_IDENTITY'].includes(constraint.contype ?? ''));
      if (!notNull || filled || SERIAL_TYPES.has(typeNameOf(column.typeName))) continue;
      const name = column.colname ?? '';
      ctx.report({
        messageId: 'required',
        data: { column: name, table },
        location: nodeLocation(file, entry.statement, column.location),
        key: name,
        detail: `Found NOT NULL and no DEFAULT for column ${name} in: ${quote(entry.statement)}`,
      });
    }
  },
});
