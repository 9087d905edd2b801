// Protects against UNIQUE constraints whose index is built under ACCESS EXCLUSIVE. docs/migrations.md#disallowed-unique-constraint
import { addedConstraints, defineMigrationRule, existingTableCommands, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'disallowed-unique-constraint',
  squawk: true,
  title: 'UNIQUE constraint without USING INDEX',
  description: 'ADD CONSTRAINT … UNIQUE builds its index while holding ACCESS EXCLUSIVE: reads and writes wait for the whole build.',
  severity: 'high',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY idx ON t (col); then ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX idx.',
  messages: { unique: ({ table }: { table: string }) => `UNIQUE constraint on existing table ${table} builds its index under ACCESS EXCLUSIVE` },
  check(ctx) {
    for (const { file, entry, table, command } of existingTableCommands(ctx.project)) {
      for (const constraint of addedConstraints(command)) {
        if (constraint.contype !== 'CONSTR_UNIQUE' || constraint.indexname !== undefined) continue;
        ctx.report({ messageId: 'unique', data: { table }, location: statementLocation(file, entry.statement), key: constraint.conname ?? '', detail: `Looked for USING INDEX in: ${quote(entry.statement)}` });
      }
    }
  },
});
