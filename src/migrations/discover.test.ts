import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex, discoverMigrations } from './discover.js';
import { compareDottedVersions, compareVersions } from './frameworks/common.js';

function discover(files: Record<string, string>) {
  return discoverInIndex(createFileIndex(Object.keys(files), (path) => files[path]));
}

function summary(files: Record<string, string>) {
  return discover(files).map((set) => ({
    framework: set.framework,
    dir: set.dir,
    ids: set.migrations.map((migration) => migration.id),
    modes: set.migrations.map((migration) => migration.transaction),
  }));
}

describe('discoverMigrations', () => {
  it('orders prisma folders by timestamp and marks them implicit per-file', () => {
    expect(
      summary({
        'prisma/migrations/migration_lock.toml': 'provider = "postgresql"',
        'prisma/migrations/20240102000000_b/migration.sql': 'SELECT 1;',
        'prisma/migrations/20240101000000_a/migration.sql': 'SELECT 1;',
      }),
    ).toEqual([{ framework: 'prisma', dir: 'prisma/migrations', ids: ['20240101000000_a', '20240102000000_b'], modes: ['per-file-implicit', 'per-file-implicit'] }]);
  });

  it('follows the drizzle journal order, not the file names', () => {
    const journal = JSON.stringify({ entries: [{ idx: 1, tag: '0001_b' }, { idx: 0, tag: '0000_z' }] });
    expect(summary({ 'drizzle/meta/_journal.json': journal, 'drizzle/0000_z.sql': 'SELECT 1;', 'drizzle/0001_b.sql': 'SELECT 1;' })).toEqual([
      { framework: 'drizzle', dir: 'drizzle', ids: ['0000_z', '0001_b'], modes: ['per-run', 'per-run'] },
    ]);
  });

  it('lists the drizzle journal entries whose file is missing', () => {
    const journal = JSON.stringify({ entries: [{ idx: 0, tag: '0000_a' }, { idx: 1, tag: '0001_missing' }] });
    const [set] = discover({ 'drizzle/meta/_journal.json': journal, 'drizzle/0000_a.sql': 'SELECT 1;' });
    expect(set?.migrations.map((migration) => migration.path)).toEqual(['drizzle/0000_a.sql']);
    expect(set?.missing).toEqual(['drizzle/0001_missing.sql']);
  });

  it('recognises the drizzle folder-per-migration layout by its snapshot', () => {
    expect(summary({ 'drizzle/20240101_a/migration.sql': 'SELECT 1;', 'drizzle/20240101_a/snapshot.json': '{}' })[0]?.framework).toBe('drizzle');
  });

  it('pairs golang-migrate up and down files and orders versions numerically', () => {
    const sets = discover({ 'db/migrations/10_c.up.sql': 'x', 'db/migrations/9_b.up.sql': 'x', 'db/migrations/9_b.down.sql': 'y' });
    expect(sets[0]?.framework).toBe('golang-migrate');
    expect(sets[0]?.migrations.map((migration) => migration.id)).toEqual(['9', '10']);
    expect(sets[0]?.migrations[0]?.down?.path).toBe('db/migrations/9_b.down.sql');
  });

  it('orders flyway versions numerically, attaches undo files and runs repeatables last', () => {
    const sets = discover({
      'db/migration/R__views.sql': 'x',
      'db/migration/V1.10__c.sql': 'x',
      'db/migration/V1.2__b.sql': 'x',
      'db/migration/U1.2__b.sql': 'y',
      'db/migration/V1.10__c.sql.conf': 'executeInTransaction=false\n',
    });
    expect(sets[0]?.migrations.map((migration) => migration.id)).toEqual(['V1.2', 'V1.10', 'R__views']);
    expect(sets[0]?.migrations[0]?.down?.path).toBe('db/migration/U1.2__b.sql');
    expect(sets[0]?.migrations.map((migration) => migration.transaction)).toEqual(['per-file', 'none', 'per-file']);
  });

  it('runs flyway scripts without a transaction when flyway detects statements that cannot run in one', () => {
    const migrations = discover({
      'db/migration/V1__idx.sql': '-- built online\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;\n',
      'db/migration/V2__vacuum.sql': 'VACUUM ANALYZE t;',
      'db/migration/V3__mixed.sql': "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY k ON t (a);\n",
      'db/migration/V4__forced.sql': 'CREATE INDEX CONCURRENTLY l ON t (a);',
      'db/migration/V4__forced.sql.conf': 'executeInTransaction=true\n',
      'db/migration/V5__enum.sql': "ALTER TYPE status ADD VALUE 'x';",
      'db/migration/V6__quoted.sql': "COMMENT ON TABLE t IS 'CREATE INDEX CONCURRENTLY; VACUUM';\n/* VACUUM; */ SELECT $$;VACUUM$$;",
      'db/migration/V7__reindex.sql': 'REINDEX TABLE t;',
    })[0]?.migrations;
    expect(migrations?.map((migration) => [migration.id, migration.transaction])).toEqual([
      ['V1', 'none'],
      ['V2', 'none'],
      ['V3', 'per-file'],
      ['V4', 'per-file'],
      ['V5', 'per-file'],
      ['V6', 'per-file'],
      // Flyway only detects REINDEX SCHEMA/DATABASE/SYSTEM.
      ['V7', 'per-file'],
    ]);
    expect(migrations?.[0]?.transactionReason).toContain('CREATE UNIQUE INDEX CONCURRENTLY, DROP INDEX CONCURRENTLY');
    expect(migrations?.[2]?.transactionReason).toContain('mixed=true');
    expect(migrations?.[3]?.transactionReason).toBe('V4__forced.sql.conf sets executeInTransaction=true');
  });

  it('masks flyway placeholders for the parser with same-length stand-ins, outside literals and comments', () => {
    const text = "CREATE TABLE ${flyway:defaultSchema}.users (id bigint);\nGRANT SELECT ON users_${suffix} TO ${appUser};\n-- ${comment}\nSELECT '${literal}';\n";
    const migration = discover({ 'db/migration/V1__init.sql': text, 'db/migration/V2__plain.sql': 'SELECT 1;' })[0]?.migrations;
    const parseText = migration?.[0]?.up?.parseText;
    expect(parseText).toBe("CREATE TABLE public                 .users (id bigint);\nGRANT SELECT ON users___suffix_ TO __appUser_;\n-- ${comment}\nSELECT '${literal}';\n");
    expect(parseText?.length).toBe(text.length);
    expect(migration?.[1]?.up?.parseText).toBeUndefined();
  });

  it('says a golang-migrate set has down migrations only when a .down.sql exists', () => {
    const hasDowns = (files: Record<string, string>) => discover(files).map((set) => set.hasDowns);
    expect(hasDowns({ 'db/migrations/000001_a.up.sql': 'SELECT 1;' })).toEqual([false]);
    expect(hasDowns({ 'db/migrations/000001_a.up.sql': 'SELECT 1;', 'db/migrations/000001_a.down.sql': 'SELECT 1;' })).toEqual([true]);
  });

  it('splits dbmate sections and honours transaction:false', () => {
    const text = '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;\n';
    const migration = discover({ 'db/migrations/20240101_idx.sql': text })[0]?.migrations[0];
    expect(migration?.framework).toBe('dbmate');
    expect(migration?.transaction).toBe('per-file-implicit');
    expect(text.slice(migration?.up?.start, migration?.up?.end)).toBe('\nCREATE INDEX CONCURRENTLY i ON t (a);\n');
    expect(text.slice(migration?.down?.start, migration?.down?.end)).toBe('\nDROP INDEX i;\n');
  });

  it('finds node-pg-migrate SQL sections and lists JS migrations without SQL', () => {
    const sets = discover({
      'migrations/1700000000000_a.sql': '-- Up Migration\nCREATE TABLE a (id int);\n-- Down Migration\nDROP TABLE a;\n',
      'migrations/1700000000001_b.js': 'exports.up = (pgm) => { pgm.noTransaction(); pgm.createIndex("a", "id"); };',
    });
    expect(sets[0]?.framework).toBe('node-pg-migrate');
    expect(sets[0]?.migrations.map((migration) => [migration.language, migration.transaction, migration.up === undefined])).toEqual([
      ['sql', 'per-file', false],
      ['js', 'none', true],
    ]);
  });

  it('lists knex and typeorm migrations with their transaction modes', () => {
    const sets = discover({
      'migrations/20240101_users.js': 'exports.up = (knex) => knex.schema.createTable("u"); exports.down = (knex) => knex.schema.dropTable("u"); exports.config = { transaction: false };',
      'src/migrations/1700000000000-Init.ts': 'export class Init1700000000000 implements MigrationInterface { async up() {} async down() {} }',
    });
    expect(sets.map((set) => [set.framework, set.migrations[0]?.transaction])).toEqual([
      ['knex', 'none'],
      ['typeorm', 'per-run'],
    ]);
  });

  it('treats supabase/migrations as supabase and other migration folders as plain SQL', () => {
    expect(summary({ 'supabase/migrations/20240101_a.sql': 'x', 'sql/migrations/002_b.sql': 'x', 'sql/migrations/1_a.sql': 'x', 'seed.sql': 'x' })).toEqual([
      { framework: 'sql', dir: 'sql/migrations', ids: ['1', '002'], modes: ['none', 'none'] },
      { framework: 'supabase', dir: 'supabase/migrations', ids: ['20240101'], modes: ['per-file'] },
    ]);
  });
});

describe('discoverMigrations on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'shipready-discover-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  it('walks the tree but skips node_modules', () => {
    write('migrations/001_a.sql', 'SELECT 1;');
    write('node_modules/pkg/migrations/001_a.sql', 'SELECT 1;');
    const result = discoverMigrations(root);
    expect(result.ok && result.value.map((set) => set.migrations.map((migration) => migration.path))).toEqual([['migrations/001_a.sql']]);
  });

  it('skips test data: testdata, fixtures, __fixtures__ and __mocks__ folders', () => {
    for (const dir of ['internal/testdata', 'test/fixtures', 'src/__fixtures__', 'src/__mocks__']) write(`${dir}/migrations/001_a.sql`, 'SELECT 1;');
    const result = discoverMigrations(root);
    expect(result.ok && result.value.map((set) => set.dir)).toEqual(['migrations']);
  });

  it('returns a UserError for a missing root', () => {
    const result = discoverMigrations(join(root, 'missing'));
    expect(result.ok ? undefined : result.error.code).toBe('PATH_NOT_FOUND');
  });
});

describe('version ordering', () => {
  it('compares numeric prefixes as numbers', () => {
    expect(['10_b', '9_a', '009_c'].sort(compareVersions)).toEqual(['009_c', '9_a', '10_b']);
    expect(['1.10', '1.2', '1_3'].sort(compareDottedVersions)).toEqual(['1.2', '1_3', '1.10']);
  });
});
