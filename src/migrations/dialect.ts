// Which database a migration set is written for, so that MySQL, SQLite or ClickHouse SQL is listed and
// skipped instead of being parsed as PostgreSQL and reported as syntax errors. docs/migrations.md#dialects
import { baseOf, dirOf, type FileIndex } from './frameworks/common.js';
import type { MigrationSet, SqlDialect } from './types.js';

/** How the report names each dialect. */
export const DIALECT_LABELS: Readonly<Record<SqlDialect, string>> = {
  postgresql: 'PostgreSQL',
  cockroachdb: 'CockroachDB',
  mysql: 'MySQL',
  sqlite: 'SQLite',
  sqlserver: 'SQL Server',
  mongodb: 'MongoDB',
  clickhouse: 'ClickHouse',
  singlestore: 'SingleStore',
};

export interface DialectEvidence {
  readonly name: SqlDialect;
  readonly evidence: string;
}

/** Prisma `provider`, Drizzle `dialect` and Drizzle `driver` values → dialect. */
const NAMED: Readonly<Record<string, SqlDialect>> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  pg: 'postgresql',
  pglite: 'postgresql',
  cockroachdb: 'cockroachdb',
  mysql: 'mysql',
  mysql2: 'mysql',
  planetscale: 'mysql',
  singlestore: 'singlestore',
  sqlite: 'sqlite',
  'better-sqlite': 'sqlite',
  libsql: 'sqlite',
  turso: 'sqlite',
  d1: 'sqlite',
  'd1-http': 'sqlite',
  expo: 'sqlite',
  'durable-sqlite': 'sqlite',
  sqlserver: 'sqlserver',
  mongodb: 'mongodb',
};

/**
 * Whether lint and rehearsal apply: PostgreSQL, or no evidence of anything else.
 *
 * @example isPostgresSet({ ...set, dialect: { name: 'mysql', evidence: '…' } }) // false
 */
export function isPostgresSet(set: Pick<MigrationSet, 'dialect'>): boolean {
  return set.dialect === undefined || set.dialect.name === 'postgresql';
}

function named(value: string | undefined): SqlDialect | undefined {
  return value === undefined ? undefined : NAMED[value.toLowerCase()];
}

/** `provider = "…"` in a Prisma `migration_lock.toml`. */
function fromPrismaLock(index: FileIndex, dir: string): DialectEvidence | undefined {
  const path = `${dir}/migration_lock.toml`;
  const provider = /^\s*provider\s*=\s*"([^"]+)"/m.exec(index.read(path) ?? '')?.[1];
  const name = named(provider);
  return name === undefined ? undefined : { name, evidence: `provider = "${provider ?? ''}" in ${path}` };
}

/** The `provider` of the `datasource` block of the Prisma schema beside the migrations folder (one file or a `schema/` folder). */
function fromPrismaSchema(index: FileIndex, dir: string): DialectEvidence | undefined {
  const parent = dirOf(dir);
  const prefix = parent === '.' ? '' : `${parent}/`;
  const schemas = index.paths.filter((path) => path.endsWith('.prisma') && (dirOf(path) === parent || dirOf(path) === `${prefix}schema`));
  for (const path of schemas.sort((a, b) => (baseOf(a) === 'schema.prisma' ? -1 : 0) - (baseOf(b) === 'schema.prisma' ? -1 : 0))) {
    const text = (index.read(path) ?? '').replace(/\/\/.*$/gm, '');
    const block = /\bdatasource\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1];
    const provider = block === undefined ? undefined : /\bprovider\s*=\s*"([^"]+)"/.exec(block)?.[1];
    const name = named(provider);
    if (name !== undefined) return { name, evidence: `provider = "${provider ?? ''}" in the datasource of ${path}` };
  }
  return undefined;
}

/** `"dialect"` in a Drizzle journal (drizzle-kit writes it since journal version 5). */
function fromDrizzleJournal(index: FileIndex, dir: string): DialectEvidence | undefined {
  const path = dir === '.' ? 'meta/_journal.json' : `${dir}/meta/_journal.json`;
  const dialect = /"dialect"\s*:\s*"([^"]+)"/.exec(index.read(path) ?? '')?.[1];
  const name = named(dialect);
  return name === undefined ? undefined : { name, evidence: `"dialect": "${dialect ?? ''}" in ${path}` };
}

/** `drizzle.config.ts`, and the names projects with several databases give theirs (`drizzle.mysql.config.ts`, `drizzle.config.pg.ts`). */
export const DRIZZLE_CONFIG = /^drizzle(?:[.-][\w-]+)?\.config(?:\.[\w-]+)?\.(?:[cm]?[jt]s|json)$/;

function normalise(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
}

/**
 * `dialect` (or the older `driver`) of the drizzle.config.* in the set's folder or the nearest folder above
 * it; when several configs sit there, the one whose `out` is the set's folder.
 */
function fromDrizzleConfig(index: FileIndex, dir: string): DialectEvidence | undefined {
  const configs = index.paths.filter((path) => DRIZZLE_CONFIG.test(baseOf(path)));
  let best: { path: string; depth: number; matchesOut: boolean; key: string; value: string; name: SqlDialect } | undefined;
  for (const path of configs) {
    const configDir = dirOf(path);
    if (configDir !== '.' && dir !== configDir && !dir.startsWith(`${configDir}/`)) continue;
    const text = index.read(path) ?? '';
    const setting = /\b(dialect|driver)["']?\s*:\s*["']([\w-]+)["']/.exec(text);
    const key = setting?.[1];
    const value = setting?.[2];
    const name = named(value);
    if (key === undefined || value === undefined || name === undefined) continue;
    const out = /\bout["']?\s*:\s*["']([^"']+)["']/.exec(text)?.[1];
    const matchesOut = out !== undefined && normalise(configDir === '.' ? normalise(out) : `${configDir}/${normalise(out)}`) === dir;
    const depth = configDir === '.' ? 0 : configDir.split('/').length;
    if (best === undefined || (matchesOut && !best.matchesOut) || (matchesOut === best.matchesOut && depth > best.depth)) best = { path, depth, matchesOut, key, value, name };
  }
  return best === undefined ? undefined : { name: best.name, evidence: `${best.key}: '${best.value}' in ${best.path}` };
}

/** A folder of the set's path named after a database: `db/clickhouse/migrations`, `migrations/mysql`. */
function fromFolderName(dir: string): DialectEvidence | undefined {
  for (const segment of dir.split('/').reverse()) {
    const words = segment.toLowerCase().split(/[-_.]/);
    const name: SqlDialect | undefined = words.includes('clickhouse')
      ? 'clickhouse'
      : words.includes('mysql') || words.includes('mariadb')
        ? 'mysql'
        : words.includes('sqlite') || words.includes('sqlite3')
          ? 'sqlite'
          : words.includes('mssql') || words.includes('sqlserver')
            ? 'sqlserver'
            : words.includes('postgres') || words.includes('postgresql') || words.includes('pg')
              ? 'postgresql'
              : undefined;
    if (name !== undefined) return { name, evidence: `the folder name "${segment}" in ${dir}` };
  }
  return undefined;
}

/**
 * The SQL with comments, string literals, dollar-quoted bodies and double-quoted identifiers blanked out, so
 * markers are only found in the statements themselves (a backtick in a comment says nothing).
 *
 * @example codeOnly("SELECT 1 -- `x`") // 'SELECT 1  '
 */
export function codeOnly(sql: string): string {
  let out = '';
  let index = 0;
  while (index < sql.length) {
    const char = sql[index];
    const next = sql[index + 1];
    if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index);
      index = end < 0 ? sql.length : end;
      out += ' ';
    } else if (char === '/' && next === '*') {
      // PostgreSQL block comments nest.
      let depth = 1;
      index += 2;
      while (index < sql.length && depth > 0) {
        if (sql[index] === '/' && sql[index + 1] === '*') (depth++, (index += 2));
        else if (sql[index] === '*' && sql[index + 1] === '/') (depth--, (index += 2));
        else index++;
      }
      out += ' ';
    } else if (char === "'" || char === '"') {
      index++;
      while (index < sql.length) {
        if (sql[index] === '\\' && char === "'") index += 2;
        else if (sql[index] === char && sql[index + 1] === char) index += 2;
        else if (sql[index] === char) break;
        else index++;
      }
      index++;
      out += ' ';
    } else if (char === '$') {
      const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(sql.slice(index, index + 64))?.[0];
      if (tag === undefined) {
        out += char;
        index++;
      } else {
        const end = sql.indexOf(tag, index + tag.length);
        index = end < 0 ? sql.length : end + tag.length;
        out += ' ';
      }
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

/** Syntax of other databases that PostgreSQL rejects; each found outside comments and strings. */
const MARKERS: ReadonlyArray<{ readonly name: SqlDialect; readonly pattern: RegExp; readonly label: string; readonly minimum?: number }> = [
  { name: 'clickhouse', pattern: /\bENGINE\s*=\s*\w*MergeTree\b/i, label: 'ENGINE = …MergeTree' },
  { name: 'clickhouse', pattern: /\bLowCardinality\s*\(/, label: 'LowCardinality(…)' },
  { name: 'clickhouse', pattern: /\bON\s+CLUSTER\b/i, label: 'ON CLUSTER' },
  { name: 'clickhouse', pattern: /\b(?:UInt(?:8|16|32|64|128|256)|DateTime64)\b/, label: 'ClickHouse types (UInt…, DateTime64)' },
  { name: 'mysql', pattern: /\bENGINE\s*=\s*(?:InnoDB|MyISAM|Aria|NDB\w*)\b/i, label: 'ENGINE = InnoDB' },
  { name: 'mysql', pattern: /\bAUTO_INCREMENT\b/i, label: 'AUTO_INCREMENT' },
  { name: 'mysql', pattern: /\bDEFAULT\s+CHARSET\b/i, label: 'DEFAULT CHARSET' },
  // Two or more, so that one stray backtick pair is not a verdict on the file.
  { name: 'mysql', pattern: /`[^`\n]+`/g, minimum: 2, label: 'backtick-quoted identifiers' },
  { name: 'sqlite', pattern: /^\s*PRAGMA\b/im, label: 'PRAGMA' },
  { name: 'sqlite', pattern: /\bAUTOINCREMENT\b/i, label: 'AUTOINCREMENT' },
  { name: 'sqlite', pattern: /\bWITHOUT\s+ROWID\b/i, label: 'WITHOUT ROWID' },
  { name: 'sqlserver', pattern: /^\s*GO\s*$/im, label: 'GO batch separators' },
  { name: 'sqlserver', pattern: /\[dbo\]\./i, label: '[dbo].' },
  { name: 'sqlserver', pattern: /\bNVARCHAR\s*\(\s*MAX\s*\)/i, label: 'NVARCHAR(MAX)' },
];

/**
 * Share of a set's files that must carry another database's syntax before the set is taken as that database's:
 * enough that one broken or pasted file in a PostgreSQL history stays a PostgreSQL syntax error.
 */
const MARKED_SHARE = 0.25;

/** Judges the set's SQL as a whole: the dialect whose markers appear in enough of its files. */
function fromContent(set: MigrationSet): DialectEvidence | undefined {
  const sources = set.migrations.flatMap((migration) => (migration.up === undefined ? [] : [migration.up]));
  if (sources.length === 0) return undefined;
  const files = new Map<SqlDialect, number>();
  const labels = new Map<SqlDialect, Set<string>>();
  let marked = 0;
  for (const source of sources) {
    const code = codeOnly((source.parseText ?? source.text).slice(source.start, source.end));
    const found = new Set<SqlDialect>();
    for (const marker of MARKERS) {
      const hits = marker.minimum === undefined ? (marker.pattern.test(code) ? 1 : 0) : (code.match(marker.pattern) ?? []).length;
      if (hits < (marker.minimum ?? 1)) continue;
      found.add(marker.name);
      labels.set(marker.name, (labels.get(marker.name) ?? new Set()).add(marker.label));
    }
    // Backticks alone are MySQL's, but ClickHouse and SQLite accept them too: a more specific marker decides.
    if (found.size > 1 && found.has('mysql') && labels.get('mysql')?.size === 1 && labels.get('mysql')?.has('backtick-quoted identifiers') === true) found.delete('mysql');
    if (found.size > 0) marked++;
    for (const name of found) files.set(name, (files.get(name) ?? 0) + 1);
  }
  if (marked < Math.max(1, Math.ceil(sources.length * MARKED_SHARE))) return undefined;
  const [name, count] = [...files.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (name === undefined || count === undefined) return undefined;
  return { name, evidence: `${[...(labels.get(name) ?? [])].join(', ')} in ${count} of ${sources.length} migration(s)` };
}

/**
 * What a migration set is written for: the framework's own record first (Prisma's `migration_lock.toml` and
 * schema `provider`, Drizzle's journal and config `dialect`), then a folder named after a database, then the
 * syntax of its files judged over the whole set. Undefined when nothing says: PostgreSQL is assumed.
 *
 * @example detectDialect(set, index) // { name: 'clickhouse', evidence: 'the folder name "clickhouse" in db/clickhouse/migrations' }
 */
export function detectDialect(set: MigrationSet, index: FileIndex): DialectEvidence | undefined {
  if (set.framework === 'prisma') {
    const declared = fromPrismaLock(index, set.dir) ?? fromPrismaSchema(index, set.dir);
    if (declared !== undefined) return declared;
  }
  if (set.framework === 'drizzle') {
    const declared = fromDrizzleJournal(index, set.dir) ?? fromDrizzleConfig(index, set.dir);
    if (declared !== undefined) return declared;
  }
  return fromFolderName(set.dir) ?? fromContent(set);
}
