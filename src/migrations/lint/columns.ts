import type { RuleContext } from '../../core/rule.js';
import { typeNameOf } from '../sql/ast.js';
import { type ColumnDeclaration, columnDeclarations } from '../sql/column-types.js';
import { eachStatement, perProject, quote, statementLocation, type LintedFile, type LintedStatement, type MigrationProject } from './context.js';

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
