import { createHash } from 'node:crypto';
import { type LockMode, isLockMode } from '../locks.js';
import type { RehearsalDb } from './database.js';
import { bool, num, text } from './rows.js';

const USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'";

/** `relname` in public, `schema.relname` elsewhere: the one naming of tables across the rehearsal (and `--row-counts`). */
function qualified(relname: string, schema = 'n.nspname'): string {
  return `CASE WHEN ${schema} = 'public' THEN ${relname} ELSE ${schema} || '.' || ${relname} END`;
}

// The catalogue queries in this file are fixed SQL assembled from these fragments (names and conditions, no
// values), kept as constants so every query spells a name the same way.
/** A relation's name over `pg_class c` and `pg_namespace n`, for every query of the rehearsal that names tables. */
export const RELATION_NAME = qualified('c.relname');
const INDEX_OWNER_NAME = qualified('COALESCE(t.relname, c.relname)');
const TYPE_NAME = qualified('t.typname');
const FUNCTION_NAME = qualified('p.proname');
const TYPE_NOT_IN_EXTENSION = notInExtension('pg_type', 't.oid');
const RELATION_NOT_IN_EXTENSION = notInExtension('pg_class', 'c.oid');
const FUNCTION_NOT_IN_EXTENSION = notInExtension('pg_proc', 'p.oid');
/** The table a partition is attached to, or a child inherits from, named like every other table. */
const PARENT_NAME = qualified('pc.relname', 'pn.nspname');
/** Collations live in pg_catalog unless created by a migration, so only the others are schema-qualified. */
const COLLATION_NAME = "CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname) ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END";
/**
 * A function body with runs of whitespace collapsed to one space and the ends trimmed, so a down that
 * re-creates the function with other line breaks or indentation restores it. This also collapses
 * whitespace inside string literals of the body ('a  b' reads as 'a b'): simpler than tokenising every
 * language's bodies, and a difference only in the whitespace of a literal is rare enough to accept.
 * Collapsed before trimming because btrim() strips only spaces, not the line breaks around `$$`.
 */
const FUNCTION_BODY = "btrim(regexp_replace(p.prosrc, '\\s+', ' ', 'g'))";
/** The attributes `CREATE FUNCTION` and `ALTER FUNCTION` set, each shown only when not at its default (VOLATILE, CALLED ON NULL INPUT, SECURITY INVOKER, NOT LEAKPROOF, PARALLEL UNSAFE, no SET). */
const FUNCTION_ATTRIBUTES = `CASE p.provolatile WHEN 'i' THEN ' IMMUTABLE' WHEN 's' THEN ' STABLE' ELSE '' END
            || CASE WHEN p.proisstrict THEN ' STRICT' ELSE '' END || CASE WHEN p.prosecdef THEN ' SECURITY DEFINER' ELSE '' END
            || CASE WHEN p.proleakproof THEN ' LEAKPROOF' ELSE '' END
            || CASE p.proparallel WHEN 's' THEN ' PARALLEL SAFE' WHEN 'r' THEN ' PARALLEL RESTRICTED' ELSE '' END
            || COALESCE((SELECT string_agg(' SET ' || cfg.setting, '' ORDER BY cfg.setting) FROM unnest(p.proconfig) cfg(setting)), '')`;

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

/** Runs of whitespace as one space, ends trimmed: how bodies and comments are compared and shown on one line. */
function collapsed(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function flat(sql: string, max: number): string {
  const line = collapsed(sql);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Comments longer than this are shown by their start and a hash, so a line stays readable. */
const COMMENT_SHOWN = 100;

/**
 * A comment as an SQL literal, whitespace collapsed like function bodies (a down that re-wraps a
 * comment restores it); a long one by its start and an md5 of the whole, which still tells any two apart.
 */
function toCommentText(comment: string): string {
  const line = collapsed(comment);
  const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;
  if (line.length <= COMMENT_SHOWN) return literal(line);
  return `${literal(`${line.slice(0, COMMENT_SHOWN - 1)}…`)} (md5 ${createHash('md5').update(line).digest('hex').slice(0, 12)})`;
}

/** A view or routine line's parts, kept so that two versions of one object can be shown where they differ. */
interface BodyLine {
  /** Kind, name and (for routines) argument types: the same object before and after. */
  readonly object: string;
  /** Everything before ` (body md5 …`. */
  readonly head: string;
  readonly hash: string;
  /** The whole body, whitespace collapsed. */
  readonly body: string;
}

/**
 * The lines of a schema snapshot (a `Set<string>`, compared line by line), plus the whole bodies of
 * views and routines: a line shows only the start of a body, and the bodies let `compareSnapshots`
 * show the part where two versions of one object differ instead.
 *
 * @example
 * const snapshot = await schemaSnapshot(db);
 * snapshot.has('table users'); // true
 */
export class SchemaSnapshot extends Set<string> {
  /** By line: the line's object and whole body. */
  readonly bodies = new Map<string, BodyLine>();
}

/** Characters of common start kept before the first difference of two bodies, and the width of the excerpt. */
const BEFORE_DIFFERENCE = 30;
const EXCERPT_WIDTH = 100;

/** The same stretch of both bodies, starting a little before their first difference. */
function differingExcerpts(a: string, b: string): [string, string] {
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same += 1;
  const start = Math.max(0, same - BEFORE_DIFFERENCE);
  const cut = (body: string): string => `${start > 0 ? '…' : ''}${body.slice(start, start + EXCERPT_WIDTH)}${body.length > start + EXCERPT_WIDTH ? '…' : ''}`;
  return [cut(a), cut(b)];
}

/**
 * The schema as a set of comparable, readable lines — schemas, extensions, tables (partitioned ones
 * with their partition key; row level security; the parent a partition is attached to with its bounds,
 * or the parents a table inherits from; REPLICA IDENTITY when not DEFAULT; storage parameters such as
 * fillfactor, and view options such as security_invoker), columns (`format_type` type, collation when not the type's, NOT NULL, default, identity,
 * generated), comments on tables, views and columns, constraints, indexes, enum labels, domains,
 * sequences, views and materialized views, functions (signature, attributes such as IMMUTABLE, STRICT,
 * SECURITY DEFINER, LEAKPROOF, PARALLEL and SET, and a hash of the body with whitespace collapsed),
 * triggers and policies — for checking that a down migration restores what the up changed.
 *
 * An attribute at its default (no collation, VOLATILE, REPLICA IDENTITY DEFAULT, no storage parameters)
 * adds nothing to a line, so the lines stay short and a catalogue that spells a default differently
 * (NULL or an empty array of options) reads the same.
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
export async function schemaSnapshot(db: RehearsalDb): Promise<SchemaSnapshot> {
  const items = new SchemaSnapshot();
  // The collation is joined only when it is not the type's own, so the usual column gets no COLLATE.
  const columns = await db.query(
    `SELECT ${RELATION_NAME} || '.' || a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            a.attidentity::text AS identity, a.attgenerated::text AS generated, pg_get_expr(d.adbin, d.adrelid) AS expr,
            ${COLLATION_NAME} AS collation
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       JOIN pg_type ty ON ty.oid = a.atttypid
       LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> ty.typcollation
       LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_SCHEMAS}`,
  );
  for (const row of columns) {
    const expr = row['expr'] === null || row['expr'] === undefined ? undefined : toCanonicalDefault(text(row, 'expr'));
    const identity = text(row, 'identity');
    const generated = text(row, 'generated');
    const collation = text(row, 'collation');
    const parts = [`column ${text(row, 'name')} ${text(row, 'type')}`];
    if (collation !== '') parts.push(`COLLATE ${collation}`);
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
            || CASE WHEN c.relkind = 'p' THEN ' PARTITION BY ' || pg_get_partkeydef(c.oid) ELSE '' END
            || CASE WHEN c.relpersistence = 'u' THEN ' UNLOGGED' ELSE '' END
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_SCHEMAS}
     UNION ALL
     -- Apart from the table's own line, so enabling RLS shows as one added line, not the table missing and reappearing.
     SELECT 'row level security on ' || ${RELATION_NAME} || CASE WHEN c.relforcerowsecurity THEN ' (forced for the owner too)' ELSE '' END
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND (c.relrowsecurity OR c.relforcerowsecurity) AND ${USER_SCHEMAS}
     UNION ALL
     -- Apart from the table's line too, so ATTACH or DETACH PARTITION shows as one line.
     SELECT CASE WHEN c.relispartition THEN 'partition ' || ${RELATION_NAME} || ' of ' || ${PARENT_NAME} || ' ' || pg_get_expr(c.relpartbound, c.oid)
                 ELSE 'table ' || ${RELATION_NAME} || ' inherits from ' || ${PARENT_NAME} END
       FROM pg_inherits inh JOIN pg_class c ON c.oid = inh.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class pc ON pc.oid = inh.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_SCHEMAS}
     UNION ALL
     SELECT 'replica identity of ' || ${RELATION_NAME} || ' '
            || CASE c.relreplident WHEN 'f' THEN 'FULL' WHEN 'n' THEN 'NOTHING'
                 ELSE 'USING INDEX ' || COALESCE((SELECT ri.relname FROM pg_index i JOIN pg_class ri ON ri.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident), '?') END
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND c.relreplident <> 'd' AND ${USER_SCHEMAS}
     UNION ALL
     -- Options sorted, since their order in reloptions is the order they were set; RESET of the last one leaves NULL, never '{}', but cardinality covers both.
     SELECT CASE WHEN c.relkind = 'v' THEN 'view options of ' ELSE 'storage parameters of ' END || ${RELATION_NAME} || ' WITH ('
            || (SELECT string_agg(o.option, ', ' ORDER BY o.option) FROM (SELECT unnest(c.reloptions) UNION ALL SELECT 'toast.' || unnest(tc.reloptions)) o(option)) || ')'
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid
      WHERE c.relkind IN ('r', 'p', 'm', 'v', 'f') AND (cardinality(c.reloptions) > 0 OR cardinality(tc.reloptions) > 0) AND ${USER_SCHEMAS} AND ${RELATION_NOT_IN_EXTENSION}
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
  // Comments are free text, so they are quoted (and shortened) here rather than in SQL; objsubid 0 is the relation's own comment.
  const comments = await db.query(
    `SELECT CASE WHEN d.objsubid = 0 THEN CASE c.relkind WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'p' THEN 'partitioned table ' WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || ${RELATION_NAME}
                 ELSE 'column ' || ${RELATION_NAME} || '.' || a.attname END AS name, d.description AS comment
       FROM pg_description d JOIN pg_class c ON c.oid = d.objoid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
      WHERE d.classoid = 'pg_class'::regclass AND c.relkind IN ('r', 'p', 'f', 'v', 'm') AND (d.objsubid = 0 OR a.attnum IS NOT NULL)
        AND ${USER_SCHEMAS} AND ${RELATION_NOT_IN_EXTENSION}`,
  );
  for (const row of comments) items.add(`comment on ${text(row, 'name')}: ${toCommentText(text(row, 'comment'))}`);
  // Bodies are long: a hash says whether one changed, and a prefix says which object it is.
  const bodies = await db.query(
    `SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || ${RELATION_NAME} AS object, '' AS attributes,
            pg_get_viewdef(c.oid) AS body, md5(pg_get_viewdef(c.oid)) AS hash
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND ${USER_SCHEMAS} AND ${RELATION_NOT_IN_EXTENSION}
     UNION ALL
     SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'a' THEN 'aggregate ' WHEN 'w' THEN 'window function ' ELSE 'function ' END || ${FUNCTION_NAME}
            || '(' || pg_get_function_identity_arguments(p.oid) || ')',
            COALESCE(' RETURNS ' || pg_get_function_result(p.oid), '') || ' LANGUAGE ' || l.lanname || ${FUNCTION_ATTRIBUTES},
            ${FUNCTION_BODY}, md5(${FUNCTION_BODY} || COALESCE(p.probin, ''))
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang WHERE ${USER_SCHEMAS} AND ${FUNCTION_NOT_IN_EXTENSION}`,
  );
  for (const row of bodies) {
    const object = text(row, 'object');
    const head = `${object}${text(row, 'attributes')}`;
    const hash = text(row, 'hash').slice(0, 12);
    const body = collapsed(text(row, 'body'));
    const line = `${head} (body md5 ${hash}: ${flat(body, 60)})`;
    items.add(line);
    items.bodies.set(line, { object, head, hash, body });
  }
  return items;
}

/**
 * What a down migration failed to restore: items missing after it, and items it left behind, sorted.
 * When both snapshots come from `schemaSnapshot` and one view or routine is missing in one version and
 * left behind in another, both lines show the same stretch of the two bodies around their first
 * difference instead of the start of each, which may be all the two have in common.
 *
 * @example
 * compareSnapshots(new Set(['table a']), new Set(['table b'])); // { missing: ['table a'], extra: ['table b'] }
 */
export function compareSnapshots(before: ReadonlySet<string>, after: ReadonlySet<string>): { missing: string[]; extra: string[] } {
  const missing = [...before].filter((item) => !after.has(item));
  const extra = [...after].filter((item) => !before.has(item));
  const shown = new Map<string, string>();
  if (before instanceof SchemaSnapshot && after instanceof SchemaSnapshot) {
    for (const gone of missing) {
      const old = before.bodies.get(gone);
      if (old === undefined) continue;
      const counterparts = extra.filter((item) => after.bodies.get(item)?.object === old.object);
      const [left] = counterparts;
      const now = left === undefined ? undefined : after.bodies.get(left);
      // Only a one-to-one pair with different bodies: with the same body, the line's attributes already show the difference.
      if (counterparts.length !== 1 || left === undefined || now === undefined || now.body === old.body) continue;
      const [oldExcerpt, newExcerpt] = differingExcerpts(old.body, now.body);
      shown.set(gone, `${old.head} (body md5 ${old.hash}: ${oldExcerpt})`);
      shown.set(left, `${now.head} (body md5 ${now.hash}: ${newExcerpt})`);
    }
  }
  const show = (item: string): string => shown.get(item) ?? item;
  return { missing: missing.map(show).sort(), extra: extra.map(show).sort() };
}
