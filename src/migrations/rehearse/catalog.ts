import { type LockMode, isLockMode } from '../locks.js';
import { num, type RehearsalDb, text } from './database.js';

const USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'";

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
  const rows = await db.query(
    `SELECT c.oid::int8 AS oid, CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name, c.relkind::text AS kind,
            c.relfilenode::int8 AS node, COALESCE(t.relname, c.relname) AS owner
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
    `SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name, l.mode
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

/**
 * The schema as a set of comparable lines (tables, columns, constraints, indexes, enum values), for
 * checking that a down migration restores what the up changed.
 */
export async function schemaSnapshot(db: RehearsalDb): Promise<Set<string>> {
  const rows = await db.query(
    `SELECT 'column ' || c.table_schema || '.' || c.table_name || '.' || c.column_name || ' ' || c.data_type
            || COALESCE('(' || c.character_maximum_length || ')', '') || COALESCE('(' || c.numeric_precision || ',' || c.numeric_scale || ')', '')
            || CASE WHEN c.is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || COALESCE(' DEFAULT ' || c.column_default, '') AS item
       FROM information_schema.columns c
      WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
     UNION ALL
     SELECT 'constraint ' || con.conrelid::regclass::text || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
       FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE con.conrelid <> 0 AND ${USER_SCHEMAS}
     UNION ALL
     SELECT 'index ' || i.indexdef FROM pg_indexes i WHERE i.schemaname NOT IN ('pg_catalog', 'information_schema')
     UNION ALL
     SELECT 'enum ' || t.typname || ' (' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) || ')'
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE ${USER_SCHEMAS} GROUP BY t.typname`,
  );
  return new Set(rows.map((row) => text(row, 'item')));
}

/** What a down migration failed to restore: items missing after it, and items it left behind. */
export function compareSnapshots(before: ReadonlySet<string>, after: ReadonlySet<string>): { missing: string[]; extra: string[] } {
  return { missing: [...before].filter((item) => !after.has(item)).sort(), extra: [...after].filter((item) => !before.has(item)).sort() };
}
