// Protects against ALTER COLUMN TYPE rewriting a table (and its indexes) under ACCESS EXCLUSIVE. docs/migrations.md#changing-column-type
import type { TypeName } from 'libpg-query';
import { typeNameOf, typmodsOf } from '../../sql/ast.js';
import { isBinaryCoercible } from '../../sql/column-types.js';
import { declaredColumns } from '../columns.js';
import { defineMigrationRule, quote, statementLocation } from '../context.js';

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
    rewrite: ({ table, column, change }: { table: string; column: string; change: string }) => `changing ${table}.${column} ${change} rewrites the table under ACCESS EXCLUSIVE`,
  },
  check(ctx) {
    // Declared types in run order: each ALTER … TYPE is compared with the latest earlier declaration.
    const columns = new Map<string, TypeName>();
    for (const declared of declaredColumns(ctx.project)) {
      const key = `${declared.table}.${declared.column.toLowerCase()}`;
      const previous = columns.get(key);
      columns.set(key, declared.typeName);
      if (declared.kind !== 'alter-type' || !declared.entry.isExisting(declared.table)) continue;
      const { table, column: name, typeName, entry, file } = declared;
      const hasUsing = declared.definition.raw_default !== undefined;
      if (previous !== undefined && !hasUsing && isBinaryCoercible(previous, typeName)) continue;
      const change = previous === undefined ? `to ${describeType(typeName)}` : `from ${describeType(previous)} to ${describeType(typeName)}`;
      ctx.report({
        messageId: 'rewrite',
        data: { table, column: name, change },
        location: statementLocation(file, entry.statement),
        key: name,
        detail:
          previous === undefined
            ? `The old type of ${table}.${name} is not declared in earlier migrations, so the change cannot be shown to be binary coercible: ${quote(entry.statement)}`
            : `Compared the type declared earlier (${describeType(previous)}) with: ${quote(entry.statement)}${hasUsing ? ' (a USING clause always rewrites)' : ''}`,
      });
    }
  },
});
