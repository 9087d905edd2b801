// char(n) column. docs/migrations.md#ban-char-field
import { reportColumnTypes } from '../columns.js';
import { appliedMigrations, defineMigrationRule } from '../context.js';

export default defineMigrationRule({
  name: 'ban-char-field',
  squawk: true,
  title: 'char(n) column',
  description: 'char(n) pads values with spaces and is never faster than text or varchar in Postgres.',
  severity: 'low',
  fix: 'Use text (with a CHECK constraint on the length if needed).',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table} (${column}): char(n)` },
  history: (count) => appliedMigrations(count, 'declares char(n) columns', 'declare char(n) columns'),
  check(ctx) {
    reportColumnTypes(ctx, (type) => type === 'bpchar');
  },
});
