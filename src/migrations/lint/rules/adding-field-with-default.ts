// Protects against ADD COLUMN forms that rewrite the whole table under an ACCESS EXCLUSIVE lock. docs/migrations.md#adding-field-with-default
import { columnDefOf, constraintsOf, SERIAL_TYPES, typeNameOf, volatileDefaultReason } from '../../sql/ast.js';
import { appliedMigrations, byStatement, defineMigrationRule, existingTableCommands, listNames, nodeLocation, quote, type TableCommand } from '../context.js';

export default defineMigrationRule({
  name: 'adding-field-with-default',
  squawk: true,
  title: 'Column added in a way that rewrites the table',
  description:
    'ADD COLUMN with a volatile default, a serial type, an identity or a STORED generated column (or any default before PG 11) rewrites every row while holding ACCESS EXCLUSIVE. PG 18 VIRTUAL generated columns do not.',
  severity: 'high',
  fix: 'Add the column without the default, set the default for new rows with ALTER COLUMN … SET DEFAULT, and backfill existing rows in batches; on PG 18 prefer a VIRTUAL generated column.',
  messages: {
    rewrite: ({ column, table, why, version }: { column: string; table: string; why: string; version: string }) =>
      `Adding ${column} to existing table ${table} rewrites it (${why}; assuming ${version})`,
  },
  history: (count) => appliedMigrations(count, 'adds a column that rewrites its table', 'add columns that rewrite their table'),
  check(ctx) {
    const { major, source } = ctx.project.pgVersion;
    const version = `PostgreSQL ${major} from ${source}`;
    const rewriting: Array<TableCommand & { column: string; why: string; location: number | undefined }> = [];
    for (const command of existingTableCommands(ctx.project)) {
      const column = command.command.subtype === 'AT_AddColumn' ? columnDefOf(command.command.def) : undefined;
      if (column === undefined) continue;
      let why: string | undefined;
      const typeName = typeNameOf(column.typeName);
      if (SERIAL_TYPES.has(typeName)) why = `${typeName} fills every row from a sequence`;
      for (const constraint of constraintsOf(column)) {
        if (why !== undefined) break;
        if (constraint.contype === 'CONSTR_IDENTITY') why = 'an identity column fills every row';
        else if (constraint.contype === 'CONSTR_GENERATED' && constraint.generated_kind !== 'v') why = 'a STORED generated column is computed for every row';
        else if (constraint.contype === 'CONSTR_GENERATED' && major < 18) why = 'VIRTUAL generated columns need PostgreSQL 18';
        else if (constraint.contype === 'CONSTR_DEFAULT') {
          why = major < 11 ? 'before PostgreSQL 11 any default rewrites the table' : volatileDefaultReason(constraint.raw_expr);
        }
      }
      if (why !== undefined) rewriting.push({ ...command, column: column.colname ?? '', why, location: column.location });
    }
    // One finding per statement: the table is rewritten once, however many of its new columns force it.
    for (const { file, entry, items } of byStatement(rewriting)) {
      const columns = items.map((item) => item.column);
      const reasons = [...new Set(items.map((item) => item.why))];
      ctx.report({
        messageId: 'rewrite',
        data: { column: listNames(columns), table: items[0]?.table ?? '', why: reasons.join('; '), version },
        location: nodeLocation(file, entry.statement, items[0]?.location),
        key: columns.join(','),
        detail: `Checked the default, type and generation of ${listNames(columns)} in: ${quote(entry.statement)}`,
      });
    }
  },
});
