// char(n) column. docs/migrations.md#ban-char-field
import { reportColumnTypes } from '../columns.js';
import { defineMigrationRule } from '../context.js';

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
    reportColumnTypes(ctx, (type) => type === 'bpchar');
  },
});
