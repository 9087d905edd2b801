// Protects against SET NOT NULL scanning the whole table under ACCESS EXCLUSIVE. docs/migrations.md#adding-not-nullable-field
import type { Node } from 'libpg-query';
import { constraintOf, stringsOf } from '../../sql/ast.js';
import { alterTableCommands, defineMigrationRule, quote, statementLocation } from '../context.js';

/** The column of a `CHECK (col IS NOT NULL)` constraint, the shape PostgreSQL 12+ accepts as proof for SET NOT NULL. */
function checkedColumn(expression: Node | undefined): string | undefined {
  if (expression === undefined || !('NullTest' in expression) || expression.NullTest.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const argument = expression.NullTest.arg;
  if (argument === undefined || !('ColumnRef' in argument)) return undefined;
  const names = stringsOf(argument.ColumnRef.fields);
  return names[names.length - 1]?.toLowerCase();
}

export default defineMigrationRule({
  name: 'adding-not-nullable-field',
  squawk: true,
  title: 'SET NOT NULL without a validated check',
  description:
    'ALTER COLUMN … SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, unless (PG 12+) a validated CHECK (col IS NOT NULL) constraint already proves it.',
  severity: 'high',
  fix: 'ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID; VALIDATE CONSTRAINT c (separate transaction); then SET NOT NULL (instant on PG 12+) and DROP CONSTRAINT c.',
  messages: { setNotNull: ({ table, column, version }: { table: string; column: string; version: string }) => `SET NOT NULL on ${table}.${column} scans the table under ACCESS EXCLUSIVE (assuming ${version})` },
  check(ctx) {
    const { major, source } = ctx.project.pgVersion;
    const validated = new Set<string>();
    const notValid = new Map<string, string>();
    for (const { file, entry, table, command } of alterTableCommands(ctx.project)) {
      const constraint = constraintOf(command.def);
      if (command.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_CHECK') {
        const column = checkedColumn(constraint.raw_expr);
        if (column !== undefined && constraint.skip_validation === true && constraint.conname !== undefined) notValid.set(constraint.conname, `${table}.${column}`);
        else if (column !== undefined) validated.add(`${table}.${column}`);
      }
      if (command.subtype === 'AT_ValidateConstraint' && command.name !== undefined) {
        const target = notValid.get(command.name);
        if (target !== undefined) validated.add(target);
      }
      if (command.subtype !== 'AT_SetNotNull' || !entry.isExisting(table)) continue;
      const column = (command.name ?? '').toLowerCase();
      if (major >= 12 && validated.has(`${table}.${column}`)) continue;
      ctx.report({
        messageId: 'setNotNull',
        data: { table, column, version: `PostgreSQL ${major} from ${source}` },
        location: statementLocation(file, entry.statement),
        key: column,
        detail: `Looked in this and earlier migrations for a validated CHECK (${column} IS NOT NULL) on ${table} before: ${quote(entry.statement)}`,
      });
    }
  },
});
