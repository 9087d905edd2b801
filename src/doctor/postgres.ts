// Postgres above the handshake: auth and query through the `pg` driver (SCRAM is not worth writing by hand),
// then the app's state: migrations applied and data seeded. Read-only throughout. docs/doctor.md#postgres
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import type pg from 'pg';
import { isPostgresSet } from '../migrations/dialect.js';
import type { Framework, MigrationSet } from '../migrations/types.js';
import { decodeOrRaw } from './decode.js';
import { TLS_HINTS } from './net.js';
import type { LayerResult } from './types.js';

/** The tables each framework records applied migrations in, and the column naming them. */
const HISTORY_TABLES: Readonly<Partial<Record<Framework, { table: string; column: string; schema?: string; where?: string; countOnly?: boolean }>>> = {
  prisma: { table: '_prisma_migrations', column: 'migration_name', where: 'finished_at IS NOT NULL AND rolled_back_at IS NULL' },
  drizzle: { table: '__drizzle_migrations', column: 'hash', countOnly: true },
  knex: { table: 'knex_migrations', column: 'name' },
  sequelize: { table: 'SequelizeMeta', column: 'name' },
  typeorm: { table: 'migrations', column: 'name' },
  'node-pg-migrate': { table: 'pgmigrations', column: 'name' },
  'golang-migrate': { table: 'schema_migrations', column: 'version' },
  dbmate: { table: 'schema_migrations', column: 'version' },
  flyway: { table: 'flyway_schema_history', column: 'version', where: 'success' },
  'mikro-orm': { table: 'mikro_orm_migrations', column: 'name' },
  kysely: { table: 'kysely_migration', column: 'name' },
  supabase: { table: 'schema_migrations', schema: 'supabase_migrations', column: 'version' },
};

/** Tables any framework keeps, for a database whose repository was not given. */
const ANY_HISTORY = ['_prisma_migrations', '__drizzle_migrations', 'knex_migrations', 'SequelizeMeta', 'pgmigrations', 'flyway_schema_history', 'mikro_orm_migrations', 'kysely_migration', 'schema_migrations', 'migrations'];

const USER_TABLES = ['users', 'User', 'user', 'accounts', 'Account', 'account'];

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface PostgresContext {
  readonly url: URL;
  /** Where to connect: the host and port the dns/tcp layers reached (a compose service's published port), not always the URL's. */
  readonly host: string;
  readonly port: number;
  /** The variable's name, for hints that say which value to change. */
  readonly variable: string;
  readonly timeoutMs: number;
  /** The URL asks for TLS (sslmode=require/verify-*): the driver upgrades, verifying as the tls layer did. */
  readonly tls?: boolean;
  /** PEM of an extra CA (`--ca`), trusted besides the system's, as in the tls layer. */
  readonly ca?: string;
  /** Set when a compose database service keeps its data in a volume: its init variables applied once, at the first start. */
  readonly volumeHint?: string;
}

/**
 * The driver's configuration, built field by field: a `connectionString` would override the host, port and ssl
 * given beside it. Every session is read-only from its first statement (`default_transaction_read_only`), so no
 * query doctor sends (the user's --seed-query included) can write.
 */
export function clientConfig(context: PostgresContext): pg.ClientConfig {
  const { url } = context;
  const bare = context.host.replace(/^\[|\]$/g, '');
  const password = decodeOrRaw(url.password);
  const user = decodeOrRaw(url.username);
  const database = decodeOrRaw(url.pathname.slice(1));
  return {
    host: bare,
    port: context.port,
    // Empty parts are left out, so the driver's own defaults (PGUSER, PGPASSWORD, ~/.pgpass) apply as with the URL.
    ...(user === '' ? {} : { user }),
    ...(password === '' ? {} : { password }),
    ...(database === '' ? {} : { database }),
    ssl: context.tls === true ? { rejectUnauthorized: true, ...(context.ca === undefined ? {} : { ca: [...tls.rootCertificates, context.ca] }), ...(net.isIP(bare) === 0 ? { servername: bare } : {}) } : false,
    options: '-c default_transaction_read_only=on',
    connectionTimeoutMillis: context.timeoutMs,
    statement_timeout: context.timeoutMs,
    query_timeout: context.timeoutMs,
    application_name: 'shipready doctor',
  };
}

/** Layer `auth`: connects with the driver; a failure is named by its SQLSTATE (or, for TLS, the certificate error code). */
export async function postgresAuth(context: PostgresContext): Promise<{ result: LayerResult; client?: pg.Client }> {
  const started = performance.now();
  const { default: driver } = await import('pg');
  const client = new driver.Client(clientConfig(context));
  // A server that drops the connection later must not crash the run: the layers report it.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const code = sqlState(error) ?? 'ECONNECT';
    const user = decodeOrRaw(context.url.username) || 'the default user';
    const database = decodeOrRaw(context.url.pathname.slice(1)) || user;
    const hints: Readonly<Record<string, string>> = {
      '28P01': `Password rejected for ${user}. Compare the password in ${context.variable} with the database's POSTGRES_PASSWORD.${context.volumeHint === undefined ? '' : ` ${context.volumeHint}`}`,
      '28000': `The server has no pg_hba.conf entry for this user, host and database, or the role ${user} does not exist: add the entry or create the role (CREATE ROLE … LOGIN).`,
      '3D000': `Database "${database}" does not exist: create it (createdb ${database}) or fix the database name in ${context.variable}.${context.volumeHint === undefined ? '' : ` ${context.volumeHint}`}`,
      '53300': 'Too many connections: the server is at max_connections. Use a pool (PgBouncer) or lower each app’s pool size.',
      '57P03': 'The server is starting up or recovering: wait, or gate the app on pg_isready.',
      ...TLS_HINTS,
    };
    return { result: { layer: 'auth', status: 'fail', code, output: `${code} ${messageOf(error)}`, ms: elapsed(started), hint: hints[code] ?? 'The driver could not log in: check the user, password, database and sslmode in the URL.' } };
  }
  return { result: { layer: 'auth', status: 'pass', output: `logged in as ${decodeOrRaw(context.url.username) || 'the default user'}`, ms: elapsed(started) }, client };
}

/** Layer `query`: `SELECT` in a read-only transaction with a statement timeout; the transaction stays open for the app-state layers. */
export async function postgresQuery(client: pg.Client, timeoutMs: number): Promise<LayerResult> {
  const started = performance.now();
  try {
    await client.query(`SET statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    await client.query('BEGIN READ ONLY');
    const version = await client.query<{ server_version: string }>("SELECT current_setting('server_version') AS server_version");
    return { layer: 'query', status: 'pass', output: `SELECT answered: PostgreSQL ${version.rows[0]?.server_version ?? '?'}`, ms: elapsed(started), observedValue: version.rows[0]?.server_version ?? '', observedUnit: 'version' };
  } catch (error) {
    const code = sqlState(error) ?? 'EQUERY';
    return { layer: 'query', status: 'fail', code, output: `${code} ${messageOf(error)}`, ms: elapsed(started), hint: code === '57014' ? 'The query was cancelled by statement_timeout: the server is overloaded or locked.' : 'Logged in, but a plain SELECT fails: check the server log.' };
  }
}

async function tableSchema(client: pg.Client, table: string, schema: string | undefined): Promise<string | undefined> {
  const found = await client.query<{ table_schema: string }>(
    "SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND ($2::text IS NULL OR table_schema = $2) AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY (table_schema = 'public') DESC, table_schema LIMIT 1",
    [table, schema ?? null],
  );
  return found.rows[0]?.table_schema;
}

/** The version key a recorded entry and a migration id share: a leading timestamp or sequence, else the bare name. */
function versionKey(value: string): string {
  const base = path.basename(value).replace(/\.(?:sql|[cm]?[jt]s)$/, '');
  const digits = /^[Vv]?(\d{3,})/.exec(base)?.[1] ?? /(\d{10,})$/.exec(base)?.[1];
  return digits === undefined ? base : digits.replace(/^0+(?=\d)/, '');
}

/**
 * Layer `migrations`: finds the framework's history table and how many of the repository's migrations it lacks
 * (with `sets` from the repository's discovery); without a repository, that some history table exists.
 */
export async function postgresMigrations(client: pg.Client, sets: readonly MigrationSet[]): Promise<LayerResult> {
  const started = performance.now();
  const set = sets.find((candidate) => isPostgresSet(candidate) && HISTORY_TABLES[candidate.framework] !== undefined && candidate.migrations.length > 0);
  try {
    if (set === undefined) {
      for (const table of ANY_HISTORY) {
        const schema = await tableSchema(client, table, undefined);
        if (schema === undefined) continue;
        const count = await client.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${quoteIdent(schema)}.${quoteIdent(table)}`);
        return { layer: 'migrations', status: 'pass', output: `${count.rows[0]?.count ?? '?'} migration(s) recorded in ${schema}.${table} (no migrations found in the repository to compare)`, ms: elapsed(started) };
      }
      return { layer: 'migrations', status: 'skipped', output: 'no migration history table, and no migrations in the repository', ms: elapsed(started) };
    }
    const history = HISTORY_TABLES[set.framework];
    if (history === undefined) return { layer: 'migrations', status: 'skipped', output: `${set.framework} keeps no history table shipready knows`, ms: elapsed(started) };
    const schema = await tableSchema(client, history.table, history.schema);
    if (schema === undefined) {
      return { layer: 'migrations', status: 'fail', code: 'NO_HISTORY_TABLE', output: `no ${history.table} table: none of the ${set.migrations.length} ${set.framework} migrations in ${set.dir} ran`, ms: elapsed(started), hint: deployHint(set.framework) };
    }
    const where = `${schema}.${history.table}`;
    // NULL versions are Flyway's repeatable migrations (and baseline rows elsewhere): they name no version to compare.
    const conditions = [`${quoteIdent(history.column)} IS NOT NULL`, ...(history.where === undefined ? [] : [history.where])];
    const recorded = await client.query<{ value: string }>(`SELECT ${quoteIdent(history.column)}::text AS value FROM ${quoteIdent(schema)}.${quoteIdent(history.table)} WHERE ${conditions.join(' AND ')}`);
    const values = recorded.rows.map((row) => row.value);
    if (set.framework === 'golang-migrate') {
      // golang-migrate keeps one row: the current version, and `dirty` when a migration failed half-way.
      const state = await client.query<{ dirty: boolean }>(`SELECT dirty FROM ${quoteIdent(schema)}.${quoteIdent(history.table)} LIMIT 1`);
      if (state.rows[0]?.dirty === true) return { layer: 'migrations', status: 'fail', code: 'MIGRATION_DIRTY', output: `${where} is dirty at version ${values[0] ?? '?'}: a migration failed half-way`, ms: elapsed(started), hint: 'Fix the schema by hand to match that version, then migrate -path <dir> -database "$DATABASE_URL" force <version> and migrate up.' };
    }
    const missing = history.countOnly === true ? set.migrations.slice(recorded.rows.length) : missingMigrations(set, values);
    if (missing.length === 0) return { layer: 'migrations', status: 'pass', output: `all ${set.migrations.length} ${set.framework} migrations applied (${where})`, ms: elapsed(started), observedValue: set.migrations.length, observedUnit: 'migrations' };
    const newest = missing[missing.length - 1]?.id ?? '';
    return { layer: 'migrations', status: 'fail', code: 'MIGRATIONS_PENDING', output: `${missing.length} of ${set.migrations.length} ${set.framework} migrations not applied (newest: ${newest}; ${where} has ${recorded.rows.length})`, ms: elapsed(started), observedValue: missing.length, observedUnit: 'migrations', hint: deployHint(set.framework) };
  } catch (error) {
    return { layer: 'migrations', status: 'fail', code: sqlState(error) ?? 'EQUERY', output: `cannot read the migration history: ${messageOf(error)}`, ms: elapsed(started), hint: 'The user may lack SELECT on the history table.' };
  }
}

/** A dotted version with leading zeros dropped per part (`V1_01__x` and a recorded `1.1` compare equal). */
function dottedVersion(value: string): string {
  return value.replace(/_/g, '.').split('.').map((part) => part.replace(/^0+(?=\d)/, '')).join('.');
}

function compareDotted(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function missingMigrations(set: MigrationSet, recorded: readonly string[]): MigrationSet['migrations'][number][] {
  if (set.framework === 'golang-migrate') {
    // One recorded row, the current version: every version up to it is applied.
    const current = recorded[0];
    return current === undefined ? [...set.migrations] : set.migrations.filter((migration) => compareDotted(dottedVersion(migration.id), dottedVersion(current)) > 0);
  }
  if (set.framework === 'flyway') {
    // Flyway records `1.1` for V1_1__x.sql and nothing comparable for R__ files (re-applied on change).
    const versions = new Set(recorded.map(dottedVersion));
    return set.migrations.filter((migration) => migration.repeatable !== true && !versions.has(dottedVersion(migration.id.replace(/^[Vv]/, ''))));
  }
  const keys = new Set(recorded.map(versionKey));
  const names = new Set(recorded.map((value) => path.basename(value).replace(/\.(?:sql|[cm]?[jt]s)$/, '')));
  return set.migrations.filter((migration) => !keys.has(versionKey(migration.id)) && !names.has(migration.id) && !names.has(path.basename(migration.path).replace(/\.(?:sql|[cm]?[jt]s)$/, '')) && !keys.has(versionKey(migration.path)));
}

function deployHint(framework: Framework): string {
  const commands: Partial<Record<Framework, string>> = {
    prisma: 'npx prisma migrate deploy',
    drizzle: 'npx drizzle-kit migrate',
    knex: 'npx knex migrate:latest',
    sequelize: 'npx sequelize-cli db:migrate',
    typeorm: 'npx typeorm migration:run -d <data-source>',
    'node-pg-migrate': 'npx node-pg-migrate up',
    'golang-migrate': 'migrate -path <dir> -database "$DATABASE_URL" up',
    dbmate: 'dbmate up',
    flyway: 'flyway migrate',
    'mikro-orm': 'npx mikro-orm migration:up',
    supabase: 'supabase db push',
  };
  return `Run the migrations against this database (${commands[framework] ?? 'the framework’s migrate command'}), and make the deploy run them before the app starts.`;
}

/**
 * Layer `seed`: `seedQuery` (a read-only query whose first column is a count) or, by default, the row count of
 * the first users table found; zero rows means the seed never ran.
 */
export async function postgresSeed(client: pg.Client, seedQuery: string | undefined): Promise<LayerResult> {
  const started = performance.now();
  try {
    let query = seedQuery;
    let what = 'the seed query';
    if (query === undefined) {
      for (const table of USER_TABLES) {
        const schema = await tableSchema(client, table, undefined);
        if (schema === undefined) continue;
        // Whether one row exists, not how many: count(*) scans the whole table of a large production database.
        query = `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.${quoteIdent(table)} LIMIT 1)`;
        what = `${schema}.${table}`;
        break;
      }
      if (query === undefined) return { layer: 'seed', status: 'skipped', output: 'no users table found; pass --seed-query "SELECT count(*) FROM …" to check one', ms: elapsed(started) };
    }
    // A named statement goes through the extended protocol, which takes exactly one statement: `SELECT 1; COMMIT;
    // DELETE …` is refused by the server (and the session is read-only besides, see clientConfig).
    // shipready-ignore security/sql-injection -- the user's own --seed-query (checked to be a SELECT) or identifiers from information_schema quoted by quoteIdent, inside a READ ONLY transaction
    const result = await client.query<Record<string, unknown>>({ name: 'shipready-doctor-seed', text: query, values: [] });
    const first = result.rows[0] === undefined ? undefined : Object.values(result.rows[0])[0];
    if (typeof first === 'boolean') {
      if (!first) return { layer: 'seed', status: 'fail', code: 'NOT_SEEDED', output: `${what} is empty: the seed never ran`, ms: elapsed(started), observedValue: 0, observedUnit: 'rows', hint: 'Run the seed (npm run seed, npx prisma db seed), and check it does not skip when one row exists.' };
      return { layer: 'seed', status: 'pass', output: `${what} has rows`, ms: elapsed(started) };
    }
    const count = typeof first === 'number' ? first : typeof first === 'string' || typeof first === 'bigint' ? Number(first) : Number.NaN;
    if (!Number.isFinite(count)) return { layer: 'seed', status: 'fail', code: 'SEED_QUERY', output: `${what} did not return a count`, ms: elapsed(started), hint: 'The seed query must return a number in its first column, e.g. SELECT count(*) FROM users.' };
    if (count === 0) return { layer: 'seed', status: 'fail', code: 'NOT_SEEDED', output: `${what} is empty: the seed never ran`, ms: elapsed(started), observedValue: 0, observedUnit: 'rows', hint: 'Run the seed (npm run seed, npx prisma db seed), and check it does not skip when one row exists.' };
    return { layer: 'seed', status: 'pass', output: `${what} has ${count} row(s)`, ms: elapsed(started), observedValue: count, observedUnit: 'rows' };
  } catch (error) {
    return { layer: 'seed', status: 'fail', code: sqlState(error) ?? 'EQUERY', output: `the seed check failed: ${messageOf(error)}`, ms: elapsed(started), hint: sqlState(error) === '25006' ? 'The seed query tried to write: doctor runs read-only; give a SELECT.' : 'Check the seed query.' };
  }
}
