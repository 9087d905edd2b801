// Protects against UNIQUE constraints whose index is built under ACCESS EXCLUSIVE. docs/migrations.md#disallowed-unique-constraint
import { addedConstraints, appliedMigrations, byStatement, defineMigrationRule, existingTableCommands, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'disallowed-unique-constraint',
  squawk: true,
  title: 'UNIQUE constraint without USING INDEX',
  description: 'ADD CONSTRAINT … UNIQUE builds its index while holding ACCESS EXCLUSIVE: reads and writes wait for the whole build.',
  severity: 'high',
  fix: 'CREATE UNIQUE INDEX CONCURRENTLY idx ON t (col); then ALTER TABLE t ADD CONSTRAINT c UNIQUE USING INDEX idx.',
  messages: { unique: ({ table }: { table: string }) => `UNIQUE constraint on existing table ${table} builds its index under ACCESS EXCLUSIVE` },
  history: (count) => appliedMigrations(count, 'adds a UNIQUE constraint without USING INDEX', 'add UNIQUE constraints without USING INDEX'),
  check(ctx) {
    const unique = existingTableCommands(ctx.project).flatMap((command) =>
      addedConstraints(command.command).filter((constraint) => constraint.contype === 'CONSTR_UNIQUE' && constraint.indexname === undefined).map((constraint) => ({ ...command, name: constraint.conname ?? '' })),
    );
    for (const { file, entry, items } of byStatement(unique)) {
      ctx.report({
        messageId: 'unique',
        data: { table: items[0]?.table ?? '' },
        location: statementLocation(file, entry.statement),
        key: items.map((item) => item.name).join(','),
        detail: `Looked for USING INDEX on ${items.length === 1 ? 'the UNIQUE constraint' : `${items.length} UNIQUE constraints`} in: ${quote(entry.statement)}`,
      });
    }
  },
});
