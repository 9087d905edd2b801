// Protects against foreign keys without an index on the referencing columns (slow deletes, lock escalation). docs/migrations.md#foreign-key-missing-index
import type { Constraint } from 'libpg-query';
import { columnDefOf, constraintOf, constraintsOf, relationKey, stringsOf } from '../../sql/ast.js';
import { defineMigrationRule, type LintedFile, type LintedStatement, quote, statementLocation } from '../context.js';

interface ForeignKey {
  readonly table: string;
  readonly columns: string[];
  readonly target: string;
  readonly file: LintedFile;
  readonly entry: LintedStatement;
}

function indexColumns(params: Constraint['keys']): string[] {
  const names: string[] = [];
  for (const param of params ?? []) {
    if ('IndexElem' in param && param.IndexElem.name !== undefined) names.push(param.IndexElem.name.toLowerCase());
    else if ('String' in param && param.String.sval !== undefined) names.push(param.String.sval.toLowerCase());
    else break;
  }
  return names;
}

export default defineMigrationRule({
  name: 'foreign-key-missing-index',
  title: 'Foreign key without a supporting index',
  description:
    'Postgres does not index the referencing side of a foreign key. Without an index every DELETE or key UPDATE on the parent scans the child table, and joins on the key scan too.',
  severity: 'medium',
  fix: 'CREATE INDEX CONCURRENTLY ON <child> (<fk columns>) in a migration of its own.',
  messages: { missing: ({ table, columns, target }: { table: string; columns: string; target: string }) => `foreign key ${table} (${columns}) → ${target} has no index starting with those columns` },
  check(ctx) {
    const keys: ForeignKey[] = [];
    const indexes = new Map<string, string[][]>();
    const addIndex = (table: string, columns: string[]): void => {
      if (columns.length === 0) return;
      const known = indexes.get(table);
      if (known === undefined) indexes.set(table, [columns]);
      else known.push(columns);
    };
    const visitConstraint = (table: string, constraint: Constraint, column: string | undefined, file: LintedFile, entry: LintedStatement): void => {
      if (constraint.contype === 'CONSTR_PRIMARY' || constraint.contype === 'CONSTR_UNIQUE') addIndex(table, column !== undefined ? [column] : indexColumns(constraint.keys));
      if (constraint.contype === 'CONSTR_FOREIGN') {
        const columns = column !== undefined ? [column] : stringsOf(constraint.fk_attrs).map((name) => name.toLowerCase());
        keys.push({ table, columns, target: relationKey(constraint.pktable), file, entry });
      }
    };
    for (const file of ctx.project.files) {
      for (const entry of file.statements) {
        const node = entry.node;
        if ('IndexStmt' in node) addIndex(relationKey(node.IndexStmt.relation), indexColumns(node.IndexStmt.indexParams));
        if ('CreateStmt' in node) {
          const table = relationKey(node.CreateStmt.relation);
          for (const element of node.CreateStmt.tableElts ?? []) {
            const column = columnDefOf(element);
            if (column !== undefined) for (const constraint of constraintsOf(column)) visitConstraint(table, constraint, column.colname?.toLowerCase(), file, entry);
            const constraint = constraintOf(element);
            if (constraint !== undefined) visitConstraint(table, constraint, undefined, file, entry);
          }
        }
        const alter = entry.alter;
        if (alter === undefined) continue;
        const table = relationKey(alter.relation);
        for (const command of alter.commands) {
          const column = command.subtype === 'AT_AddColumn' ? columnDefOf(command.def) : undefined;
          if (column !== undefined) for (const constraint of constraintsOf(column)) visitConstraint(table, constraint, column.colname?.toLowerCase(), file, entry);
          const constraint = command.subtype === 'AT_AddConstraint' ? constraintOf(command.def) : undefined;
          if (constraint !== undefined) visitConstraint(table, constraint, undefined, file, entry);
        }
      }
    }
    for (const key of keys) {
      const covered = (indexes.get(key.table) ?? []).some((columns) => key.columns.every((column, position) => columns[position] === column));
      if (covered) continue;
      ctx.report({
        messageId: 'missing',
        data: { table: key.table, columns: key.columns.join(', '), target: key.target },
        location: statementLocation(key.file, key.entry.statement),
        key: key.columns.join(','),
        detail: `Looked in every migration of the set for an index, primary key or unique constraint on ${key.table} starting with (${key.columns.join(', ')}); the key is declared in: ${quote(key.entry.statement)}`,
      });
    }
  },
});
