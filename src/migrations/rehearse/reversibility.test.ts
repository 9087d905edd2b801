import { describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { compareSnapshots, schemaSnapshot, toCanonicalDefault } from './catalog.js';
import { openPglite } from './database.js';
import { rehearsalDatabases, SERVER_URL } from './fixture-harness.js';
import { rehearseMigrations } from './index.js';


const TARGETS = [{ target: 'PGlite', databaseUrl: undefined }, ...(SERVER_URL === undefined ? [] : [{ target: 'a PostgreSQL server', databaseUrl: SERVER_URL }])];

function setsOf(files: Record<string, string>) {
  return discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file]));
}

function findingsOf(findings: ReadonlyArray<{ ruleId: string; messageId: string; location?: { kind: string; path?: string } }>, prefix = 'migrations/rehearsal-') {
  return findings.filter((finding) => finding.ruleId.startsWith(prefix)).map((finding) => [finding.ruleId, finding.messageId, finding.location?.path]);
}

describe.each(TARGETS)('reversibility cycle on $target', ({ databaseUrl }) => {
  const target = databaseUrl === undefined ? {} : { databaseUrl };

  it('gives each migration set its own fresh database, and drops every scratch database', async () => {
    const files: Record<string, string> = {};
    for (const service of ['auth', 'billing']) {
      files[`services/${service}/db/migrations/000001_init.up.sql`] = 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);';
      files[`services/${service}/db/migrations/000001_init.down.sql`] = 'DROP TABLE users;';
      files[`services/${service}/db/migrations/000002_ref.up.sql`] = `ALTER TABLE users ADD COLUMN ${service}_ref text;`;
      files[`services/${service}/db/migrations/000002_ref.down.sql`] = `ALTER TABLE users DROP COLUMN ${service}_ref;`;
    }
    const sets = setsOf(files);
    expect(sets).toHaveLength(2);
    const before = databaseUrl === undefined ? [] : await rehearsalDatabases(databaseUrl);
    const result = await rehearseMigrations(sets, { rows: 50, ...target });
    if (databaseUrl !== undefined) expect(await rehearsalDatabases(databaseUrl)).toEqual(before);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs.map((run) => [run.migration.path, run.error?.message, run.fills.map((fill) => [fill.table, fill.rows])])).toEqual([
      ['services/auth/db/migrations/000001_init.up.sql', undefined, []],
      ['services/auth/db/migrations/000002_ref.up.sql', undefined, [['users', 50]]],
      ['services/billing/db/migrations/000001_init.up.sql', undefined, []],
      ['services/billing/db/migrations/000002_ref.up.sql', undefined, [['users', 50]]],
    ]);
    expect(findingsOf(result.value.findings)).toEqual([]);
  });

  it('leaves the database as the up left it, whatever the down does, and reports failed downs and failed re-applies', async () => {
    const sets = setsOf({
      'migrations/1_init.up.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\nCREATE TABLE kinds (id int PRIMARY KEY);',
      'migrations/1_init.down.sql': 'DROP TABLE kinds;\nDROP TABLE users;',
      // The down drops profiles, then fails: profiles must still exist for 3.
      'migrations/2_profiles.up.sql': 'ALTER TABLE users ADD COLUMN nickname text;\nCREATE TABLE profiles (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), bio text);',
      'migrations/2_profiles.down.sql': 'DROP TABLE profiles;\nALTER TABLE users DROP COLUMN nick_name;',
      'migrations/3_idx.up.sql': 'CREATE INDEX profiles_user_id_idx ON profiles (user_id);',
      'migrations/3_idx.down.sql': 'DROP INDEX profiles_user_id_idx;',
      // The down forgets tags: up again fails on it, and user_tags must still exist for 5.
      'migrations/4_tags.up.sql': 'CREATE TABLE tags (id bigserial PRIMARY KEY);\nCREATE TABLE user_tags (user_id bigint NOT NULL REFERENCES users (id), tag_id bigint NOT NULL REFERENCES tags (id));',
      'migrations/4_tags.down.sql': 'DROP TABLE user_tags;',
      'migrations/5_idx.up.sql': 'CREATE INDEX user_tags_tag_id_idx ON user_tags (tag_id);',
      // The down restores the schema, then fails: it must not also say that it restores the schema.
      'migrations/6_a.up.sql': 'ALTER TABLE users ADD COLUMN a int;',
      'migrations/6_a.down.sql': 'ALTER TABLE users DROP COLUMN a;\nALTER TABLE users DROP COLUMN nonexistent;',
      // Same schema after the down, but the data it leaves makes the up fail again.
      'migrations/7_seed.up.sql': 'INSERT INTO kinds VALUES (-7);',
      'migrations/7_seed.down.sql': 'SELECT 1;',
      // CONCURRENTLY cannot run in the cycle's transaction; the plain form has the same effect on the schema.
      'migrations/8_concurrent.up.sql': 'CREATE INDEX CONCURRENTLY users_email_idx ON users (email);',
      'migrations/8_concurrent.down.sql': 'DROP INDEX CONCURRENTLY users_email_idx;',
      // No in-transaction form: the cycle is skipped with a note.
      'migrations/9_reindex.up.sql': 'ALTER TABLE users ADD COLUMN b int;',
      'migrations/9_reindex.down.sql': 'ALTER TABLE users DROP COLUMN b;\nREINDEX (CONCURRENTLY) TABLE users;',
      'migrations/10_last.up.sql': 'ALTER TABLE users ADD COLUMN b2 int;',
    });
    const result = await rehearseMigrations(sets, { rows: 50, ...target });
    if (!result.ok) throw new Error(result.error.message);
    const { runs, findings, sections, notes } = result.value;
    expect(runs.map((run) => [run.migration.path, run.error?.message])).toEqual([
      ['migrations/1_init.up.sql', undefined],
      ['migrations/2_profiles.up.sql', undefined],
      ['migrations/3_idx.up.sql', undefined],
      ['migrations/4_tags.up.sql', undefined],
      ['migrations/5_idx.up.sql', undefined],
      ['migrations/6_a.up.sql', undefined],
      ['migrations/7_seed.up.sql', undefined],
      ['migrations/8_concurrent.up.sql', undefined],
      ['migrations/9_reindex.up.sql', undefined],
      ['migrations/10_last.up.sql', undefined],
    ]);
    expect(findingsOf(findings)).toEqual([
      ['migrations/rehearsal-not-reversible', 'downFailed', 'migrations/2_profiles.down.sql'],
      ['migrations/rehearsal-not-reversible', 'differs', 'migrations/4_tags.down.sql'],
      ['migrations/rehearsal-not-reversible', 'downFailed', 'migrations/6_a.down.sql'],
      ['migrations/rehearsal-not-reversible', 'upAgainFailed', 'migrations/7_seed.down.sql'],
    ]);
    expect(runs[3]?.reversibility?.reapplyError).toMatch(/^line 1: .*"tags" already exists/);
    expect(runs[7]?.reversibility).toEqual({ missing: [], extra: [] });
    expect(runs[8]?.reversibility?.skipped).toMatch(/line 2/);
    expect(notes.filter((note) => note.path === 'migrations/9_reindex.down.sql')).toHaveLength(1);
    const lines = sections[0]?.lines ?? [];
    const block = (path: string): string[] => {
      const start = lines.findIndex((line) => line.startsWith(path));
      const end = lines.findIndex((line, index) => index > start && !line.startsWith(' '));
      return lines.slice(start + 1, end === -1 ? undefined : end);
    };
    expect(block('migrations/6_a.up.sql').filter((line) => line.includes('down:'))).toEqual([expect.stringMatching(/^ {2}down: FAILED \(line 2: /)]);
    expect(block('migrations/7_seed.up.sql').filter((line) => /down:|up again/.test(line))).toEqual(['  down: restores the schema exactly', expect.stringMatching(/^ {2}up again after down: FAILED \(line 1: /)]);
  });
});

describe('schemaSnapshot', () => {
  it('covers types with their modifiers, functions, triggers, policies, RLS, sequences, views and enum labels', async () => {
    const opened = await openPglite();
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.value;
    try {
      await db.exec(`CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('sad', 'ok');
        CREATE TABLE docs (id bigserial PRIMARY KEY, labels varchar(20)[], price numeric(10,2), m app.mood, at timestamptz DEFAULT CURRENT_TIMESTAMP);`);
      const before = await schemaSnapshot(db);
      expect([...before].filter((item) => item.startsWith('column docs.')).sort()).toEqual([
        'column docs.at timestamp with time zone DEFAULT now()',
        "column docs.id bigint NOT NULL DEFAULT nextval('docs_id_seq'::regclass)",
        'column docs.labels character varying(20)[]',
        'column docs.m app.mood',
        'column docs.price numeric(10,2)',
      ]);
      await db.exec(`CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at = now(); RETURN NEW; END $$;
        CREATE TRIGGER docs_touch BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION touch();
        ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
        CREATE POLICY docs_read ON docs FOR SELECT USING (true);
        CREATE SEQUENCE doc_numbers;
        CREATE VIEW recent AS SELECT id FROM docs;
        ALTER TYPE app.mood ADD VALUE 'happy';`);
      const { missing, extra } = compareSnapshots(before, await schemaSnapshot(db));
      expect(missing).toEqual(["enum app.mood (sad, ok)"]);
      expect(extra.map((item) => item.split(' (body')[0])).toEqual([
        'enum app.mood (sad, ok, happy)',
        'function touch() RETURNS trigger LANGUAGE plpgsql',
        'policy docs docs_read FOR SELECT TO public USING (true)',
        'row level security on docs',
        'sequence doc_numbers bigint START 1 INCREMENT 1 MINVALUE 1 MAXVALUE 9223372036854775807',
        'trigger docs CREATE TRIGGER docs_touch BEFORE UPDATE ON public.docs FOR EACH ROW EXECUTE FUNCTION touch()',
        'view recent',
      ]);
      // A changed body is a difference even though the signature is the same.
      const withBody = await schemaSnapshot(db);
      await db.exec(`CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;`);
      expect(compareSnapshots(withBody, await schemaSnapshot(db)).missing.map((item) => item.split(' (body')[0])).toEqual(['function touch() RETURNS trigger LANGUAGE plpgsql']);
    } finally {
      await db.close();
    }
  });

  it('compares NOT NULL per column, not by the constraint name a rename leaves behind', async () => {
    const opened = await openPglite();
    if (!opened.ok) throw new Error(opened.error.message);
    const db = opened.value;
    try {
      await db.exec('CREATE TABLE account (id bigint PRIMARY KEY, mail text NOT NULL); ALTER TABLE account RENAME TO users; ALTER TABLE users RENAME COLUMN mail TO email;');
      const before = await schemaSnapshot(db);
      await db.exec('ALTER TABLE users ALTER COLUMN email DROP NOT NULL; ALTER TABLE users ALTER COLUMN email SET NOT NULL;');
      expect(compareSnapshots(before, await schemaSnapshot(db))).toEqual({ missing: [], extra: [] });
    } finally {
      await db.close();
    }
  });

  it('treats CURRENT_TIMESTAMP and now() as the same default, but not CURRENT_TIMESTAMP(3)', () => {
    expect(toCanonicalDefault('CURRENT_TIMESTAMP')).toBe('now()');
    expect(toCanonicalDefault("(CURRENT_TIMESTAMP + '1 day'::interval)")).toBe("(now() + '1 day'::interval)");
    expect(toCanonicalDefault('transaction_timestamp()')).toBe('now()');
    expect(toCanonicalDefault('CURRENT_TIMESTAMP(3)')).toBe('CURRENT_TIMESTAMP(3)');
  });
});

describe('rehearsal of renames and equivalent defaults', () => {
  it('finds no difference where the down restores the schema under other spellings', async () => {
    const sets = setsOf({
      'db/migrations/20240101000000_init.sql': '-- migrate:up\nCREATE TABLE account (id bigserial PRIMARY KEY, mail text NOT NULL, created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP);\nALTER TABLE account RENAME TO users;\nALTER TABLE users RENAME COLUMN mail TO email;\n-- migrate:down\nDROP TABLE users;\n',
      'db/migrations/20240102000000_relax.sql': '-- migrate:up\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n-- migrate:down\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n',
      'db/migrations/20240103000000_default.sql': '-- migrate:up\nALTER TABLE users ALTER COLUMN created_at DROP DEFAULT;\n-- migrate:down\nALTER TABLE users ALTER COLUMN created_at SET DEFAULT now();\n',
    });
    const result = await rehearseMigrations(sets, { rows: 20 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs.map((run) => run.reversibility)).toEqual([
      { missing: [], extra: [] },
      { missing: [], extra: [] },
      { missing: [], extra: [] },
    ]);
    expect(findingsOf(result.value.findings)).toEqual([]);
  });
});
