// Protects against SET NOT NULL scanning the whole table under ACCESS EXCLUSIVE. docs/migrations.md#adding-not-nullable-field
import type { Node } from 'libpg-query';
import { constraintOf, stringsOf } from '../../sql/ast.js';
import { alterTableCommands, appliedMigrations, byStatement, defineMigrationRule, listNames, quote, statementLocation, type TableCommand } from '../context.js';

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
  history: (count) => appliedMigrations(count, 'sets NOT NULL without a validated CHECK', 'set NOT NULL without a validated CHECK'),
  check(ctx) {
    const { major, source } = ctx.project.pgVersion;
    const validated = new Set<string>();
    const notValid = new Map<string, string>();
    const unproven: Array<TableCommand & { column: string }> = [];
    for (const found of alterTableCommands(ctx.project)) {
      const { entry, table, command } = found;
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
      unproven.push({ ...found, column });
    }
    // One finding per statement: one ALTER TABLE scans the table once for all the columns it sets NOT NULL.
    for (const { file, entry, items } of byStatement(unproven)) {
      const table = items[0]?.table ?? '';
      const columns = items.map((item) => item.column);
      ctx.report({
        messageId: 'setNotNull',
        data: { table, column: listNames(columns), version: `PostgreSQL ${major} from ${source}` },
        location: statementLocation(file, entry.statement),
        key: columns.join(','),
        detail: `Looked in this and earlier migrations for a validated CHECK (col IS NOT NULL) on ${table} for ${listNames(columns)} before: ${quote(entry.statement)}`,
      });
    }
  },
});
