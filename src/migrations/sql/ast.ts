import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from 'libpg-query';

/**
 * The name a relation is known by: `table` when it is unqualified or in `public` (the schema an
 * unqualified name resolves to under the default search_path), `schema.table` otherwise — the names the
 * rehearsal reads back from the catalogue. The parser has already folded unquoted identifiers to lower
 * case and kept quoted ones as written, so `"User"` stays `User`.
 *
 * @example relationKey({ schemaname: 'public', relname: 'users' }) // 'users'
 */
export function relationKey(relation: RangeVar | undefined): string {
  if (relation?.relname === undefined) return '';
  return relation.schemaname === undefined || relation.schemaname === 'public' ? relation.relname : `${relation.schemaname}.${relation.relname}`;
}

/**
 * The same name as `relationKey` for a dotted name list (`DROP TABLE public.users` gives `['public', 'users']`).
 *
 * @example qualifiedName(['public', 'users']) // 'users'
 */
export function qualifiedName(parts: readonly string[]): string {
  const name = parts[parts.length - 1];
  if (name === undefined) return '';
  const schema = parts[parts.length - 2];
  return schema === undefined || schema === 'public' ? name : `${schema}.${name}`;
}

export function stringsOf(nodes: readonly Node[] | undefined): string[] {
  const values: string[] = [];
  for (const node of nodes ?? []) if ('String' in node && node.String.sval !== undefined) values.push(node.String.sval);
  return values;
}

/** The type's own name without the `pg_catalog` qualifier: `int4`, `varchar`, `jsonb`, `bigserial`. */
export function typeNameOf(typeName: TypeName | undefined): string {
  const names = stringsOf(typeName?.names);
  return (names[names.length - 1] ?? '').toLowerCase();
}

/** Integer type modifiers, e.g. `[20]` for varchar(20), `[10, 2]` for numeric(10,2). */
export function typmodsOf(typeName: TypeName | undefined): number[] {
  const mods: number[] = [];
  for (const node of typeName?.typmods ?? []) {
    if ('A_Const' in node) mods.push(node.A_Const.ival?.ival ?? 0);
  }
  return mods;
}

export function constraintsOf(column: ColumnDef): Constraint[] {
  const found: Constraint[] = [];
  for (const node of column.constraints ?? []) if ('Constraint' in node) found.push(node.Constraint);
  return found;
}

export function columnDefOf(node: Node | undefined): ColumnDef | undefined {
  return node !== undefined && 'ColumnDef' in node ? node.ColumnDef : undefined;
}

export function constraintOf(node: Node | undefined): Constraint | undefined {
  return node !== undefined && 'Constraint' in node ? node.Constraint : undefined;
}

/** The table an ALTER TABLE changes and its commands. */
export interface AlterCommands {
  readonly relation: RangeVar | undefined;
  readonly commands: readonly AlterTableCmd[];
}

export function alterCommands(node: Node): AlterCommands | undefined {
  if (!('AlterTableStmt' in node)) return undefined;
  const statement = node.AlterTableStmt;
  // ALTER INDEX / ALTER VIEW … share the node; only tables hold rows that rewrites and scans touch.
  if (statement.objtype !== undefined && statement.objtype !== 'OBJECT_TABLE') return undefined;
  const commands: AlterTableCmd[] = [];
  for (const command of statement.cmds ?? []) if ('AlterTableCmd' in command) commands.push(command.AlterTableCmd);
  return { relation: statement.relation, commands };
}

/** Functions whose value differs per row, so a default built on them is computed for every row. */
const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setseed',
  'txid_current',
]);

/** Functions known to be stable or immutable: a default on them is evaluated once (PG 11+). */
const NON_VOLATILE_FUNCTIONS = new Set([
  'now',
  'current_timestamp',
  'transaction_timestamp',
  'statement_timestamp',
  'current_date',
  'lower',
  'upper',
  'coalesce',
  'to_jsonb',
  'jsonb_build_object',
  'json_build_object',
  'array',
  'concat',
  'timezone',
  'make_interval',
]);

/**
 * Why a default makes Postgres compute a value per row (and so rewrite the table), or undefined when it
 * is evaluated once. Unknown functions count as volatile: their volatility is not visible in a migration.
 */
export function volatileDefaultReason(expression: Node | undefined): string | undefined {
  if (expression === undefined) return undefined;
  if ('FuncCall' in expression) {
    const names = stringsOf(expression.FuncCall.funcname);
    const name = (names[names.length - 1] ?? '').toLowerCase();
    if (VOLATILE_FUNCTIONS.has(name)) return `${name}() is volatile`;
    if (!NON_VOLATILE_FUNCTIONS.has(name)) return `${name}() may be volatile (its volatility is not known from the migration)`;
    for (const argument of expression.FuncCall.args ?? []) {
      const reason = volatileDefaultReason(argument);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
  if ('TypeCast' in expression) return volatileDefaultReason(expression.TypeCast.arg);
  if ('A_Expr' in expression) return volatileDefaultReason(expression.A_Expr.lexpr) ?? volatileDefaultReason(expression.A_Expr.rexpr);
  return undefined;
}

export const SERIAL_TYPES = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/**
 * `INSERT … VALUES` or `DEFAULT VALUES` (or a SELECT without FROM and without WITH): a few literal rows, however large the
 * tables are — unlike `INSERT … SELECT … FROM`, which copies rows.
 *
 * @example insertsLiteralRows(parse("INSERT INTO roles VALUES (1, 'admin')")) // true
 */
export function insertsLiteralRows(node: Node): boolean {
  if (!('InsertStmt' in node)) return false;
  const select = node.InsertStmt.selectStmt;
  // No SELECT at all is INSERT … DEFAULT VALUES: one row.
  if (select === undefined) return true;
  return 'SelectStmt' in select && (select.SelectStmt.fromClause ?? []).length === 0 && node.InsertStmt.withClause === undefined;
}

/**
 * A JSON object, not an array: how the parse trees walked without their types (the PL/pgSQL tree, generic
 * searches) and driver errors are read without casts.
 *
 * @example isRecord({ A_Const: {} }) // true; isRecord([]) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
