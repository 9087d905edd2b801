import { describe, expect, it } from 'vitest';
import { compareSnapshots, schemaSnapshot } from './catalog.js';
import { openPglite, openServer, type RehearsalDb } from './database.js';
import { SERVER_URL } from './fixture-harness.js';

const TARGETS = [{ target: 'PGlite', databaseUrl: undefined }, ...(SERVER_URL === undefined ? [] : [{ target: 'a PostgreSQL server', databaseUrl: SERVER_URL }])];

/** Runs `setup`, snapshots, runs `change` (an up, or an up and its down), and compares. */
async function differenceAfter(databaseUrl: string | undefined, setup: string, change: string): Promise<{ missing: string[]; extra: string[] }> {
  const opened = databaseUrl === undefined ? await openPglite() : await openServer(databaseUrl);
  if (!opened.ok) throw new Error(opened.error.message);
  const db: RehearsalDb = opened.value;
  try {
    await db.exec(setup);
    const before = await schemaSnapshot(db);
    await db.exec(change);
    return compareSnapshots(before, await schemaSnapshot(db));
  } finally {
    await db.close();
  }
}

const SAME = { missing: [], extra: [] };

describe.each(TARGETS)('schemaSnapshot on $target', ({ databaseUrl }) => {
  it('reads a function re-created with other line breaks and indentation as the same function', async () => {
    const difference = await differenceAfter(
      databaseUrl,
      'CREATE FUNCTION norm(h text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(trim(h)) $$;',
      'CREATE OR REPLACE FUNCTION norm(h text)\nRETURNS text LANGUAGE sql IMMUTABLE AS $$\n  SELECT  lower(trim(h))\n$$;',
    );
    expect(difference).toEqual(SAME);
  });

  it('shows where two bodies of a function differ, not only their common start', async () => {
    const start = 'SELECT ' + Array.from({ length: 12 }, (_, index) => `coalesce(h, 'filler ${index}')`).join(' || ');
    const { missing, extra } = await differenceAfter(
      databaseUrl,
      `CREATE FUNCTION norm(h text) RETURNS text LANGUAGE sql AS $$ ${start} || lower(h) $$;`,
      `CREATE OR REPLACE FUNCTION norm(h text) RETURNS text LANGUAGE sql AS $$ ${start} || upper(h) $$;`,
    );
    expect(missing).toHaveLength(1);
    expect(extra).toHaveLength(1);
    expect(missing[0]).toMatch(/^function norm\(h text\) RETURNS text LANGUAGE sql \(body md5 [0-9a-f]{12}: ….*'filler 11'\) \|\| lower\(h\)\)$/);
    expect(extra[0]).toMatch(/^function norm\(h text\) RETURNS text LANGUAGE sql \(body md5 [0-9a-f]{12}: ….*'filler 11'\) \|\| upper\(h\)\)$/);
  });

  it('covers SECURITY DEFINER, SET, volatility, STRICT, LEAKPROOF and PARALLEL of functions', async () => {
    const { missing, extra } = await differenceAfter(
      databaseUrl,
      'CREATE FUNCTION norm(h text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(h) $$;',
      `ALTER FUNCTION norm(text) SECURITY DEFINER SET search_path = pg_catalog SET work_mem = '64kB';
       ALTER FUNCTION norm(text) VOLATILE STRICT LEAKPROOF PARALLEL SAFE;`,
    );
    expect([missing.map((item) => item.split(' (body')[0]), extra.map((item) => item.split(' (body')[0])]).toEqual([
      ['function norm(h text) RETURNS text LANGUAGE sql IMMUTABLE'],
      ['function norm(h text) RETURNS text LANGUAGE sql STRICT SECURITY DEFINER LEAKPROOF PARALLEL SAFE SET search_path=pg_catalog SET work_mem=64kB'],
    ]);
  });

  it('covers a column collation other than its type’s', async () => {
    const difference = await differenceAfter(databaseUrl, 'CREATE TABLE acc (id int PRIMARY KEY, handle text NOT NULL);', 'ALTER TABLE acc ALTER COLUMN handle TYPE text COLLATE "C";');
    expect(difference).toEqual({ missing: ['column acc.handle text NOT NULL'], extra: ['column acc.handle text COLLATE "C" NOT NULL'] });
  });

  it('covers attaching a partition, its bounds, and the partition key', async () => {
    const setup = `CREATE TABLE ledger (id int NOT NULL, booked_on date NOT NULL) PARTITION BY RANGE (booked_on);
      CREATE TABLE ledger_old (id int NOT NULL, booked_on date NOT NULL);
      CREATE TABLE ledger_new PARTITION OF ledger FOR VALUES FROM ('2100-01-01') TO ('2200-01-01');`;
    const { missing, extra } = await differenceAfter(
      databaseUrl,
      setup,
      `ALTER TABLE ledger ATTACH PARTITION ledger_old FOR VALUES FROM ('2000-01-01') TO ('2100-01-01');
       ALTER TABLE ledger DETACH PARTITION ledger_new; ALTER TABLE ledger ATTACH PARTITION ledger_new DEFAULT;`,
    );
    expect({ missing, extra }).toEqual({
      missing: ["partition ledger_new of ledger FOR VALUES FROM ('2100-01-01') TO ('2200-01-01')"],
      extra: ['partition ledger_new of ledger DEFAULT', "partition ledger_old of ledger FOR VALUES FROM ('2000-01-01') TO ('2100-01-01')"],
    });
    const rekeyed = await differenceAfter(databaseUrl, setup, 'DROP TABLE ledger; CREATE TABLE ledger (id int NOT NULL, booked_on date NOT NULL) PARTITION BY LIST (id);');
    expect(rekeyed.missing).toContain('partitioned table ledger PARTITION BY RANGE (booked_on)');
    expect(rekeyed.extra).toEqual(['partitioned table ledger PARTITION BY LIST (id)']);
  });

  it('covers REPLICA IDENTITY, storage parameters, view options and comments on tables and columns', async () => {
    const difference = await differenceAfter(
      databaseUrl,
      'CREATE TABLE accounts (id bigint PRIMARY KEY, handle text);',
      `ALTER TABLE accounts REPLICA IDENTITY FULL;
       ALTER TABLE accounts SET (fillfactor = 70, autovacuum_enabled = false);
       COMMENT ON TABLE accounts IS 'customer accounts';
       COMMENT ON COLUMN accounts.handle IS 'the user''s handle';`,
    );
    expect(difference).toEqual({
      missing: [],
      extra: [
        "comment on column accounts.handle: 'the user''s handle'",
        "comment on table accounts: 'customer accounts'",
        'replica identity of accounts FULL',
        'storage parameters of accounts WITH (autovacuum_enabled=false, fillfactor=70)',
      ],
    });
    const invoker = await differenceAfter(databaseUrl, 'CREATE TABLE accounts (id bigint); CREATE VIEW ids AS SELECT id FROM accounts;', 'ALTER VIEW ids SET (security_invoker = true);');
    expect(invoker).toEqual({ missing: [], extra: ['view options of ids WITH (security_invoker=true)'] });
    const long = `${'a long comment '.repeat(10)}that ends here`;
    const commented = await differenceAfter(databaseUrl, 'CREATE TABLE accounts (id bigint);', `COMMENT ON TABLE accounts IS '${long}';`);
    expect(commented.extra).toEqual([expect.stringMatching(/^comment on table accounts: 'a long comment .{70,}…' \(md5 [0-9a-f]{12}\)$/)]);
    const byIndex = await differenceAfter(databaseUrl, 'CREATE TABLE accounts (id bigint NOT NULL, handle text); CREATE UNIQUE INDEX accounts_id ON accounts (id);', 'ALTER TABLE accounts REPLICA IDENTITY USING INDEX accounts_id;');
    expect(byIndex).toEqual({ missing: [], extra: ['replica identity of accounts USING INDEX accounts_id'] });
  });

  it('finds no difference after a down that undoes each of these, in another order or with other line breaks', async () => {
    const difference = await differenceAfter(
      databaseUrl,
      `CREATE TABLE accounts (id bigint PRIMARY KEY, handle text COLLATE "C", note text);
       CREATE TABLE ledger (id int NOT NULL, booked_on date NOT NULL) PARTITION BY RANGE (booked_on);
       CREATE TABLE ledger_old (id int NOT NULL, booked_on date NOT NULL);
       CREATE FUNCTION norm(h text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(h) $$;
       ALTER FUNCTION norm(text) SET work_mem = '64kB' SET statement_timeout = '5s';
       ALTER TABLE accounts SET (fillfactor = 70, autovacuum_enabled = false);
       COMMENT ON TABLE accounts IS 'customer accounts';`,
      `-- up
       ALTER TABLE accounts ALTER COLUMN handle TYPE text COLLATE "default";
       ALTER TABLE accounts ALTER COLUMN note TYPE text COLLATE "C";
       ALTER TABLE ledger ATTACH PARTITION ledger_old FOR VALUES FROM ('2000-01-01') TO ('2100-01-01');
       ALTER FUNCTION norm(text) SECURITY DEFINER SET search_path = pg_catalog VOLATILE;
       ALTER TABLE accounts REPLICA IDENTITY FULL;
       ALTER TABLE accounts RESET (fillfactor, autovacuum_enabled);
       ALTER FUNCTION norm(text) RESET ALL;
       COMMENT ON TABLE accounts IS 'accounts';
       COMMENT ON COLUMN accounts.note IS 'free text';
       -- down
       ALTER TABLE accounts ALTER COLUMN handle TYPE text COLLATE "C";
       ALTER TABLE accounts ALTER COLUMN note TYPE text COLLATE "default";
       ALTER TABLE ledger DETACH PARTITION ledger_old;
       ALTER FUNCTION norm(text) SECURITY INVOKER RESET search_path IMMUTABLE;
       ALTER TABLE accounts REPLICA IDENTITY DEFAULT;
       -- The same options and settings as before, set in another order.
       ALTER TABLE accounts SET (autovacuum_enabled = false); ALTER TABLE accounts SET (fillfactor = 70);
       ALTER FUNCTION norm(text) SET statement_timeout = '5s'; ALTER FUNCTION norm(text) SET work_mem = '64kB';
       -- The same comment, wrapped.
       COMMENT ON TABLE accounts IS 'customer
         accounts';
       COMMENT ON COLUMN accounts.note IS NULL;`,
    );
    expect(difference).toEqual(SAME);
  });
});
