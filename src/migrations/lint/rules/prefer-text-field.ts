// varchar(n) column. docs/migrations.md#prefer-text-field
import { typeNameOf, typmodsOf } from '../../sql/ast.js';
import { declaredColumns } from '../columns.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-text-field',
  squawk: true,
  title: 'varchar(n) column',
  description: 'Changing the length of a varchar(n) later needs a table rewrite when it shrinks; text with a CHECK constraint can be changed without one.',
  severity: 'low',
  fix: 'Use text with CHECK (char_length(col) <= n).',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table}.${column} is ${type} with a length limit` },
  check(ctx) {
    for (const declared of declaredColumns(ctx.project)) {
      const type = typeNameOf(declared.typeName);
      const mods = typmodsOf(declared.typeName);
      if (type !== 'varchar' || mods.length === 0) continue;
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
