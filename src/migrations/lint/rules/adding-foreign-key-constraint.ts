// Protects against foreign keys that lock both tables for a full validation scan. docs/migrations.md#adding-foreign-key-constraint
import { alterCommands, columnDefOf, constraintOf, constraintsOf, relationKey } from '../../sql/ast.js';
import { defineMigrationRule, eachStatement, quote, statementLocation } from '../context.js';

export default defineMigrationRule({
  name: 'adding-foreign-key-constraint',
  squawk: true,
  title: 'Foreign key added with validation',
  description: 'Adding a validated foreign key to an existing table takes SHARE ROW EXCLUSIVE on both tables and scans every row: writes to both wait.',
  severity: 'high',
  fix: 'ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT VALID; then, in a later migration, ALTER TABLE … VALIDATE CONSTRAINT ….',
  messages: { foreignKey: ({ table, target }: { table: string; target: string }) => `foreign key from existing table ${table} to ${target} is validated while both are locked` },
  check(ctx) {
    for (const { file, entry } of eachStatement(ctx.project)) {
      const alter = alterCommands(entry.node);
      if (alter === undefined) continue;
      const table = relationKey(alter.relation);
      if (!entry.isExisting(table)) continue;
      for (const command of alter.commands) {
        const direct = command.subtype === 'AT_AddConstraint' ? constraintOf(command.def) : undefined;
        const column = command.subtype === 'AT_AddColumn' ? columnDefOf(command.def) : undefined;
        const candidates = direct !== undefined ? [direct] : column !== undefined ? constraintsOf(column) : [];
        for (const constraint of candidates) {
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
    }
  },
});
