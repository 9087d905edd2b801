// Protects against CHECK/FOREIGN KEY constraints that scan the whole table under a lock. docs/migrations.md#constraint-missing-not-valid
import { constraintOf, relationKey } from '../../sql/ast.js';
import { appliedMigrations, defineMigrationRule, listNames, quote, statementLocation } from '../context.js';
import { ADDING_FOREIGN_KEY_RULE } from './adding-foreign-key-constraint.js';

export default defineMigrationRule({
  name: 'constraint-missing-not-valid',
  squawk: true,
  title: 'Constraint validated while locking the table',
  description:
    'ADD CONSTRAINT … CHECK / FOREIGN KEY without NOT VALID scans every row while holding the lock; VALIDATE CONSTRAINT in the same transaction as the NOT VALID add keeps that lock for the scan too.',
  severity: 'high',
  fix: 'Add the constraint with NOT VALID in one migration, then run ALTER TABLE … VALIDATE CONSTRAINT in a later migration (its own transaction): validation only takes SHARE UPDATE EXCLUSIVE.',
  messages: {
    missingNotValid: ({ table, kind }: { table: string; kind: string }) => `${kind} constraint(s) on existing table ${table} added without NOT VALID`,
    validateSameTransaction: ({ constraint }: { constraint: string }) => `VALIDATE CONSTRAINT ${constraint} runs in the same transaction that added it NOT VALID`,
  },
  history: (count) => appliedMigrations(count, 'adds a constraint to an existing table without NOT VALID (or validates it in the same transaction)', 'add constraints to existing tables without NOT VALID (or validate them in the same transaction)'),
  check(ctx) {
    // A validated FOREIGN KEY is adding-foreign-key-constraint's finding; this rule reports it only when that one is off.
    const foreignKeysElsewhere = ctx.project.enabledRules.has(ADDING_FOREIGN_KEY_RULE);
    for (const file of ctx.project.files) {
      /** Constraint name → the transaction that added it NOT VALID to an existing table. */
      const addedNotValid = new Map<string, number | undefined>();
      for (const entry of file.statements) {
        const alter = entry.alter;
        if (alter === undefined) continue;
        const table = relationKey(alter.relation);
        /** Constraints of this statement added without NOT VALID: one finding for the statement. */
        const validated: Array<{ name: string; kind: string }> = [];
        for (const command of alter.commands) {
          const constraint = constraintOf(command.def);
          if (command.subtype === 'AT_AddConstraint' && (constraint?.contype === 'CONSTR_CHECK' || constraint?.contype === 'CONSTR_FOREIGN')) {
            if (constraint.skip_validation === true) {
              // Validating a table created in this file is instant: it is empty.
              if (constraint.conname !== undefined && entry.isExisting(table)) addedNotValid.set(constraint.conname, entry.transaction);
            } else if (entry.isExisting(table) && !(constraint.contype === 'CONSTR_FOREIGN' && foreignKeysElsewhere)) {
              validated.push({ name: constraint.conname ?? '', kind: constraint.contype === 'CONSTR_CHECK' ? 'CHECK' : 'FOREIGN KEY' });
            }
          }
          const addedIn = command.name === undefined ? undefined : addedNotValid.get(command.name);
          if (command.subtype === 'AT_ValidateConstraint' && command.name !== undefined && addedIn !== undefined && addedIn === entry.transaction) {
            ctx.report({
              messageId: 'validateSameTransaction',
              data: { constraint: command.name },
              location: statementLocation(file, entry.statement),
              key: command.name,
              detail: `${command.name} was added NOT VALID earlier in this file and the file runs in one transaction (${file.migration.transactionReason}).`,
            });
          }
        }
        if (validated.length === 0) continue;
        ctx.report({
          messageId: 'missingNotValid',
          data: { table, kind: listNames([...new Set(validated.map((item) => item.kind))]) },
          location: statementLocation(file, entry.statement),
          key: validated.map((item) => item.name).join(','),
          detail: `Looked for NOT VALID on ${listNames(validated.map((item) => (item.name === '' ? `the ${item.kind} constraint` : item.name)))} in: ${quote(entry.statement)}`,
        });
      }
    }
  },
});
