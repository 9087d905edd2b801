import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { redactUrl } from '../../core/redact.js';
import { err, ok, type Result, type UserError, userError } from '../../core/result.js';

export type Row = Readonly<Record<string, unknown>>;

/** The few operations a rehearsal needs, over PGlite or a real server. */
export interface RehearsalDb {
  /** `pglite` or the redacted server URL, for the report. */
  readonly label: string;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export function text(row: Row | undefined, key: string): string {
  const value = row?.[key];
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

export function num(row: Row | undefined, key: string): number {
  const value = row?.[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return 0;
}

export function bool(row: Row | undefined, key: string): boolean {
  const value = row?.[key];
  return value === true || value === 't' || value === 'true';
}

/** An in-memory PGlite (PostgreSQL 18 in WASM): nothing to install, nothing left behind. */
export async function openPglite(): Promise<RehearsalDb> {
  const db = new PGlite();
  await db.waitReady;
  return {
    label: 'PGlite (embedded PostgreSQL 18)',
    async query(sql, params) {
      const result = await db.query<Row>(sql, params === undefined ? undefined : [...params]);
      return result.rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
    async close() {
      await db.close();
    },
  };
}

function clientFor(connectionString: string): pg.Client {
  // Keep bigint/numeric as text: the rehearsal only compares and prints them.
  return new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
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
  try {
    new URL(url);
  } catch {
    return err(userError('USAGE', '--database-url is not a URL', 'e.g. postgres://user:password@127.0.0.1:5432/postgres'));
  }
  const shown = redactUrl(url);
  const admin = clientFor(url);
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
  const client = clientFor(databaseUrl(url, scratch));
  try {
    await client.connect();
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
    return err(userError('DATABASE', `cannot connect to the scratch database ${scratch}: ${error instanceof Error ? error.message : String(error)}`));
  }
  return ok({
    label: `${shown} (scratch database ${scratch}, dropped afterwards)`,
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
