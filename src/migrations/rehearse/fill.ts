import { num, type RehearsalDb, text } from './database.js';

interface ColumnInfo {
  readonly name: string;
  readonly type: string;
  readonly typname: string;
  readonly typtype: string;
  readonly category: string;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
  readonly skip: boolean;
}

interface TableInfo {
  readonly oid: number;
  /** Quoted, schema-qualified name for SQL. */
  readonly sqlName: string;
  /** `table` for public tables, `schema.table` otherwise: the key of `--row-counts`. */
  readonly name: string;
  readonly columns: ColumnInfo[];
  readonly foreignKeys: Array<{ parent: number; columns: string[]; parentColumns: string[] }>;
}

export interface FillOutcome {
  readonly table: string;
  readonly rows: number;
  readonly ms: number;
  readonly error?: string;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function readTables(db: RehearsalDb): Promise<TableInfo[]> {
  const tables = await db.query(
    `SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY c.oid`,
  );
  const columns = await db.query(
    `SELECT a.attrelid::int8 AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            COALESCE(b.typname, t.typname) AS typname, COALESCE(b.typtype, t.typtype)::text AS typtype, COALESCE(b.typcategory, t.typcategory)::text AS category,
            a.attnotnull AS notnull, a.atthasdef AS hasdef, (a.attidentity = 'a' OR a.attgenerated <> '') AS skip
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      ORDER BY a.attrelid, a.attnum`,
  );
  const keys = await db.query(
    `SELECT con.conrelid::int8 AS child, con.confrelid::int8 AS parent,
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num) AS cols,
            (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num) AS pcols
       FROM pg_constraint con WHERE con.contype = 'f'`,
  );
  return tables.map((row) => {
    const oid = num(row, 'oid');
    const schema = text(row, 'schema');
    const name = text(row, 'name');
    return {
      oid,
      sqlName: `${quoteIdent(schema)}.${quoteIdent(name)}`,
      name: schema === 'public' ? name : `${schema}.${name}`,
      columns: columns
        .filter((column) => num(column, 'oid') === oid)
        .map((column) => ({
          name: text(column, 'name'),
          type: text(column, 'type'),
          typname: text(column, 'typname'),
          typtype: text(column, 'typtype'),
          category: text(column, 'category'),
          notNull: column['notnull'] === true,
          hasDefault: column['hasdef'] === true,
          skip: column['skip'] === true,
        })),
      foreignKeys: keys
        .filter((key) => num(key, 'child') === oid)
        .map((key) => ({ parent: num(key, 'parent'), columns: text(key, 'cols').split(','), parentColumns: text(key, 'pcols').split(',') })),
    };
  });
}

/** Length limit of `varchar(n)` / `char(n)`, or undefined. */
function lengthOf(type: string): number | undefined {
  const match = /^(?:character varying|character|varchar|char|bit varying|bit)\((\d+)\)/.exec(type);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * A SQL expression of the series value `g` that fits the column's type; distinct per row so UNIQUE
 * constraints hold. Undefined when the type has no generator (the column is left to its default or NULL).
 */
export function valueExpression(column: Pick<ColumnInfo, 'type' | 'typname' | 'typtype' | 'category'>, g: string): string | undefined {
  const cast = `::${column.type}`;
  if (column.category === 'A') return `'{}'${cast}`;
  if (column.typtype === 'e') return `(enum_range(NULL${cast}))[1 + ${g} % array_length(enum_range(NULL${cast}), 1)]`;
  switch (column.typname) {
    case 'int2':
      return `(${g} % 32000)::int2`;
    case 'int4':
    case 'int8':
    case 'oid':
      return `${g}${cast}`;
    case 'numeric': {
      const match = /numeric\((\d+),(\d+)\)/.exec(column.type);
      const digits = match === null ? 15 : Number(match[1]) - Number(match[2]);
      return digits >= 15 ? `${g}${cast}` : `(${g} % ${10 ** Math.max(1, digits) - 1})${cast}`;
    }
    case 'float4':
    case 'float8':
      return `(${g} * 1.5)${cast}`;
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'citext': {
      const length = lengthOf(column.type);
      return length === undefined ? `('v' || ${g})${cast}` : `left(${length >= 8 ? `'v' || ${g}` : `${g}::text`}, ${length})${cast}`;
    }
    case 'uuid':
      return `md5(${g}::text)::uuid`;
    case 'bool':
      return `(${g} % 2 = 0)`;
    case 'date':
      return `(date '2000-01-01' + (${g} % 10000)::int)`;
    case 'timestamp':
    case 'timestamptz':
      return `(timestamp '2000-01-01' + ${g} * interval '1 second')${cast}`;
    case 'time':
    case 'timetz':
      return `(time '00:00' + (${g} % 86400) * interval '1 second')${cast}`;
    case 'interval':
      return `(${g} * interval '1 second')`;
    case 'json':
    case 'jsonb':
      return `json_build_object('n', ${g})${cast}`;
    case 'bytea':
      return `decode(md5(${g}::text), 'hex')`;
    case 'inet':
      return `('10.0.0.0'::inet + ${g})`;
    default:
      return undefined;
  }
}

/** Parents before children, so every foreign key finds its referenced rows. */
function parentsFirst(tables: readonly TableInfo[]): TableInfo[] {
  const ordered: TableInfo[] = [];
  const done = new Set<number>();
  const visiting = new Set<number>();
  const byOid = new Map(tables.map((table) => [table.oid, table]));
  const visit = (table: TableInfo): void => {
    if (done.has(table.oid) || visiting.has(table.oid)) return;
    visiting.add(table.oid);
    for (const key of table.foreignKeys) {
      const parent = byOid.get(key.parent);
      if (parent !== undefined && parent.oid !== table.oid) visit(parent);
    }
    visiting.delete(table.oid);
    done.add(table.oid);
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

function buildInsert(table: TableInfo, rows: number, counts: ReadonlyMap<number, number>, byOid: ReadonlyMap<number, TableInfo>): { sql: string } | { error: string } {
  const targets: string[] = [];
  const values: string[] = [];
  const joins: string[] = [];
  const foreign = new Map<string, string>();
  table.foreignKeys.forEach((key, index) => {
    const parent = byOid.get(key.parent);
    const parentRows = counts.get(key.parent) ?? 0;
    if (parent === undefined || parent.oid === table.oid || parentRows === 0) return;
    const alias = `p${index}`;
    joins.push(
      `JOIN (SELECT ${key.parentColumns.map(quoteIdent).join(', ')}, row_number() OVER () AS rn FROM ${parent.sqlName}) ${alias} ON ${alias}.rn = ((g - 1) % ${parentRows}) + 1`,
    );
    key.columns.forEach((column, position) => foreign.set(column, `${alias}.${quoteIdent(key.parentColumns[position] ?? column)}`));
  });
  for (const column of table.columns) {
    if (column.skip) continue;
    const reference = foreign.get(column.name);
    const isForeign = table.foreignKeys.some((key) => key.columns.includes(column.name));
    if (reference !== undefined) {
      targets.push(quoteIdent(column.name));
      values.push(reference);
      continue;
    }
    if (isForeign) {
      if (column.notNull && !column.hasDefault) return { error: `column ${column.name} references a table without rows` };
      continue;
    }
    if (column.hasDefault) continue;
    const expression = valueExpression(column, 'g');
    if (expression === undefined) {
      if (column.notNull) return { error: `no generator for NOT NULL column ${column.name} of type ${column.type}` };
      continue;
    }
    targets.push(quoteIdent(column.name));
    values.push(expression);
  }
  if (targets.length === 0) return { sql: `INSERT INTO ${table.sqlName} SELECT FROM generate_series(1, ${rows}) g` };
  return { sql: `INSERT INTO ${table.sqlName} (${targets.join(', ')}) SELECT ${values.join(', ')} FROM generate_series(1, ${rows}) g ${joins.join(' ')}` };
}

/**
 * Fills every table not filled yet with synthetic rows (parents first) satisfying types, NOT NULL,
 * UNIQUE and foreign keys; CHECK constraints are satisfied where the generated values happen to fit,
 * otherwise the table stays empty and the outcome carries the error.
 */
export async function fillTables(
  db: RehearsalDb,
  filled: Map<number, number>,
  rowsFor: (table: string) => number,
): Promise<FillOutcome[]> {
  const tables = await readTables(db);
  const byOid = new Map(tables.map((table) => [table.oid, table]));
  const outcomes: FillOutcome[] = [];
  for (const table of parentsFirst(tables)) {
    if (filled.has(table.oid)) continue;
    const rows = rowsFor(table.name);
    // shipready-ignore security/sql-injection -- sqlName is quote_ident'ed schema.table read from pg_class of the scratch database, never user input
    const existing = num((await db.query(`SELECT count(*)::int8 AS n FROM ${table.sqlName}`))[0], 'n');
    if (existing >= rows || rows === 0) {
      filled.set(table.oid, existing);
      continue;
    }
    const insert = buildInsert(table, rows - existing, filled, byOid);
    const started = performance.now();
    if ('error' in insert) {
      filled.set(table.oid, existing);
      outcomes.push({ table: table.name, rows: 0, ms: 0, error: insert.error });
      continue;
    }
    try {
      await db.exec(insert.sql);
      // Fresh statistics keep the rehearsal's plans (and reltuples, used for row counts) realistic.
      await db.exec(`ANALYZE ${table.sqlName}`);
      filled.set(table.oid, rows);
      outcomes.push({ table: table.name, rows: rows - existing, ms: performance.now() - started });
    } catch (error) {
      filled.set(table.oid, existing);
      outcomes.push({ table: table.name, rows: 0, ms: 0, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
