// int column (32-bit). docs/migrations.md#prefer-bigint-over-int
import { reportColumnTypes } from '../columns.js';
import { appliedMigrations, defineMigrationRule } from '../context.js';

export default defineMigrationRule({
  name: 'prefer-bigint-over-int',
  squawk: true,
  title: 'int column (32-bit)',
  description: '32-bit integer keys run out at 2.1 billion; changing them later rewrites the table and every referencing table.',
  severity: 'low',
  fix: 'Use bigint (or bigserial / bigint identity).',
  enabledByDefault: false,
  messages: { type: ({ table, column, type }: { table: string; column: string; type: string }) => `${table} (${column}): a 32-bit ${type}` },
  history: (count) => appliedMigrations(count, 'declares 32-bit integer columns', 'declare 32-bit integer columns'),
  check(ctx) {
    reportColumnTypes(ctx, (type) => ['int4', 'int', 'integer', 'serial', 'serial4'].includes(type));
  },
});
