import { type LockMode, isLockMode } from '../locks.js';
import { bool, num, type RehearsalDb, text } from './database.js';

const USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'";

/** `relname` in public, `schema.relname` elsewhere: the one naming of tables across the rehearsal (and `--row-counts`). */
function qualified(relname: string): string {
  return `CASE WHEN n.nspname = 'public' THEN ${relname} ELSE n.nspname || '.' || ${relname} END`;
}

// The catalogue queries in this file are fixed SQL assembled from these fragments (names and conditions, no
// values), kept as constants so every query spells a name the same way.
const RELATION_NAME = qualified('c.relname');
const INDEX_OWNER_NAME = qualified('COALESCE(t.relname, c.relname)');
const TYPE_NAME = qualified('t.typname');
const FUNCTION_NAME = qualified('p.proname');
const TYPE_NOT_IN_EXTENSION = notInExtension('pg_type', 't.oid');
const RELATION_NOT_IN_EXTENSION = notInExtension('pg_class', 'c.oid');
const FUNCTION_NOT_IN_EXTENSION = notInExtension('pg_proc', 'p.oid');

export interface RelationNode {
  readonly oid: number;
  readonly name: string;
  readonly kind: string;
  readonly node: string;
  /** For indexes: the table's name; for tables: their own name. */
  readonly table: string;
}

/** Physical file ids of every user table and index: a change means the statement rewrote or rebuilt it. */
export async function relationNodes(db: RehearsalDb): Promise<Map<number, RelationNode>> {
  // An index lives in its table's schema, so one namespace names both; the owner is qualified the same
  // way as every other table name in the rehearsal (`table` in public, `schema.table` elsewhere), since
  // it is the key into the row counts.
  const rows = await db.query(
    `SELECT c.oid::int8 AS oid, ${RELATION_NAME} AS name, c.relkind::text AS kind,
            c.relfilenode::int8 AS node, ${INDEX_OWNER_NAME} AS owner
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid
      WHERE c.relkind IN ('r', 'p', 'i', 'm') AND ${USER_SCHEMAS}`,
  );
  return new Map(rows.map((row) => [num(row, 'oid'), { oid: num(row, 'oid'), name: text(row, 'name'), kind: text(row, 'kind'), node: text(row, 'node'), table: text(row, 'owner') }]));
}

export interface HeldLock {
  readonly relation: string;
  readonly mode: LockMode;
}

/** The table locks this session holds right now (call inside the open transaction, before COMMIT). */
export async function heldLocks(db: RehearsalDb): Promise<HeldLock[]> {
  const rows = await db.query(
    `SELECT ${RELATION_NAME} AS name, l.mode
       FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND c.relkind IN ('r', 'p', 'm') AND ${USER_SCHEMAS}`,
  );
  const strongest = new Map<string, LockMode>();
  const order = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];
  for (const row of rows) {
    const mode = text(row, 'mode');
    if (!isLockMode(mode)) continue;
    const name = text(row, 'name');
    const previous = strongest.get(name);
    if (previous === undefined || order.indexOf(mode) > order.indexOf(previous)) strongest.set(name, mode);
  }
  return [...strongest].map(([relation, mode]) => ({ relation, mode })).sort((a, b) => (a.relation < b.relation ? -1 : 1));
}

/** Extension members come and go with `CREATE/DROP EXTENSION`, which is listed once; listing every member would bury the difference. */
function notInExtension(catalog: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '${catalog}'::regclass AND dep.objid = ${oid} AND dep.deptype = 'e')`;
}

/**
 * `CURRENT_TIMESTAMP` and `transaction_timestamp()` are `now()` under other names, and migrations write
 * one in the up and another in the down; `CURRENT_TIMESTAMP(3)` rounds, so it stays as it is.
 *
 * @example
 * toCanonicalDefault('CURRENT_TIMESTAMP'); // 'now()'
 */
export function toCanonicalDefault(expression: string): string {
  return expression.replace(/\bCURRENT_TIMESTAMP\b(?!\s*\()/g, 'now()').replace(/\btransaction_timestamp\(\)/g, 'now()');
}

function flat(sql: string, max: number): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * The schema as a set of comparable, readable lines — schemas, extensions, tables (with row level
 * security), columns (`format_type` type, NOT NULL, default, identity, generated), constraints, indexes,
 * enum labels, domains, sequences, views and materialized views, functions (signature and a hash of the
 * body), triggers and policies — for checking that a down migration restores what the up changed.
 *
 * NOT NULL is compared per column, never by constraint: PostgreSQL 18 stores it as a named constraint
 * whose generated name keeps the old table or column name after a rename, so dropping and re-adding it
 * in a down changes the name but not the schema.
 *
 * @example
 * const before = await schemaSnapshot(db);
 * // … up, then down …
 * const { missing, extra } = compareSnapshots(before, await schemaSnapshot(db));
 */
export async function schemaSnapshot(db: RehearsalDb): Promise<Set<string>> {
  const items = new Set<string>();
  const columns = await db.query(
    `SELECT ${RELATION_NAME} || '.' || a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            a.attidentity::text AS identity, a.attgenerated::text AS generated, pg_get_expr(d.adbin, d.adrelid) AS expr
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMAS}`,
  );
  for (const row of columns) {
    const expr = row['expr'] === null || row['expr'] === undefined ? undefined : toCanonicalDefault(text(row, 'expr'));
    const identity = text(row, 'identity');
    const generated = text(row, 'generated');
    const parts = [`column ${text(row, 'name')} ${text(row, 'type')}`];
    if (bool(row, 'notnull')) parts.push('NOT NULL');
    if (identity === 'a' || identity === 'd') parts.push(`GENERATED ${identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
    if (expr !== undefined) parts.push(generated === '' ? `DEFAULT ${expr}` : `GENERATED ALWAYS AS (${expr}) ${generated === 's' ? 'STORED' : 'VIRTUAL'}`);
    items.add(parts.join(' '));
  }
  const rows = await db.query(
    `SELECT 'schema ' || n.nspname AS item FROM pg_namespace n WHERE ${USER_SCHEMAS}
     UNION ALL
     SELECT 'extension ' || e.extname FROM pg_extension e WHERE e.extname <> 'plpgsql'
     UNION ALL
     SELECT CASE c.relkind WHEN 'p' THEN 'partitioned table ' WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || ${RELATION_NAME}
            || CASE WHEN c.relpersistence = 'u' THEN ' UNLOGGED' ELSE '' END
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_SCHEMAS}
     UNION ALL
     -- Apart from the table's own line, so enabling RLS shows as one added line, not the table missing and reappearing.
     SELECT 'row level security on ' || ${RELATION_NAME} || CASE WHEN c.relforcerowsecurity THEN ' (forced for the owner too)' ELSE '' END
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity) AND ${USER_SCHEMAS}
     UNION ALL
     SELECT 'constraint ' || ${RELATION_NAME} || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE con.contype <> 'n' AND ${USER_SCHEMAS}
     UNION ALL
     SELECT 'index ' || i.indexdef FROM pg_indexes i WHERE i.schemaname NOT IN ('pg_catalog', 'information_schema')
     UNION ALL
     SELECT 'enum ' || ${TYPE_NAME} || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')'
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE ${USER_SCHEMAS} AND ${TYPE_NOT_IN_EXTENSION} GROUP BY n.nspname, t.typname
     UNION ALL
     SELECT 'domain ' || ${TYPE_NAME} || ' ' || format_type(t.typbasetype, t.typtypmod) || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
            || COALESCE(' DEFAULT ' || t.typdefault, '')
            || COALESCE((SELECT ' ' || string_agg(con.conname || ' ' || pg_get_constraintdef(con.oid), ', ' ORDER BY con.conname) FROM pg_constraint con WHERE con.contypid = t.oid AND con.contype <> 'n'), '')
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND ${USER_SCHEMAS} AND ${TYPE_NOT_IN_EXTENSION}
     UNION ALL
     SELECT 'sequence ' || ${RELATION_NAME} || ' ' || format_type(s.seqtypid, NULL) || ' START ' || s.seqstart || ' INCREMENT ' || s.seqincrement
            || ' MINVALUE ' || s.seqmin || ' MAXVALUE ' || s.seqmax || CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END
       FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}
     UNION ALL
     SELECT 'trigger ' || ${RELATION_NAME} || ' ' || pg_get_triggerdef(tg.oid)
       FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal AND ${USER_SCHEMAS}
     UNION ALL
     SELECT 'policy ' || ${RELATION_NAME} || ' ' || p.polname || CASE WHEN p.polpermissive THEN '' ELSE ' RESTRICTIVE' END
            || ' FOR ' || CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
            || ' TO ' || COALESCE((SELECT string_agg(CASE WHEN r.oid = 0 THEN 'public' ELSE r.rolname END, ', ' ORDER BY r.rolname) FROM unnest(p.polroles) pr(oid) LEFT JOIN pg_roles r ON r.oid = pr.oid), 'public')
            || COALESCE(' USING (' || pg_get_expr(p.polqual, p.polrelid) || ')', '') || COALESCE(' WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
       FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}`,
  );
  for (const row of rows) items.add(text(row, 'item'));
  // Bodies are long: a hash says whether one changed, and a prefix says which object it is.
  const bodies = await db.query(
    `SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || ${RELATION_NAME} AS name, pg_get_viewdef(c.oid) AS body, md5(pg_get_viewdef(c.oid)) AS hash
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMAS} AND ${RELATION_NOT_IN_EXTENSION}
     UNION ALL
     SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' WHEN 'w' THEN 'window function ' ELSE 'function ' END || ${FUNCTION_NAME}
            || '(' || pg_get_function_identity_arguments(p.oid) || ')' || COALESCE(' RETURNS ' || pg_get_function_result(p.oid), '') || ' LANGUAGE ' || l.lanname,
            p.prosrc, md5(p.prosrc || COALESCE(p.probin, ''))
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang WHERE ${USER_SCHEMAS} AND ${FUNCTION_NOT_IN_EXTENSION}`,
  );
  for (const row of bodies) items.add(`${text(row, 'name')} (body md5 ${text(row, 'hash').slice(0, 12)}: ${flat(text(row, 'body'), 60)})`);
  return items;
}

/**
 * What a down migration failed to restore: items missing after it, and items it left behind, sorted.
 *
 * @example
 * compareSnapshots(new Set(['table a']), new Set(['table b'])); // { missing: ['table a'], extra: ['table b'] }
 */
export function compareSnapshots(before: ReadonlySet<string>, after: ReadonlySet<string>): { missing: string[]; extra: string[] } {
  return { missing: [...before].filter((item) => !after.has(item)).sort(), extra: [...after].filter((item) => !before.has(item)).sort() };
}
