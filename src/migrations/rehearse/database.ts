import { randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import type { Extension } from '@electric-sql/pglite';
import type pg from 'pg';
import { redactUrl } from '../../core/redact.js';
import { err, ok, type Result, type UserError, userError } from '../../core/result.js';
import { errorCode } from '../../core/fs-errors.js';
import { createTempDir, removeTempDir } from '../../core/temp-dirs.js';
import type { Row } from './rows.js';

export { bool, num, text, type Row } from './rows.js';

/** The few operations a rehearsal needs, over PGlite or a real server. */
export interface RehearsalDb {
  /** What the rehearsal ran on, for the report: PGlite, or the redacted server URL with the scratch database. */
  readonly label: string;
  /** `PGlite (…)` or the redacted server URL alone, to name several databases on the same target at once. */
  readonly target: string;
  /** The scratch database on a server (created on open, dropped on close). */
  readonly scratch?: string;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The extensions PGlite can load, by the name `CREATE EXTENSION` uses: its contrib modules and the
 * pgvector and pg_uuidv7 packages. Each is loaded only when a migration creates it, since every loaded
 * extension is unpacked when PGlite starts.
 */
const PGLITE_EXTENSIONS: Readonly<Record<string, () => Promise<Extension>>> = {
  btree_gin: async () => (await import('@electric-sql/pglite/contrib/btree_gin')).btree_gin,
  btree_gist: async () => (await import('@electric-sql/pglite/contrib/btree_gist')).btree_gist,
  citext: async () => (await import('@electric-sql/pglite/contrib/citext')).citext,
  cube: async () => (await import('@electric-sql/pglite/contrib/cube')).cube,
  earthdistance: async () => (await import('@electric-sql/pglite/contrib/earthdistance')).earthdistance,
  fuzzystrmatch: async () => (await import('@electric-sql/pglite/contrib/fuzzystrmatch')).fuzzystrmatch,
  hstore: async () => (await import('@electric-sql/pglite/contrib/hstore')).hstore,
  intarray: async () => (await import('@electric-sql/pglite/contrib/intarray')).intarray,
  isn: async () => (await import('@electric-sql/pglite/contrib/isn')).isn,
  lo: async () => (await import('@electric-sql/pglite/contrib/lo')).lo,
  ltree: async () => (await import('@electric-sql/pglite/contrib/ltree')).ltree,
  moddatetime: async () => (await import('@electric-sql/pglite/contrib/moddatetime')).moddatetime,
  pg_trgm: async () => (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
  pgcrypto: async () => (await import('@electric-sql/pglite/contrib/pgcrypto')).pgcrypto,
  seg: async () => (await import('@electric-sql/pglite/contrib/seg')).seg,
  tablefunc: async () => (await import('@electric-sql/pglite/contrib/tablefunc')).tablefunc,
  unaccent: async () => (await import('@electric-sql/pglite/contrib/unaccent')).unaccent,
  'uuid-ossp': async () => (await import('@electric-sql/pglite/contrib/uuid_ossp')).uuid_ossp,
  vector: async () => (await import('@electric-sql/pglite-pgvector')).vector,
  pg_uuidv7: async () => (await import('@electric-sql/pglite-pg_uuidv7')).pg_uuidv7,
};

/**
 * Which of `names` (as `CREATE EXTENSION` writes them) PGlite can provide.
 *
 * @example pgliteCanLoad(['pgcrypto', 'postgis']) // ['pgcrypto']
 */
export function pgliteCanLoad(names: readonly string[]): string[] {
  return names.filter((name) => Object.hasOwn(PGLITE_EXTENSIONS, name));
}

/**
 * A PGlite (PostgreSQL 18 in WASM) whose data directory is a fresh temporary directory, removed on
 * close (and by `bin/` when the run is interrupted): nothing to install, nothing left behind. On disk
 * rather than in memory because a rehearsal at production size holds gigabytes of synthetic rows:
 * 3 tables × 1M rows peaked at 1.7 GB RSS in memory and 0.9 GB on disk, and ran faster on disk.
 *
 * @example
 * const db = await openPglite(undefined, ['pgcrypto']);
 * if (db.ok) { await db.value.exec('CREATE TABLE t (id int)'); await db.value.close(); }
 */
export async function openPglite(parentDir?: string, extensionNames: readonly string[] = [], template?: string): Promise<Result<RehearsalDb, UserError>> {
  // Loaded here, not at the top: linting never needs the database engines, and loading them costs time.
  const { PGlite } = await import('@electric-sql/pglite');
  const extensions: Record<string, Extension> = {};
  for (const name of pgliteCanLoad(extensionNames)) {
    const load = PGLITE_EXTENSIONS[name];
    // PGlite keys extensions by a JavaScript name; `uuid-ossp` is not one.
    if (load !== undefined) extensions[name.replace(/-/g, '_')] = await load();
  }
  const dataDir = createTempDir('shipready-rehearsal-', parentDir);
  if (!dataDir.ok) return dataDir;
  if (template !== undefined) {
    try {
      cpSync(template, dataDir.value, { recursive: true });
    } catch (error) {
      removeTempDir(dataDir.value);
      const code = errorCode(error);
      if (code === undefined) throw new Error('cannot copy the PGlite template', { cause: error });
      return err(userError('TEMP_DIR', `cannot copy the rehearsal database into ${dataDir.value} (${code})`, 'set TMPDIR to a writable directory with free space'));
    }
  }
  let db: InstanceType<typeof PGlite>;
  try {
    db = new PGlite(dataDir.value, { extensions });
    await db.waitReady;
  } catch (error) {
    removeTempDir(dataDir.value);
    throw new Error('PGlite did not start', { cause: error });
  }
  return ok({
    label: 'PGlite (embedded PostgreSQL 18)',
    target: 'PGlite (embedded PostgreSQL 18)',
    async query(sql, params) {
      const result = await db.query<Row>(sql, params === undefined ? undefined : [...params]);
      return result.rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      try {
        await db.close();
      } finally {
        removeTempDir(dataDir.value);
      }
    },
  });
}

/**
 * An initialised, never-used PGlite data directory for `openPglite` to copy: initialising one costs
 * seconds, copying it a fraction of a second, which adds up over the migration sets of a monorepo.
 * Remove it with `removeTempDir` when done.
 *
 * @example const template = await createPgliteTemplate(); if (template.ok) await openPglite(undefined, [], template.value);
 */
export async function createPgliteTemplate(parentDir?: string): Promise<Result<string, UserError>> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = createTempDir('shipready-template-', parentDir);
  if (!dir.ok) return dir;
  try {
    const db = new PGlite(dir.value);
    await db.waitReady;
    await db.close();
  } catch (error) {
    removeTempDir(dir.value);
    throw new Error('PGlite did not start', { cause: error });
  }
  return ok(dir.value);
}

async function clientFor(connectionString: string): Promise<pg.Client> {
  const { default: driver } = await import('pg');
  // Keep bigint/numeric as text: the rehearsal only compares and prints them.
  return new driver.Client({ connectionString, connectionTimeoutMillis: 10_000 });
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Connects to the server at `url`, creates a scratch database `shipready_rehearsal_<random>` and returns
 * a connection to it. `close()` drops the scratch database; existing databases are never touched.
 */
export async function openServer(url: string): Promise<Result<RehearsalDb, UserError>> {
  // The example has no password: shown passwords are masked, which would garble it.
  const example = 'e.g. postgres://user@127.0.0.1:5432/postgres, with the password in PGPASSWORD or ~/.pgpass';
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return err(userError('USAGE', '--database-url is not a URL', example));
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') return err(userError('USAGE', `--database-url must be a postgres:// or postgresql:// URL, not ${protocol}//`, example));
  const shown = redactUrl(url);
  const admin = await clientFor(url);
  try {
    await admin.connect();
  } catch (error) {
    return err(userError('DATABASE', `cannot connect to ${shown}: ${error instanceof Error ? error.message : String(error)}`, 'check the URL, that the server runs, and that the user may CREATE DATABASE'));
  }
  const scratch = `shipready_rehearsal_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${scratch}`);
  } catch (error) {
    await admin.end();
    return err(userError('DATABASE', `cannot create a scratch database on ${shown}: ${error instanceof Error ? error.message : String(error)}`, 'the user needs the CREATEDB privilege'));
  }
  const client = await clientFor(databaseUrl(url, scratch));
  try {
    await client.connect();
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
    return err(userError('DATABASE', `cannot connect to the scratch database ${scratch}: ${error instanceof Error ? error.message : String(error)}`));
  }
  return ok({
    label: `${shown} (scratch database ${scratch}, dropped afterwards)`,
    target: shown,
    scratch,
    async query(sql, params) {
      const result = await client.query<Row>(sql, params === undefined ? undefined : [...params]);
      return result.rows;
    },
    async exec(sql) {
      await client.query(sql);
    },
    async close() {
      await client.end();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
      } finally {
        await admin.end();
      }
    },
  });
}
