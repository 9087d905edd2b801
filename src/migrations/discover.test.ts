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

  it('splits dbmate sections and honours transaction:false', () => {
    const text = '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- migrate:down\nDROP INDEX i;\n';
    const migration = discover({ 'db/migrations/20240101_idx.sql': text })[0]?.migrations[0];
    expect(migration?.framework).toBe('dbmate');
    expect(migration?.transaction).toBe('none');
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
