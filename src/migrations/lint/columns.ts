import type { ColumnDef, TypeName } from 'libpg-query';
import type { RuleContext } from '../../core/rule.js';
import { columnDefOf, relationKey, typeNameOf } from '../sql/ast.js';
import { eachStatement, perProject, quote, statementLocation, type LintedFile, type LintedStatement, type MigrationProject } from './context.js';

export interface DeclaredColumn {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
  readonly table: string;
  readonly column: string;
  readonly typeName: TypeName;
  /** How the statement declares it: in CREATE TABLE, with ADD COLUMN, or with ALTER COLUMN … TYPE. */
  readonly kind: 'create' | 'add' | 'alter-type';
  readonly definition: ColumnDef;
}

/** Every column type a migration declares: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN … TYPE (built once per project). */
export const declaredColumns = perProject((project): readonly DeclaredColumn[] => {
  const found: DeclaredColumn[] = [];
  for (const { file, entry } of eachStatement(project)) {
    const node = entry.node;
    if ('CreateStmt' in node) {
      const table = relationKey(node.CreateStmt.relation);
      for (const element of node.CreateStmt.tableElts ?? []) {
        const column = columnDefOf(element);
        if (column?.typeName !== undefined) found.push({ file, entry, table, column: column.colname ?? '', typeName: column.typeName, kind: 'create', definition: column });
      }
      continue;
    }
    const alter = entry.alter;
    if (alter === undefined) continue;
    const table = relationKey(alter.relation);
    for (const command of alter.commands) {
      const column = columnDefOf(command.def);
      if (column?.typeName === undefined) continue;
      if (command.subtype === 'AT_AddColumn') found.push({ file, entry, table, column: column.colname ?? '', typeName: column.typeName, kind: 'add', definition: column });
      if (command.subtype === 'AT_AlterColumnType') found.push({ file, entry, table, column: command.name ?? '', typeName: column.typeName, kind: 'alter-type', definition: column });
    }
  }
  return found;
});

/** Message data of the column-type style rules (`prefer-jsonb`, `prefer-timestamp-tz`, …). */
export type ColumnTypeMessages = { type: { table: string; column: string; type: string } };

/**
 * The whole check of a column-type rule: every declared column whose type `isFlagged` is reported at its
 * statement. Those rules differ only in the predicate and their words.
 *
 * @example check: (ctx) => reportColumnTypes(ctx, (type) => type === 'json')
 */
export function reportColumnTypes(
  ctx: RuleContext<MigrationProject, ColumnTypeMessages, undefined>,
  isFlagged: (type: string, declared: DeclaredColumn) => boolean,
): void {
  for (const declared of declaredColumns(ctx.project)) {
    const type = typeNameOf(declared.typeName);
    if (!isFlagged(type, declared)) continue;
    ctx.report({
      messageId: 'type',
      data: { table: declared.table, column: declared.column, type },
      location: statementLocation(declared.file, declared.entry.statement),
      key: declared.column,
      detail: `Checked the type of ${declared.table}.${declared.column} in: ${quote(declared.entry.statement)}`,
    });
  }
}
