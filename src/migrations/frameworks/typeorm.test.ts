import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintMigrations, lintProjectMigrations } from '../index.js';
import { countRuntimeCalls } from './typeorm.js';

/** A literal-only migration behind a read-only guard: its SQL is complete without running it. */
const GUARDED = [
  "import { MigrationInterface, QueryRunner } from 'typeorm';",
  'export class UsersXIndex1700000000000 implements MigrationInterface {',
  '  public async up(queryRunner: QueryRunner): Promise<void> {',
  "    if (!(await queryRunner.hasColumn('users', 'x'))) return;",
  "    if (!(await queryRunner.hasTable('users')) || (await queryRunner.getTable('users')) === undefined) return;",
  '    await queryRunner.query(`CREATE INDEX "i" ON "users" ("x")`);',
  '  }',
  '  public async down(queryRunner: QueryRunner): Promise<void> {',
  '    await queryRunner.query(`DROP INDEX "i"`);',
  '  }',
  '}',
].join('\n');

const projects: string[] = [];
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

describe('TypeORM calls that build SQL at run time', () => {
  it('counts query runner builders, manager use and computed query() SQL on up’s first parameter, not literal queries', () => {
    const text = [
      "import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';",
      'export class Mixed1700000000000 implements MigrationInterface {',
      '  public async up(runner: QueryRunner): Promise<void> {',
      "    await runner.query(`CREATE TABLE \"a\" (\"id\" int)`);",
      "    await runner.addColumn('a', new TableColumn({ name: 'b', type: 'text' }));",
      "    await runner.query(`UPDATE \"a\" SET \"b\" = '${'x'}'`);",
      "    await runner.manager.createQueryBuilder().update('a').set({ b: 'y' }).execute();",
      '    await runner.startTransaction();',
      "    await other.createTable(new Table({ name: 'c' }));",
      '  }',
      '  public async down(runner: QueryRunner): Promise<void> {',
      "    await runner.dropColumn('a', 'b');",
      '  }',
      '}',
    ].join('\n');
    expect(countRuntimeCalls('m.ts', text)).toBe(3);
  });

  it('counts nothing in a migration made of literal queries', () => {
    const text = "export class Init { async up(queryRunner) { await queryRunner.query('CREATE TABLE t (id int)'); } }";
    expect(countRuntimeCalls('m.js', text)).toBe(0);
  });

  it('does not count read-only guards and lookups (hasColumn, hasTable, getTable…)', () => {
    expect(countRuntimeCalls('m.ts', GUARDED)).toBe(0);
    // clearTable sends a TRUNCATE of its own: it is no guard.
    expect(countRuntimeCalls('m.ts', GUARDED.replace("queryRunner.hasTable('users')", "queryRunner.clearTable('users')"))).toBe(1);
  });

  it('lints a guarded literal migration without running it, in lint and in scan', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'shipready-typeorm-'));
    projects.push(root);
    mkdirSync(path.join(root, 'src/migrations'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'guarded', private: true, dependencies: { typeorm: '1.1.1' } }));
    writeFileSync(path.join(root, 'src/migrations/1700000000000-UsersXIndex.ts'), GUARDED);
    const where = (findings: ReadonlyArray<{ ruleId: string; location?: { kind: string; path?: string; line?: number } | undefined }>): unknown[] =>
      findings.filter((finding) => finding.ruleId === 'migrations/require-concurrent-index-creation').map((finding) => [finding.location?.path, finding.location?.line]);
    const linted = await lintMigrations(root, { pgVersion: 16 });
    if (!linted.ok) throw new Error(linted.error.message);
    expect(where(linted.value.findings)).toEqual([['src/migrations/1700000000000-UsersXIndex.ts', 6]]);
    const scanned = await lintProjectMigrations(root, { pgVersion: 16 });
    if (!scanned.ok) throw new Error(scanned.error.message);
    expect(where(scanned.value.findings)).toEqual([['src/migrations/1700000000000-UsersXIndex.ts', 6]]);
  });
});

describe('TypeORM migrations that leave the run’s transaction', () => {
  /** The TypeORM idiom for CREATE INDEX CONCURRENTLY: commit the run's transaction, build, start a new one. */
  type LeaveBy = 'commitTransaction' | 'raw COMMIT' | 'nothing';
  const concurrentIndex = (leaveBy: LeaveBy): string =>
    [
      "import { MigrationInterface, QueryRunner } from 'typeorm';",
      'export class UsersEmailIndex1700000000000 implements MigrationInterface {',
      '  public async up(queryRunner: QueryRunner): Promise<void> {',
      {
        commitTransaction: '    await queryRunner.commitTransaction();',
        'raw COMMIT': "    await queryRunner.query('COMMIT');",
        nothing: '    // no commit: the index is built inside the run’s transaction',
      }[leaveBy],
      '    await queryRunner.query(`CREATE INDEX CONCURRENTLY "users_email_idx" ON "users" ("email")`);',
      { commitTransaction: '    await queryRunner.startTransaction();', 'raw COMMIT': "    await queryRunner.query('BEGIN');", nothing: '' }[leaveBy],
      '  }',
      '  public async down(queryRunner: QueryRunner): Promise<void> {',
      '    await queryRunner.query(`DROP INDEX "users_email_idx"`);',
      '  }',
      '}',
    ].join('\n');

  /** Findings of the transaction rules, as [rule id, line]. */
  async function transactionFindings(text: string): Promise<unknown[]> {
    const root = mkdtempSync(path.join(tmpdir(), 'shipready-typeorm-'));
    projects.push(root);
    mkdirSync(path.join(root, 'src/migrations'), { recursive: true });
    writeFileSync(path.join(root, 'src/migrations/1700000000000-UsersEmailIndex.ts'), text);
    const linted = await lintMigrations(root, { pgVersion: 16 });
    if (!linted.ok) throw new Error(linted.error.message);
    const transactionRules = ['migrations/ban-concurrent-index-creation-in-transaction', 'migrations/transaction-nesting', 'migrations/ban-uncommitted-transaction'];
    return linted.value.findings.filter((finding) => transactionRules.includes(finding.ruleId)).map((finding) => [finding.ruleId, finding.location?.kind === 'file' ? finding.location.line : 0]);
  }

  it('does not report CONCURRENTLY after queryRunner.commitTransaction()', async () => {
    expect(await transactionFindings(concurrentIndex('commitTransaction'))).toEqual([]);
  });

  it('does not report CONCURRENTLY after a COMMIT sent with queryRunner.query(), nor the BEGIN that reopens the run’s transaction', async () => {
    expect(await transactionFindings(concurrentIndex('raw COMMIT'))).toEqual([]);
  });

  it('still reports CONCURRENTLY inside the run’s transaction', async () => {
    expect(await transactionFindings(concurrentIndex('nothing'))).toEqual([['migrations/ban-concurrent-index-creation-in-transaction', 5]]);
  });
});
