import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codeOnly } from './dialect.js';
import { createFileIndex, discoverInIndex } from './discover.js';
import { lintMigrations } from './index.js';

function dialects(files: Record<string, string>): Array<[string, string | undefined]> {
  return discoverInIndex(createFileIndex(Object.keys(files), (path) => files[path])).map((set) => [set.dir, set.dialect?.name]);
}

const root = mkdtempSync(join(tmpdir(), 'shipready-dialect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const PRISMA_MYSQL = 'CREATE TABLE `User` (\n  `id` INTEGER NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;\n';

describe('which database a migration set is for', () => {
  it('reads the Prisma provider from migration_lock.toml, else from the datasource of the schema beside the folder', () => {
    expect(dialects({ 'prisma/migrations/migration_lock.toml': 'provider = "mysql"', 'prisma/migrations/1_init/migration.sql': 'SELECT 1;' })).toEqual([['prisma/migrations', 'mysql']]);
    expect(
      dialects({
        'prisma/schema.prisma': '// provider = "postgresql" in a comment\ngenerator client {\n  provider = "prisma-client-js"\n}\ndatasource db {\n  provider = "sqlite"\n  url = env("DATABASE_URL")\n}\n',
        'prisma/migrations/1_init/migration.sql': 'SELECT 1;',
      }),
    ).toEqual([['prisma/migrations', 'sqlite']]);
    expect(dialects({ 'db/schema/main.prisma': 'datasource db {\n  provider = "cockroachdb"\n}', 'db/migrations/migration_lock.toml': '', 'db/migrations/1_init/migration.sql': 'SELECT 1;' })).toEqual([['db/migrations', 'cockroachdb']]);
  });

  it('reads the Drizzle dialect from the journal, else from the drizzle.config whose out is the folder', () => {
    const journal = (dialect: string) => JSON.stringify({ version: '7', dialect, entries: [{ idx: 0, tag: '0000_init' }] });
    expect(dialects({ 'drizzle/meta/_journal.json': journal('sqlite'), 'drizzle/0000_init.sql': 'SELECT 1;' })).toEqual([['drizzle', 'sqlite']]);
    expect(
      dialects({
        'drizzle.config.ts': "export default defineConfig({ out: './db/pg', dialect: 'postgresql' });",
        'drizzle.mysql.config.ts': "export default defineConfig({ out: './db/my', dialect: 'mysql' });",
        'db/drizzle.config.ts': "export default { out: './my', driver: 'mysql2' };",
        'db/pg/meta/_journal.json': JSON.stringify({ entries: [{ idx: 0, tag: '0000_a' }] }),
        'db/pg/0000_a.sql': 'SELECT 1;',
        'db/my/meta/_journal.json': JSON.stringify({ entries: [{ idx: 0, tag: '0000_a' }] }),
        'db/my/0000_a.sql': 'SELECT 1;',
      }),
    ).toEqual([
      ['db/my', 'mysql'],
      ['db/pg', 'postgresql'],
    ]);
  });

  it('takes a folder named after a database at its word', () => {
    expect(dialects({ 'db/clickhouse/migrations/01_init.sql': 'ALTER TABLE "event" ADD COLUMN "job_id" UUID AFTER "created_at";' })).toEqual([['db/clickhouse/migrations', 'clickhouse']]);
    expect(dialects({ 'db/postgresql/migrations/01_init.sql': 'CREATE TABLE `x` (`id` int);' })).toEqual([['db/postgresql/migrations', 'postgresql']]);
  });

  it('judges the SQL of the whole set: ClickHouse, MySQL and SQLite syntax in enough of its files', () => {
    expect(dialects({ 'migrations/01_init.sql': 'CREATE TABLE events (id UUID, at DateTime64(3)) ENGINE = ReplacingMergeTree ORDER BY id;', 'migrations/02_col.sql': 'ALTER TABLE events ADD COLUMN x String;' })).toEqual([
      ['migrations', 'clickhouse'],
    ]);
    expect(dialects({ 'migrations/01_init.sql': PRISMA_MYSQL })).toEqual([['migrations', 'mysql']]);
    expect(dialects({ 'migrations/01_init.sql': 'PRAGMA foreign_keys=OFF;\nCREATE TABLE "a" ("id" INTEGER PRIMARY KEY AUTOINCREMENT);' })).toEqual([['migrations', 'sqlite']]);
  });

  it('leaves a PostgreSQL set alone: backticks in comments, strings and function bodies, or one odd file among many', () => {
    const postgres = {
      'migrations/001_init.sql': "-- rename `users` later\nCREATE TABLE users (id bigint PRIMARY KEY, note text DEFAULT 'use `x` AUTO_INCREMENT');\n/* ENGINE = InnoDB `a` `b` */\n",
      'migrations/002_fn.sql': 'CREATE FUNCTION f() RETURNS text AS $$ SELECT \'`a` `b`\' $$ LANGUAGE sql;\n',
      'migrations/003_idx.sql': 'CREATE INDEX users_note_idx ON users (note);\n',
      'migrations/004_typo.sql': 'ALTER TABLE `users` ADD COLUMN `age` int;\n',
      'migrations/005_more.sql': 'ALTER TABLE users ADD COLUMN nickname text;\n',
    };
    expect(dialects(postgres)).toEqual([['migrations', undefined]]);
    expect(codeOnly("SELECT '`a`' -- `b`\n")).not.toContain('`');
  });

  it('lists a non-PostgreSQL set with a note naming the dialect and reports nothing for it', async () => {
    write('mysql-app/prisma/schema.prisma', 'datasource db {\n  provider = "mysql"\n  url = env("DATABASE_URL")\n}\n');
    write('mysql-app/prisma/migrations/migration_lock.toml', 'provider = "mysql"\n');
    write('mysql-app/prisma/migrations/20240101000000_init/migration.sql', PRISMA_MYSQL);
    write('mysql-app/prisma/migrations/20240201000000_idx/migration.sql', 'CREATE INDEX `User_id_idx` ON `User`(`id`);\n');
    write('mysql-app/db/clickhouse/migrations/01_init.sql', 'CREATE TABLE events (id UUID) ENGINE = MergeTree ORDER BY id;\n');
    const result = await lintMigrations(join(root, 'mysql-app'), { allMigrations: true });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.findings).toEqual([]);
    expect(result.value.rules).toEqual([]);
    expect(result.value.notes.filter((note) => note.kind === 'skipped-file').map((note) => note.path)).toEqual(['db/clickhouse/migrations', 'prisma/migrations']);
    expect(result.value.sets.map((set) => [set.dir, set.dialect?.name])).toEqual([
      ['db/clickhouse/migrations', 'clickhouse'],
      ['prisma/migrations', 'mysql'],
    ]);
  });
});
