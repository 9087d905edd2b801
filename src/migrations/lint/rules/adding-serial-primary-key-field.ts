// Protects against primary keys whose index is built under ACCESS EXCLUSIVE. docs/migrations.md#adding-serial-primary-key-field
import { addedConstraints, appliedMigrations, defineMigrationRule, existingTableCommands, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'adding-serial-primary-key-field',
  squawk: true,
  title: 'PRIMARY KEY without USING INDEX',
  description: 'Adding a PRIMARY KEY to an existing table builds its unique index (and may rewrite for a new serial column) under ACCESS EXCLUSIVE.',
  severity: 'high',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY idx ON t (id); then ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX idx.',
  messages: { primaryKey: ({ table }: { table: string }) => `PRIMARY KEY on existing table ${table} builds its index under ACCESS EXCLUSIVE` },
  history: (count) => appliedMigrations(count, 'adds a PRIMARY KEY without USING INDEX', 'add PRIMARY KEYs without USING INDEX'),
  check(ctx) {
    for (const { file, entry, table, command } of existingTableCommands(ctx.project)) {
      for (const constraint of addedConstraints(command)) {
        if (constraint.contype !== 'CONSTR_PRIMARY' || constraint.indexname !== undefined) continue;
        ctx.report({ messageId: 'primaryKey', data: { table }, location: statementLocation(file, entry.statement), detail: `Looked for USING INDEX in: ${quote(entry.statement)}` });
      }
    }
  },
});
