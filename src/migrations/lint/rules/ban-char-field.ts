// char(n) column. docs/migrations.md#ban-char-field
import { typeNameOf } from '../../sql/ast.js';
import { declaredColumns } from '../columns.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'ban-char-field',
  squawk: true,
  title: 'char(n) column',
  description: 'char(n) pads values with spaces and is never faster than text or varchar in Postgres.',
  severity: 'low',
  fix: 'Use text (with a CHECK constraint on the length if needed).',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table}.${column} is char(n)` },
  check(ctx) {
    for (const declared of declaredColumns(ctx.project)) {
      const type = typeNameOf(declared.typeName);
      if (type !== 'bpchar') continue;
      ctx.report({
        messageId: 'type',
        data: { table: declared.table, column: declared.column, type },
        location: statementLocation(declared.file, declared.entry.statement),
        key: declared.column,
        detail: `Checked the type of ${declared.table}.${declared.column} in: ${quote(declared.entry.statement)}`,
      });
    }
  },
});
