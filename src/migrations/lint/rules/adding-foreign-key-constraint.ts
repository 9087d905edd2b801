// Protects against foreign keys that lock both tables for a full validation scan. docs/migrations.md#adding-foreign-key-constraint
import { relationKey } from '../../sql/ast.js';
import { addedConstraints, defineMigrationRule, existingTableCommands, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'adding-foreign-key-constraint',
  squawk: true,
  title: 'Foreign key added with validation',
  description: 'Adding a validated foreign key to an existing table takes SHARE ROW EXCLUSIVE on both tables and scans every row: writes to both wait.',
  severity: 'high',
  fix: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID; then, in a later migration, ALTER TABLE … VALIDATE CONSTRAINT ….',
  messages: { foreignKey: ({ table, target }: { table: string; target: string }) => `foreign key from existing table ${table} to ${target} is validated while both are locked` },
  check(ctx) {
    for (const { file, entry, table, command } of existingTableCommands(ctx.project)) {
      for (const constraint of addedConstraints(command)) {
        if (constraint.contype !== 'CONSTR_FOREIGN' || constraint.skip_validation === true) continue;
        const target = relationKey(constraint.pktable);
        ctx.report({
          messageId: 'foreignKey',
          data: { table, target },
          location: statementLocation(file, entry.statement),
          key: target,
          detail: `Looked for NOT VALID on the foreign key in: ${quote(entry.statement)}`,
        });
      }
    }
  },
});
