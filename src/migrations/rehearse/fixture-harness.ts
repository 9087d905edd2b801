// Shared by the rehearsal tests (excluded from the build like src/rules/fixture-harness.ts).
import pg from 'pg';

/** Set by `.ci/postgres.sh start` (and so by .ci/run): proves the server path against a real PostgreSQL. */
export const SERVER_URL = process.env['SHIPREADY_TEST_DATABASE_URL'] === '' ? undefined : process.env['SHIPREADY_TEST_DATABASE_URL'];

/**
 * The scratch databases the rehearsal left on the server: none should survive a run.
 *
 * @example expect(await rehearsalDatabases(SERVER_URL)).toEqual(before)
 */
export async function rehearsalDatabases(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'shipready_rehearsal_%' ORDER BY datname");
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}
