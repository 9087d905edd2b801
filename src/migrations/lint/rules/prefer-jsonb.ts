// json column instead of jsonb. docs/migrations.md#prefer-jsonb
import { typeNameOf } from '../../sql/ast.js';
import { declaredColumns } from '../columns.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-jsonb',
  squawk: false,
  title: 'json column instead of jsonb',
  description: 'json keeps the raw text: it cannot be indexed with GIN, has no equality operator (DISTINCT, UNIQUE and GROUP BY fail) and is re-parsed on every access.',
  severity: 'low',
  fix: 'Use jsonb.',
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table}.${column} is json; jsonb is indexable and comparable` },
  check(ctx) {
    for (const declared of declaredColumns(ctx.project)) {
      const type = typeNameOf(declared.typeName);
      if (type !== 'json') continue;
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
