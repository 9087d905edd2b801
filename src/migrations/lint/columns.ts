import type { TypeName } from 'libpg-query';
import { alterCommands, columnDefOf, relationKey } from '../sql/ast.js';
import { eachStatement, type LintedFile, type LintedStatement, type MigrationProject } from './context.js';

export interface DeclaredColumn {
  readonly file: LintedFile;
  readonly entry: LintedStatement;
  readonly table: string;
  readonly column: string;
  readonly typeName: TypeName;
}

/** Every column type a migration declares: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN … TYPE. */
export function* declaredColumns(project: MigrationProject): Generator<DeclaredColumn> {
  for (const { file, entry } of eachStatement(project)) {
    const node = entry.node;
    if ('CreateStmt' in node) {
      const table = relationKey(node.CreateStmt.relation);
      for (const element of node.CreateStmt.tableElts ?? []) {
        const column = columnDefOf(element);
        if (column?.typeName !== undefined) yield { file, entry, table, column: column.colname ?? '', typeName: column.typeName };
      }
      continue;
    }
    const alter = alterCommands(node);
    if (alter === undefined) continue;
    const table = relationKey(alter.relation);
    for (const command of alter.commands) {
      const column = columnDefOf(command.def);
      if (column?.typeName === undefined) continue;
      if (command.subtype === 'AT_AddColumn') yield { file, entry, table, column: column.colname ?? '', typeName: column.typeName };
      if (command.subtype === 'AT_AlterColumnType') yield { file, entry, table, column: command.name ?? '', typeName: column.typeName };
    }
  }
}
