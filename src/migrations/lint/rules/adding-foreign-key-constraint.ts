// Protects against foreign keys that lock both tables for a full validation scan. docs/migrations.md#adding-foreign-key-constraint
import { relationKey } from '../../sql/ast.js';
import { addedConstraints, appliedMigrations, byStatement, defineMigrationRule, existingTableCommands, listNames, quote, statementLocation } from '../context.js';

export const ADDING_FOREIGN_KEY_RULE = 'migrations/adding-foreign-key-constraint';

export default defineMigrationRule({
  name: 'adding-foreign-key-constraint',
  squawk: true,
  title: 'Foreign key added with validation',
  description: 'Adding a validated foreign key to an existing table takes SHARE ROW EXCLUSIVE on both tables and scans every row: writes to both wait.',
  severity: 'high',
  fix: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID; then, in a later migration, ALTER TABLE … VALIDATE CONSTRAINT ….',
  messages: { foreignKey: ({ table, target }: { table: string; target: string }) => `foreign key from existing table ${table} to ${target} is validated while both are locked` },
  history: (count) => appliedMigrations(count, 'adds a validated foreign key to an existing table', 'add validated foreign keys to existing tables'),
  check(ctx) {
    const validated = existingTableCommands(ctx.project).flatMap((command) =>
      addedConstraints(command.command)
        .filter((constraint) => constraint.contype === 'CONSTR_FOREIGN' && constraint.skip_validation !== true)
        .map((constraint) => ({ ...command, target: relationKey(constraint.pktable) })),
    );
    // One finding per statement, naming every key it validates (constraint-missing-not-valid leaves these to this rule).
    for (const { file, entry, items } of byStatement(validated)) {
      const targets = [...new Set(items.map((item) => item.target))];
      ctx.report({
        messageId: 'foreignKey',
        data: { table: items[0]?.table ?? '', target: listNames(targets) },
        location: statementLocation(file, entry.statement),
        key: targets.join(','),
        detail: `Looked for NOT VALID on ${items.length === 1 ? 'the foreign key' : `the ${items.length} foreign keys`} in: ${quote(entry.statement)}`,
      });
    }
  },
});
