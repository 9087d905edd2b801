// json column instead of jsonb. docs/migrations.md#prefer-jsonb
import { reportColumnTypes } from '../columns.js';
import { appliedMigrations, defineMigrationRule } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-jsonb',
  squawk: false,
  title: 'json column instead of jsonb',
  description: 'json keeps the raw text: it cannot be indexed with GIN, has no equality operator (DISTINCT, UNIQUE and GROUP BY fail) and is re-parsed on every access.',
  severity: 'low',
  fix: 'Use jsonb.',
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table} (${column}): json; jsonb is indexable and comparable` },
  history: (count) => appliedMigrations(count, 'declares json columns', 'declare json columns'),
  check(ctx) {
    reportColumnTypes(ctx, (type) => type === 'json');
  },
});
