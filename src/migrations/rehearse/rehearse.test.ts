import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { openPglite } from './database.js';
import { rehearsalDatabases, SERVER_URL } from './fixture-harness.js';
import { rehearseMigrations } from './index.js';

const FILES: Record<string, string> = {
  'db/migrations/1_init.up.sql': `CREATE TYPE status AS ENUM ('active', 'banned');
CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, status status NOT NULL, name varchar(20));
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  total numeric(10,2) NOT NULL CHECK (total >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  'db/migrations/1_init.down.sql': 'DROP TABLE orders;\nDROP TABLE users;\nDROP TYPE status;',
  'db/migrations/2_token.up.sql': `ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);`,
  'db/migrations/2_token.down.sql': 'ALTER TABLE users DROP COLUMN token;',
  'db/migrations/3_tenant.up.sql': 'ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;',
  'db/migrations/4_note.up.sql': 'ALTER TABLE orders ADD COLUMN note text;',
  'db/migrations/5_events.up.sql': `CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_all PARTITION OF events FOR VALUES FROM ('1900-01-01') TO ('2100-01-01');`,
  'db/migrations/6_events_index.up.sql': 'CREATE INDEX events_at_idx ON events (at);',
};

function locations(findings: ReadonlyArray<{ ruleId: string; location?: { kind: string; path?: string; line?: number } }>, ruleId: string) {
  return findings.filter((finding) => finding.ruleId === ruleId).map((finding) => [finding.location?.path, finding.location?.line]);
}


describe.each([
  { target: 'PGlite', databaseUrl: undefined },
  ...(SERVER_URL === undefined ? [] : [{ target: 'a PostgreSQL server', databaseUrl: SERVER_URL }]),
])('rehearseMigrations on $target', ({ databaseUrl }) => {
  it('fills tables, records locks and rewrites, reports failures and irreversible downs, and keeps going', async () => {
    const sets = discoverInIndex(createFileIndex(Object.keys(FILES), (path) => FILES[path]));
    const before = databaseUrl === undefined ? [] : await rehearsalDatabases(databaseUrl);
    const result = await rehearseMigrations(sets, { rows: 2000, blockingThresholdMs: 0, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
    if (databaseUrl !== undefined) expect(await rehearsalDatabases(databaseUrl)).toEqual(before);
    if (!result.ok) throw new Error(result.error.message);
    const { findings, runs } = result.value;
    expect(runs[0]?.fills).toEqual([]);
    expect(runs[1]?.fills.map((fill) => [fill.table, fill.rows, fill.error])).toEqual([
      ['users', 2000, undefined],
      ['orders', 2000, undefined],
    ]);
    const addColumn = runs[1]?.statements[0];
    expect(addColumn?.locks).toContainEqual({ relation: 'users', mode: 'AccessExclusiveLock' });
    expect(addColumn?.rewritten).toEqual(['users']);
    expect(runs[1]?.statements[1]?.staticLocks).toBe(true);
    expect(locations(findings, 'migrations/rehearsal-rewrite')).toEqual([['db/migrations/2_token.up.sql', 1]]);
    expect(locations(findings, 'migrations/rehearsal-failed')).toEqual([['db/migrations/3_tenant.up.sql', 1]]);
    expect(locations(findings, 'migrations/rehearsal-not-reversible')).toEqual([['db/migrations/2_token.down.sql', undefined]]);
    expect(runs[0]?.reversibility).toEqual({ missing: [], extra: [] });
    expect(runs[3]?.error).toBeUndefined();
    expect(runs[3]?.statements).toHaveLength(1);
    // A partitioned table is filled through its parent; the partition is not filled twice.
    expect(runs[5]?.fills.map((fill) => [fill.table, fill.rows, fill.error])).toEqual([['events', 2000, undefined]]);
    expect(result.value.sections[0]?.lines.some((line) => line.includes('ACCESS EXCLUSIVE on users'))).toBe(true);
  });
});

describe('rehearseMigrations errors', () => {
  it('returns a DATABASE UserError when the server cannot be reached', async () => {
    const result = await rehearseMigrations([], { databaseUrl: 'postgres://nobody@127.0.0.1:1/postgres' });
    expect(result.ok ? 'ok' : result.error.code).toBe('DATABASE');
  });
});

describe('rehearsal on a full disk', () => {
  it('says the temporary directory ran out of room, not only that the migration failed', async () => {
    // Postgres' own words for a full disk, raised the way a failing INSERT would report them.
    const files: Record<string, string> = {
      'db/migrations/1_fill.up.sql': `DO $$ BEGIN RAISE EXCEPTION 'could not extend file "base/5/16384": No space left on device'; END $$;`,
    };
    const sets = discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file]));
    const result = await rehearseMigrations(sets, { rows: 10 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.findings.map((finding) => [finding.ruleId, finding.location?.kind === 'file' ? finding.location.path : ''])).toEqual([['migrations/rehearsal-failed', 'db/migrations/1_fill.up.sql']]);
    expect(result.value.notes.filter((note) => note.path === 'db/migrations/1_fill.up.sql' && note.message.includes('TMPDIR'))).toHaveLength(1);
  });
});

describe('openPglite', () => {
  it('keeps its data in a temporary directory and removes it on close', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'shipready-test-'));
    try {
      const opened = await openPglite(parent);
      if (!opened.ok) throw new Error(opened.error.message);
      const db = opened.value;
      await db.exec('CREATE TABLE t (id int); INSERT INTO t VALUES (1)');
      expect(readdirSync(parent)).toHaveLength(1);
      expect(await db.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
      await db.close();
      expect(readdirSync(parent)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('is an error value when the temporary directory cannot be created', async () => {
    const opened = await openPglite(path.join(tmpdir(), 'shipready-no-such-parent', 'nested'));
    expect(opened.ok ? '' : opened.error.code).toBe('TEMP_DIR');
  });
});
