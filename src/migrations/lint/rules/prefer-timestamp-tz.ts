// timestamp without time zone. docs/migrations.md#prefer-timestamp-tz
import { reportColumnTypes } from '../columns.js';
import { appliedMigrations, defineMigrationRule } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-timestamp-tz',
  squawk: true,
  title: 'timestamp without time zone',
  description: 'timestamp drops the UTC offset, so the same instant written from two time zones is stored as two different values.',
  severity: 'low',
  fix: 'Use timestamptz.',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table} (${column}): timestamp without time zone` },
  history: (count) => appliedMigrations(count, 'declares timestamp columns without time zone', 'declare timestamp columns without time zone'),
  check(ctx) {
    reportColumnTypes(ctx, (type) => type === 'timestamp');
  },
});
