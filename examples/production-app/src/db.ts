import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import type { Logger } from './logger';
import type { Env } from './env';

/** The part of `pg.Pool` the routes use, so tests can pass a stand-in without a database. */
export interface Db {
  query<Row extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
}

/**
 * A connection pool with timeouts on every layer: a request never waits forever for a connection,
 * and a runaway query is cancelled by the server.
 */
export function createPool(env: Env, logger: Logger): Pool {
  const pool = new Pool({
    connectionString: env.DATABASE_URL,
    max: env.DATABASE_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    application_name: 'projects-api',
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', (error) => logger.error({ err: error }, 'idle database client failed'));
  return pool;
}
