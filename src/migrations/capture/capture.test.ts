import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../core/report.js';
import { lintMigrations, lintProjectMigrations, listMigrations, type MigrationLintResult } from '../index.js';
import { rehearseMigrations } from '../rehearse/index.js';
import { captureMigrations } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Fixture projects cannot commit node_modules: the libraries come from shipready's own devDependencies. */
const fallbackFrom = path.resolve(here, '../../../package.json');

let tmp: string;
let runnerPath: string;
let tsHooksPath: string;
/**
 * The fixture projects are copied out of the repository first: inside it, Node's resolution would walk
 * up to shipready's node_modules and the explicit fallback (and its absence) would prove nothing.
 */
const fixture = (name: string): string => path.join(tmp, 'projects', name);

beforeAll(() => {
  // Tests run from sources, where dist/…/runner.js does not exist: transpile the runner (it imports only
  // Node built-ins, types and the shared TypeORM method list) to temporary ES modules in the same layout.
  tmp = mkdtempSync(path.join(tmpdir(), 'shipready-capture-'));
  mkdirSync(path.join(tmp, 'capture'));
  runnerPath = path.join(tmp, 'capture', 'runner.mjs');
  tsHooksPath = path.join(tmp, 'capture', 'ts-hooks.mjs');
  const modules = [
    [path.join(here, 'runner.ts'), runnerPath],
    [path.join(here, 'ts-hooks.ts'), tsHooksPath],
    [path.join(here, '..', 'typeorm-read-only.ts'), path.join(tmp, 'typeorm-read-only.mjs')],
  ] as const;
  for (const [from, to] of modules) {
    const source = readFileSync(from, 'utf8');
    const output = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(to, output.replace("'../typeorm-read-only.js'", "'../typeorm-read-only.mjs'"));
  }
  cpSync(path.join(here, 'fixtures'), path.join(tmp, 'projects'), { recursive: true });
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A migration of the typeorm-app fixture, by file name. */
const file = (name: string): string => `src/migrations/${name}`;

function at(findings: readonly Finding[], ruleId: string): Array<[string | undefined, number | undefined]> {
  return findings
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => (finding.location?.kind === 'file' ? [finding.location.path, finding.location.line] : [undefined, undefined]));
}

describe('capturing knex migrations', () => {
  it('captures builder SQL at the line of each call, lints it, and reports a throwing migration without stopping', async () => {
    const root = fixture('knex-app');
    const result = await lintMigrations(root, { runJs: true, pgVersion: 16, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!result.ok) throw new Error(result.error.message);
    const migrations = result.value.sets.flatMap((set) => set.migrations);
    expect(migrations.map((migration) => [migration.path, migration.captured === true])).toEqual([
      ['db/migrations/20240101000000_create_users.js', true],
      ['db/migrations/20240102000000_add_age.js', true],
      ['db/migrations/20240103000000_broken.js', false],
      ['db/migrations/20240104000000_add_city.js', true],
    ]);
    expect(at(result.value.findings, 'migrations/adding-required-field')).toEqual([['db/migrations/20240102000000_add_age.js', 5]]);
    const broken = result.value.notes.filter((note) => note.path === 'db/migrations/20240103000000_broken.js');
    expect(broken.map((note) => [note.kind, note.message.startsWith('db/migrations/20240103000000_broken.js:3:')])).toEqual([['skipped-file', true]]);
    // hasColumn() got no rows back (there is no database): the note says the SQL follows that branch.
    expect(result.value.notes.filter((note) => note.path === 'db/migrations/20240104000000_add_city.js').map((note) => note.kind)).toEqual(['info']);
    const city = migrations[3]?.up;
    expect(city?.parseText?.split('\n')).toEqual(['alter table "users" add column "city" text;', `update "users" set "city" = 'St. John''s';`, '']);
    expect(city?.generatedLines).toEqual([4, 7, 7]);
  });

  it('rehearses the captured SQL in order on PGlite, down migrations included', async () => {
    const root = fixture('knex-app');
    const linted = await lintMigrations(root, { runJs: true, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!linted.ok) throw new Error(linted.error.message);
    const rehearsal = await rehearseMigrations(linted.value.sets, { rows: 50 });
    if (!rehearsal.ok) throw new Error(rehearsal.error.message);
    expect(rehearsal.value.runs.map((run) => [run.migration.path, run.notRun === undefined, run.statements.length, run.reversibility?.missing.length])).toEqual([
      ['db/migrations/20240101000000_create_users.js', true, 1, 0],
      // nickname is added, then the NOT NULL age fails on the 50 filled rows.
      ['db/migrations/20240102000000_add_age.js', true, 1, undefined],
      ['db/migrations/20240103000000_broken.js', false, 0, undefined],
      // Captured inside knex.transaction: the column and the backfill.
      ['db/migrations/20240104000000_add_city.js', true, 2, 0],
    ]);
    expect(at(rehearsal.value.findings, 'migrations/rehearsal-failed')).toEqual([['db/migrations/20240102000000_add_age.js', 5]]);
  });

  it('kills a migration that hangs and names it', async () => {
    const root = fixture('knex-hang');
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    const started = performance.now();
    const outcome = await captureMigrations(sets.value, { root, runnerPath, tsHooksPath, fallbackFrom, timeoutMs: 1500 });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(outcome.failures.map((failure) => [failure.path, failure.kind])).toEqual([['migrations/20240101000000_hang.js', 'timeout']]);
    expect(outcome.captured).toBe(0);
  });

  it('does not fall back to shipready’s own knex: a project without it gets a note', async () => {
    const root = fixture('knex-hang');
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    const outcome = await captureMigrations(sets.value, { root, runnerPath, timeoutMs: 10_000 });
    expect(outcome.failures.map((failure) => [failure.path, failure.kind])).toEqual([['migrations/20240101000000_hang.js', 'missing-library']]);
  });
});

describe('capturing node-pg-migrate migrations', () => {
  it('captures pgm builder calls of ES module and TypeScript migrations and lints them at the call', async () => {
    const root = fixture('pgm-app');
    const result = await lintMigrations(root, { runJs: true, pgVersion: 16, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!result.ok) throw new Error(result.error.message);
    expect(at(result.value.findings, 'migrations/require-concurrent-index-creation')).toEqual([['migrations/1700000000001_posts-title-index.js', 3]]);
    // Transpiled with the project's typescript (its relative .ts import included); the inline source map keeps the .ts line.
    expect(at(result.value.findings, 'migrations/adding-required-field')).toEqual([['migrations/1700000000002_typed.ts', 5]]);
    const migrations = result.value.sets.flatMap((set) => set.migrations);
    expect(migrations.map((migration) => [migration.path, migration.captured === true, migration.down !== undefined])).toEqual([
      // No down export: node-pg-migrate reverses up (createTable → dropTable, addColumn → dropColumn).
      ['migrations/1700000000000_posts.js', true, true],
      ['migrations/1700000000001_posts-title-index.js', true, true],
      ['migrations/1700000000002_typed.ts', true, true],
    ]);
  });

  it('rehearses them and restores the schema with the derived and written downs', async () => {
    const root = fixture('pgm-app');
    const linted = await lintMigrations(root, { runJs: true, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!linted.ok) throw new Error(linted.error.message);
    const rehearsal = await rehearseMigrations(linted.value.sets, { rows: 50 });
    if (!rehearsal.ok) throw new Error(rehearsal.error.message);
    expect(rehearsal.value.runs.map((run) => [run.migration.path, run.error === undefined, run.reversibility])).toEqual([
      ['migrations/1700000000000_posts.js', true, { missing: [], extra: [] }],
      ['migrations/1700000000001_posts-title-index.js', true, { missing: [], extra: [] }],
      // NOT NULL without a default on the 50 filled rows fails, as it would in production.
      ['migrations/1700000000002_typed.ts', false, undefined],
    ]);
    expect(at(rehearsal.value.findings, 'migrations/rehearsal-failed')).toEqual([['migrations/1700000000002_typed.ts', 5]]);
  });
});

describe('without an explicit request', () => {
  it('never runs migration code: lint and the scan hook leave builder migrations uncaptured', async () => {
    const root = fixture('knex-app');
    const linted = await lintMigrations(root, { capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!linted.ok) throw new Error(linted.error.message);
    expect(linted.value.sets.flatMap((set) => set.migrations).filter((migration) => migration.captured === true)).toEqual([]);
    const scanned = await lintProjectMigrations(root, { runJs: true, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!scanned.ok) throw new Error(scanned.error.message);
    expect(scanned.value.findings).toEqual([]);
  });

  it('does not run TypeORM migrations either: builder migrations are only counted', async () => {
    const linted = await lintMigrations(fixture('typeorm-app'), { capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!linted.ok) throw new Error(linted.error.message);
    const migrations = linted.value.sets.flatMap((set) => set.migrations);
    expect(migrations.map((migration) => [migration.captured === true, migration.unconvertedCalls])).toEqual([
      [false, 0],
      [false, 2],
      [false, 2],
      [false, 2],
      [false, 2],
    ]);
    expect(linted.value.findings.map((finding) => finding.location?.kind === 'file' && finding.location.path).filter((path) => path !== file('1690000000000-Audit.ts'))).toEqual([]);
  });
});

describe('capturing TypeORM migrations', () => {
  let linted: MigrationLintResult;

  beforeAll(async () => {
    const result = await lintMigrations(fixture('typeorm-app'), { runJs: true, pgVersion: 16, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!result.ok) throw new Error(result.error.message);
    linted = result.value;
  }, 30_000);

  it('runs the set in order on a scratch PGlite and lints the statements each builder call sent, at the call', () => {
    const migrations = linted.sets.flatMap((set) => set.migrations);
    expect(migrations.map((migration) => [migration.path, migration.captured === true, migration.up !== undefined, migration.down !== undefined])).toEqual([
      // Literal-only: read statically, but also applied to the scratch database for the later ones.
      [file('1690000000000-Audit.ts'), false, true, true],
      [file('1700000000000-CreateUsers.ts'), true, true, true],
      [file('1700000000001-AddStatus.js'), true, true, true],
      [file('1700000000002-PostsAuthor.ts'), true, true, true],
      [file('1700000000003-Broken.ts'), false, false, false],
    ]);
    expect(at(linted.findings, 'migrations/require-concurrent-index-creation')).toEqual([[file('1700000000001-AddStatus.js'), 9]]);
    expect(at(linted.findings, 'migrations/adding-foreign-key-constraint')).toEqual([[file('1700000000002-PostsAuthor.ts'), 5]]);
    expect(at(linted.findings, 'migrations/adding-required-field')).toEqual([[file('1700000000002-PostsAuthor.ts'), 6]]);
    // Only what the migration sent: TypeORM's information_schema reads are left out, parameters are inlined.
    const status = migrations[2];
    expect(status?.up?.parseText?.split('\n')).toEqual([
      `ALTER TABLE "users" ADD "status" text NOT NULL DEFAULT 'active';`,
      `UPDATE "users" SET "status" = 'legacy' WHERE "email" LIKE '%@old.example';`,
      `CREATE INDEX "IDX_posts_user_id" ON "posts"  ("user_id");`,
      '',
    ]);
    expect(status?.up?.generatedLines).toEqual([7, 8, 9, 9]);
    expect(status?.down?.parseText?.split('\n')).toEqual([`DROP INDEX "public"."IDX_posts_user_id";`, `ALTER TABLE "users" DROP COLUMN "status";`, '']);
    // Line 7, not 6: addColumn on the Audit migration's table succeeded, so that migration was applied first.
    const broken = linted.notes.filter((note) => note.path === file('1700000000003-Broken.ts'));
    expect(broken.map((note) => [note.kind, note.message.startsWith(`${file('1700000000003-Broken.ts')}:7:`)])).toEqual([['skipped-file', true]]);
  });

  it('rehearses the captured SQL with the other migrations, down migrations included', async () => {
    const rehearsal = await rehearseMigrations(linted.sets, { rows: 50 });
    if (!rehearsal.ok) throw new Error(rehearsal.error.message);
    expect(rehearsal.value.runs.map((run) => [run.migration.path, run.notRun === undefined, run.error === undefined, run.statements.length, run.reversibility])).toEqual([
      [file('1690000000000-Audit.ts'), true, true, 1, { missing: [], extra: [] }],
      [file('1700000000000-CreateUsers.ts'), true, true, 2, { missing: [], extra: [] }],
      [file('1700000000001-AddStatus.js'), true, true, 3, { missing: [], extra: [] }],
      // NOT NULL without a default on the 50 filled rows fails, as it would in production.
      [file('1700000000002-PostsAuthor.ts'), true, false, 1, undefined],
      [file('1700000000003-Broken.ts'), false, true, 0, undefined],
    ]);
    expect(at(rehearsal.value.findings, 'migrations/rehearsal-failed')).toEqual([[file('1700000000002-PostsAuthor.ts'), 6]]);
  });

  it('does not fall back to shipready’s own typeorm or typescript: a project without them gets notes', async () => {
    const root = fixture('typeorm-app');
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    const outcome = await captureMigrations(sets.value, { root, runnerPath, tsHooksPath, timeoutMs: 10_000 });
    // The literal-only Audit migration is not in the failures: its SQL was read without running it.
    expect(outcome.failures.map((failure) => [failure.path, failure.kind])).toEqual([
      [file('1700000000000-CreateUsers.ts'), 'missing-library'],
      [file('1700000000001-AddStatus.js'), 'missing-library'],
      [file('1700000000002-PostsAuthor.ts'), 'missing-library'],
      [file('1700000000003-Broken.ts'), 'missing-library'],
    ]);
    // One note for the set, from the first migration that needed typeorm; no child runs after it.
    expect(outcome.notes.filter((note) => note.kind === 'skipped-file').map((note) => note.path)).toEqual(['src/migrations']);
    expect(outcome.captured).toBe(0);
  });
});

describe('capturing what TypeORM query runner methods send themselves', () => {
  it('records the TRUNCATE of clearTable and inlines array parameters as pg sends them', async () => {
    const root = fixture('typeorm-writes');
    const result = await lintMigrations(root, { runJs: true, pgVersion: 16, capture: { runnerPath, tsHooksPath, fallbackFrom } });
    if (!result.ok) throw new Error(result.error.message);
    const reset = result.value.sets.flatMap((set) => set.migrations).find((migration) => migration.path === file('1700000000001-ResetUsers.ts'));
    expect(reset?.captured).toBe(true);
    expect(reset?.up?.parseText?.split('\n')).toEqual([`DELETE FROM "users" WHERE "id" = ANY('{"1","2"}') AND "email" <> 'it''s';`, `TRUNCATE TABLE "users" CASCADE;`, '']);
    expect(reset?.up?.generatedLines).toEqual([5, 6, 6]);
    expect(at(result.value.findings, 'migrations/ban-truncate-cascade')).toEqual([[file('1700000000001-ResetUsers.ts'), 6]]);
    // The inlined array is a Postgres array literal: the statement runs in the rehearsal as it did through pg.
    const rehearsal = await rehearseMigrations(result.value.sets, { rows: 10 });
    if (!rehearsal.ok) throw new Error(rehearsal.error.message);
    expect(rehearsal.value.runs.map((run) => [run.migration.path, run.error === undefined])).toEqual([
      [file('1700000000000-CreateUsers.ts'), true],
      [file('1700000000001-ResetUsers.ts'), true],
    ]);
    expect(at(rehearsal.value.findings, 'migrations/rehearsal-failed')).toEqual([]);
  });
});

/** Windows serves the scratch database on 127.0.0.1: no socket directory to look at or to break. */
const onWindows = path.sep === '\\';

describe('the scratch database of a TypeORM set', () => {
  /** A project with a Knex set and a TypeORM set, so a TypeORM failure can be seen not to stop the Knex capture. */
  function mixedProject(name: string): string {
    const root = path.join(tmp, 'projects', name);
    cpSync(fixture('knex-app'), root, { recursive: true });
    cpSync(path.join(fixture('typeorm-writes'), 'src'), path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name, private: true, dependencies: { knex: '3.3.0', pg: '8.23.1', typeorm: '1.1.1' } }));
    return root;
  }

  it.skipIf(onWindows)('is served on a Unix socket in a private directory, removed afterwards', async () => {
    const root = fixture('typeorm-writes');
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    const parent = mkdtempSync(path.join(tmp, 'scratch-'));
    const seen: Array<[string, number, boolean]> = [];
    const onProgress = (): void => {
      for (const dir of readdirSync(parent)) {
        const socket = path.join(parent, dir, '.s.PGSQL.5432');
        seen.push([dir.replace(/-.*/, ''), statSync(path.join(parent, dir)).mode & 0o777, existsSync(socket) && statSync(socket).isSocket()]);
      }
    };
    const outcome = await captureMigrations(sets.value, { root, runnerPath, tsHooksPath, fallbackFrom, scratchParent: parent, onProgress });
    expect(outcome.captured).toBe(2);
    expect(seen).toEqual([
      ['shipready', 0o700, true],
      ['shipready', 0o700, true],
    ]);
    expect(readdirSync(parent)).toEqual([]);
  });

  it.skipIf(onWindows)('that cannot start leaves that set uncaptured with a note and failures, and the other sets are still captured', async () => {
    const root = mixedProject('mixed-no-scratch');
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    expect(sets.value.map((set) => set.framework).sort()).toEqual(['knex', 'typeorm']);
    // A file where a directory is expected: mkdtemp fails (ENOTDIR).
    const notADirectory = path.join(tmp, 'not-a-directory');
    writeFileSync(notADirectory, '');
    const outcome = await captureMigrations(sets.value, { root, runnerPath, tsHooksPath, fallbackFrom, scratchParent: notADirectory });
    expect(outcome.failures.filter((failure) => failure.path.startsWith('src/')).map((failure) => [failure.path, failure.kind])).toEqual([
      [file('1700000000000-CreateUsers.ts'), 'failed'],
      [file('1700000000001-ResetUsers.ts'), 'failed'],
    ]);
    expect(outcome.notes.filter((note) => note.kind === 'skipped-file' && note.path === 'src/migrations').length).toBe(1);
    expect(outcome.sets.flatMap((set) => set.migrations).filter((migration) => migration.captured === true).map((migration) => migration.path)).toEqual([
      'db/migrations/20240101000000_create_users.js',
      'db/migrations/20240102000000_add_age.js',
      'db/migrations/20240104000000_add_city.js',
    ]);
  });

  it.skipIf(onWindows)('removes its private directory when it fails after creating it', async () => {
    const root = fixture('typeorm-writes');
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    // Too long for a Unix socket path (Node would silently truncate it), so the start fails after mkdtemp.
    const parent = path.join(tmp, 'p'.repeat(120));
    mkdirSync(parent);
    const outcome = await captureMigrations(sets.value, { root, runnerPath, tsHooksPath, fallbackFrom, scratchParent: parent });
    expect(outcome.failures.map((failure) => [failure.path, failure.kind])).toEqual([
      [file('1700000000000-CreateUsers.ts'), 'failed'],
      [file('1700000000001-ResetUsers.ts'), 'failed'],
    ]);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('reports a pg that is installed but broken as a failure, not as missing', async () => {
    const root = path.join(tmp, 'projects', 'broken-pg');
    mkdirSync(path.join(root, 'migrations'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'typeorm'), { recursive: true });
    mkdirSync(path.join(root, 'node_modules', 'pg'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'broken-pg', private: true, type: 'module' }));
    writeFileSync(path.join(root, 'node_modules', 'typeorm', 'package.json'), JSON.stringify({ name: 'typeorm', version: '1.1.1', main: 'index.js' }));
    writeFileSync(path.join(root, 'node_modules', 'typeorm', 'index.js'), 'exports.DataSource = class DataSource {};\n');
    writeFileSync(path.join(root, 'node_modules', 'pg', 'package.json'), '{ "name": "pg", ');
    writeFileSync(
      path.join(root, 'migrations', '1700000000000-AddX.js'),
      "/** @implements {import('typeorm').MigrationInterface} */\nexport class AddX1700000000000 {\n  async up(queryRunner) {\n    await queryRunner.addColumn('t', {});\n  }\n}\n",
    );
    const sets = listMigrations(root);
    if (!sets.ok) throw new Error(sets.error.message);
    const outcome = await captureMigrations(sets.value, { root, runnerPath, tsHooksPath, timeoutMs: 10_000 });
    expect(outcome.failures.map((failure) => [failure.path, failure.kind])).toEqual([['migrations/1700000000000-AddX.js', 'failed']]);
  });
});
