// Protects against ALTER COLUMN TYPE rewriting a table (and its indexes) under ACCESS EXCLUSIVE. docs/migrations.md#changing-column-type
import type { TypeName } from 'libpg-query';
import { typeNameOf, typmodsOf } from '../../sql/ast.js';
import { isBinaryCoercible } from '../../sql/column-types.js';
import { type DeclaredColumn, declaredColumns } from '../columns.js';
import { appliedMigrations, byStatement, defineMigrationRule, listNames, quote, statementLocation } from '../context.js';

function describeType(typeName: TypeName): string {
  const mods = typmodsOf(typeName);
  return `${typeNameOf(typeName)}${mods.length > 0 ? `(${mods.join(',')})` : ''}`;
}

export default defineMigrationRule({
  name: 'changing-column-type',
  squawk: true,
  title: 'Column type change that rewrites the table',
  description:
    'ALTER COLUMN … TYPE rewrites the table and rebuilds its indexes under ACCESS EXCLUSIVE, unless the change is binary coercible (varchar widening, varchar → text, numeric precision increase). The old type is read from earlier migrations.',
  severity: 'high',
  fix: 'Add a new column of the new type, write to both, backfill in batches, switch reads, then drop the old column (expand/contract).',
  messages: {
    rewrite: ({ table, change }: { table: string; column: string; change: string }) => `changing ${change} rewrites ${table} under ACCESS EXCLUSIVE`,
  },
  history: (count) => appliedMigrations(count, 'changes a column type in a way that rewrites the table', 'change column types in ways that rewrite the table'),
  check(ctx) {
    // Declared types in run order: each ALTER … TYPE is compared with the latest earlier declaration.
    const columns = new Map<string, TypeName>();
    const rewrites: Array<DeclaredColumn & { change: string; previous: TypeName | undefined; hasUsing: boolean }> = [];
    for (const declared of declaredColumns(ctx.project)) {
      const key = `${declared.table}.${declared.column.toLowerCase()}`;
      const previous = columns.get(key);
      columns.set(key, declared.typeName);
      if (declared.kind !== 'alter-type' || !declared.entry.isExisting(declared.table)) continue;
      const hasUsing = declared.definition.raw_default !== undefined;
      if (previous !== undefined && !hasUsing && isBinaryCoercible(previous, declared.typeName)) continue;
      const change = previous === undefined ? `to ${describeType(declared.typeName)}` : `from ${describeType(previous)} to ${describeType(declared.typeName)}`;
      rewrites.push({ ...declared, change, previous, hasUsing });
    }
    // One finding per statement: one ALTER TABLE rewrites the table once, however many columns it retypes.
    for (const { file, entry, items } of byStatement(rewrites)) {
      const table = items[0]?.table ?? '';
      const changes = items.map((item) => `${table}.${item.column} ${item.change}`);
      const unknown = items.filter((item) => item.previous === undefined).map((item) => item.column);
      ctx.report({
        messageId: 'rewrite',
        data: { table, column: listNames(items.map((item) => item.column)), change: listNames(changes) },
        location: statementLocation(file, entry.statement),
        key: items.map((item) => item.column).join(','),
        detail: `${
          unknown.length > 0
            ? `The old type of ${listNames(unknown.map((column) => `${table}.${column}`))} is not declared in earlier migrations, so the change cannot be shown to be binary coercible. `
            : ''
        }Compared the types declared earlier with: ${quote(entry.statement)}${items.some((item) => item.hasUsing) ? ' (a USING clause always rewrites)' : ''}`,
      });
    }
  },
});
