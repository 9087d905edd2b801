import type { RuleContext } from '../../core/rule.js';
import { typeNameOf } from '../sql/ast.js';
import { type ColumnDeclaration, columnDeclarations } from '../sql/column-types.js';
import { byStatement, eachStatement, listNames, perProject, quote, statementLocation, type LintedFile, type LintedStatement, type MigrationProject } from './context.js';
import { columnDeclarationKey } from './schema.js';

export interface DeclaredColumn extends ColumnDeclaration {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
}

/** Every column type a migration declares: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN … TYPE (built once per project). */
export const declaredColumns = perProject((project): readonly DeclaredColumn[] =>
  eachStatement(project).flatMap(({ file, entry }) => columnDeclarations(entry.node, entry.alter).map((declared) => ({ ...declared, file, entry }))),
);

/** Message data of the column-type style rules (`prefer-jsonb`, `prefer-timestamp-tz`, …). */
export type ColumnTypeMessages = { type: { table: string; column: string; type: string } };

/** Each column declaration that still gives a column of the final schema its type, with that column's current names. */
const currentDeclarations = perProject((project): ReadonlyMap<string, { readonly table: string; readonly column: string }> => {
  const current = new Map<string, { table: string; column: string }>();
  for (const { schema } of project.schemas) for (const [key, names] of schema.currentColumnDeclarations()) current.set(key, names);
  return current;
});

/**
 * The whole check of a column-type rule: every declared column whose type `isFlagged` is reported at its
 * statement, one finding per statement listing its columns. These rules judge the schema as it stands: a column
 * dropped or retyped by a later migration is not reported, and one renamed later is named as it is now.
 *
 * @example check: (ctx) => reportColumnTypes(ctx, (type) => type === 'json')
 */
export function reportColumnTypes(
  ctx: RuleContext<MigrationProject, ColumnTypeMessages, undefined>,
  isFlagged: (type: string, declared: DeclaredColumn) => boolean,
): void {
  const current = currentDeclarations(ctx.project);
  const flagged: Array<DeclaredColumn & { readonly now: { readonly table: string; readonly column: string }; readonly type: string }> = [];
  for (const declared of declaredColumns(ctx.project)) {
    const type = typeNameOf(declared.typeName);
    if (!isFlagged(type, declared)) continue;
    const now = current.get(columnDeclarationKey(declared.file.parsed.source.path, declared.entry.statement, declared.column));
    if (now !== undefined) flagged.push({ ...declared, now, type });
  }
  for (const { file, entry, items } of byStatement(flagged)) {
    const columns = items.map((item) => item.now.column);
    const table = items[0]?.now.table ?? '';
    ctx.report({
      messageId: 'type',
      data: { table, column: listNames(columns), type: listNames([...new Set(items.map((item) => item.type))]) },
      location: statementLocation(file, entry.statement),
      key: columns.join(','),
      detail: `Checked the types of ${listNames(items.map((item) => `${item.now.table}.${item.now.column}`))} (as the last migration leaves them) in: ${quote(entry.statement)}`,
    });
  }
}
