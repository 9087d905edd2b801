import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { lintMigrations } from '../index.js';

function discover(files: Record<string, string>) {
  return discoverInIndex(createFileIndex(Object.keys(files), (path) => files[path]));
}

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Lints a project written to a temporary directory; returns [rule id, path, line] of every finding and the notes. */
async function lint(files: Record<string, string>): Promise<{ findings: unknown[]; notes: string[] }> {
  const root = mkdtempSync(join(tmpdir(), 'shipready-orms-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const result = await lintMigrations(root, { pgVersion: 16 });
  if (!result.ok) throw new Error(result.error.message);
  return {
    findings: result.value.findings
      .filter((finding) => !finding.ruleId.endsWith('-timeout'))
      .map((finding) => [finding.ruleId, finding.location?.kind === 'file' ? finding.location.path : '', finding.location?.kind === 'file' ? finding.location.line : 0]),
    notes: result.value.notes.map((note) => note.message),
  };
}

const MIKRO_INIT = [
  "import { Migration } from '@mikro-orm/migrations';",
  '',
  'export class Migration20240101000000 extends Migration {',
  '  async up(): Promise<void> {',
  `    this.addSql('create table "user" ("id" serial primary key, "email" varchar(255) not null);');`,
  `    this.addSql('create index "user_email_index" on "user" ("email");');`,
  '  }',
  '',
  '  async down(): Promise<void> {',
  `    this.addSql('drop table if exists "user" cascade;');`,
  '  }',
  '}',
].join('\n');

const MIKRO_INDEX = (optOut: boolean): string =>
  [
    "import { Migration } from '@mikro-orm/migrations';",
    '',
    'export class Migration20240201000000 extends Migration {',
    optOut ? '  isTransactional(): boolean { return false; }' : '',
    '  async up(): Promise<void> {',
    `    this.addSql('create index concurrently "user_created_index" on "user" ("created_at");');`,
    '  }',
    '}',
  ].join('\n');

describe('MikroORM', () => {
  it('orders Migration<timestamp> classes, reads this.addSql literals and runs them in one transaction unless isTransactional() is false', async () => {
    const sets = discover({ 'src/migrations/Migration20240201000000.ts': MIKRO_INDEX(true), 'src/migrations/Migration20240101000000.ts': MIKRO_INIT });
    expect(sets.map((set) => [set.framework, set.migrations.map((migration) => [migration.id, migration.transaction, migration.up !== undefined])])).toEqual([
      ['mikro-orm', [['20240101000000', 'per-run', true], ['20240201000000', 'none', true]]],
    ]);
  });

  it('reports CONCURRENTLY inside the run’s transaction, and an index on a table of an earlier migration, at the addSql line', async () => {
    const linted = await lint({ 'src/migrations/Migration20240101000000.ts': MIKRO_INIT, 'src/migrations/Migration20240201000000.ts': MIKRO_INDEX(false) });
    expect(linted.findings).toEqual([['migrations/ban-concurrent-index-creation-in-transaction', 'src/migrations/Migration20240201000000.ts', 6]]);
    const optedOut = await lint({ 'src/migrations/Migration20240101000000.ts': MIKRO_INIT, 'src/migrations/Migration20240201000000.ts': MIKRO_INDEX(true) });
    expect(optedOut.findings).toEqual([]);
  });
});

describe('Kysely', () => {
  const builder = [
    "import { Kysely, sql } from 'kysely';",
    'export async function up(db: Kysely<unknown>): Promise<void> {',
    "  await db.schema.createTable('person').addColumn('id', 'serial', (col) => col.primaryKey()).execute();",
    '}',
    'export async function down(db: Kysely<unknown>): Promise<void> {',
    "  await db.schema.dropTable('person').execute();",
    '}',
  ].join('\n');
  const raw = [
    "import { Kysely, sql } from 'kysely';",
    'export async function up(db: Kysely<unknown>): Promise<void> {',
    '  await sql`CREATE INDEX person_email_idx ON person (email)`.execute(db);',
    '}',
  ].join('\n');

  it('does not take the script that runs the Migrator for a migration', () => {
    const runner = "import { Kysely, Migrator, FileMigrationProvider } from 'kysely';\nconst migrator = new Migrator({ db, provider });\nawait migrator.migrateToLatest(); // brings the schema up to date\n";
    expect(discover({ 'src/migrations/migrate.ts': runner })).toEqual([]);
  });

  it('orders files by name, runs them in one transaction, and lists builder migrations as not linted with a note', async () => {
    const sets = discover({ 'src/migrations/2024_02_01_index.ts': raw, 'src/migrations/2024_01_01_person.ts': builder });
    expect(sets.map((set) => [set.framework, set.migrations.map((migration) => [migration.id, migration.transaction, migration.unconvertedCalls ?? 0])])).toEqual([
      ['kysely', [['2024_01_01', 'per-run', 1], ['2024_02_01', 'per-run', 0]]],
    ]);
    const linted = await lint({ 'src/migrations/2024_01_01_person.ts': builder, 'src/migrations/2024_02_01_index.ts': raw });
    expect(linted.findings).toEqual([['migrations/require-concurrent-index-creation', 'src/migrations/2024_02_01_index.ts', 3]]);
    expect(linted.notes.filter((note) => note.includes('cannot run kysely migrations'))).toHaveLength(1);
  });
});

describe('SQL built at run time', () => {
  it('counts interpolated sql templates, addSql and query calls as not convertible, so the literals alone are not linted', () => {
    const kysely = "import { Kysely, sql } from 'kysely';\nexport async function up(db: Kysely<unknown>) {\n  await sql`CREATE TABLE a (id int)`.execute(db);\n  await sql`CREATE INDEX ON ${sql.table(name)} (id)`.execute(db);\n}\n";
    const mikro = "import { Migration } from '@mikro-orm/migrations';\nexport class Migration20240101000000 extends Migration {\n  async up() {\n    this.addSql('create table a (id int);');\n    this.addSql(`create index on ${table} (id);`);\n  }\n}\n";
    const sequelize = "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.sequelize.query(statement);\n  },\n  async down() {},\n};\n";
    const sets = discover({ 'src/migrations/2024_01_01_a.ts': kysely, 'db/migrations/Migration20240101000000.ts': mikro, 'migrations/20240101000000-a.js': sequelize });
    expect(sets.map((set) => [set.framework, set.migrations[0]?.unconvertedCalls, set.migrations[0]?.up === undefined])).toEqual([
      ['mikro-orm', 1, true],
      ['sequelize', 1, true],
      ['kysely', 1, true],
    ]);
  });
});

describe('Sequelize', () => {
  const concurrent = [
    "'use strict';",
    'module.exports = {',
    '  async up(queryInterface) {',
    "    await queryInterface.sequelize.query('CREATE INDEX CONCURRENTLY users_email_idx ON \"Users\" (email)');",
    '  },',
    '  async down(queryInterface) {',
    "    await queryInterface.sequelize.query('DROP INDEX CONCURRENTLY users_email_idx');",
    '  },',
    '};',
  ].join('\n');
  const inTransaction = concurrent.replace('    await queryInterface.sequelize.query(', '    await queryInterface.sequelize.transaction(async (transaction) => queryInterface.sequelize.query(').replace("email)');", "email)', { transaction }));");

  it('runs each query on its own unless the migration opens queryInterface.sequelize.transaction()', async () => {
    expect((await lint({ 'migrations/20240101000000-users-email.js': concurrent })).findings).toEqual([]);
    expect((await lint({ 'migrations/20240101000000-users-email.js': inTransaction })).findings).toEqual([
      ['migrations/ban-concurrent-index-creation-in-transaction', 'migrations/20240101000000-users-email.js', 4],
    ]);
  });

  it('counts queryInterface builder calls as not convertible', () => {
    const text = "module.exports = { async up(queryInterface, Sequelize) { await queryInterface.addColumn('Users', 'bio', Sequelize.TEXT); }, async down(queryInterface) { await queryInterface.removeColumn('Users', 'bio'); } };";
    const [set] = discover({ 'migrations/20240101000000-bio.js': text });
    expect([set?.framework, set?.migrations[0]?.unconvertedCalls, set?.migrations[0]?.id, set?.migrations[0]?.name]).toEqual(['sequelize', 1, '20240101000000', 'bio']);
  });
});
