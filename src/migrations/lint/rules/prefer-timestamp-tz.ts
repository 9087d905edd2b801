// timestamp without time zone. docs/migrations.md#prefer-timestamp-tz
import { typeNameOf } from '../../sql/ast.js';
import { declaredColumns } from '../columns.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-timestamp-tz',
  squawk: true,
  title: 'timestamp without time zone',
  description: 'timestamp drops the UTC offset, so the same instant written from two time zones is stored as two different values.',
  severity: 'low',
  fix: 'Use timestamptz.',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table}.${column} is timestamp without time zone` },
  check(ctx) {
    for (const declared of declaredColumns(ctx.project)) {
      const type = typeNameOf(declared.typeName);
      if (type !== 'timestamp') continue;
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
