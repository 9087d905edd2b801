// varchar(n) column. docs/migrations.md#prefer-text-field
import { typmodsOf } from '../../sql/ast.js';
import { reportColumnTypes } from '../columns.js';
import { appliedMigrations, defineMigrationRule } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-text-field',
  squawk: true,
  title: 'varchar(n) column',
  description: 'Changing the length of a varchar(n) later needs a table rewrite when it shrinks; text with a CHECK constraint can be changed without one.',
  severity: 'low',
  fix: 'Use text with CHECK (char_length(col) <= n).',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table} (${column}): ${type} with a length limit` },
  history: (count) => appliedMigrations(count, 'declares varchar(n) columns', 'declare varchar(n) columns'),
  check(ctx) {
    reportColumnTypes(ctx, (type, declared) => type === 'varchar' && typmodsOf(declared.typeName).length > 0);
  },
});
