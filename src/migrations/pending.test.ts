import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../core/report.js';
import type { GitEnvironment } from '../project/git.js';
import { lintMigrations } from './index.js';
import { dateFromId } from './lint/history.js';

const MIGRATIONS = 'prisma/migrations';
const HISTORY: Record<string, string> = {
  [`${MIGRATIONS}/migration_lock.toml`]: 'provider = "postgresql"\n',
  [`${MIGRATIONS}/20240101000000_init/migration.sql`]: 'CREATE TABLE "users" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT);\nCREATE TABLE "orders" ("id" TEXT NOT NULL PRIMARY KEY, "user_id" TEXT);\n',
  [`${MIGRATIONS}/20240201000000_email_idx/migration.sql`]: 'CREATE INDEX "users_email_idx" ON "users"("email");\n',
  [`${MIGRATIONS}/20240301000000_orders_user/migration.sql`]:
    'CREATE INDEX "orders_user_id_idx" ON "orders"("user_id");\n\nALTER TABLE "orders" ADD CONSTRAINT "orders_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id");\n',
};
const PENDING = `${MIGRATIONS}/20240401000000_shop/migration.sql`;
const PENDING_SQL = 'ALTER TABLE "orders" ADD COLUMN "shop_id" TEXT NOT NULL;\n\nALTER TABLE "orders" ADD CONSTRAINT "orders_shop_id_fkey" FOREIGN KEY ("shop_id") REFERENCES "users"("id");\n';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** The run's environment as the CLI would pass it, without the CI variables of the machine running the tests. */
const ENV: GitEnvironment = { PATH: process.env['PATH'] };

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function git(root: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/** A repository whose main branch holds the Prisma history, checked out on main. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), 'shipready-pending-'));
  roots.push(root);
  write(root, HISTORY);
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-qm', 'history');
  return root;
}

function commit(root: string, files: Record<string, string>, message: string): void {
  write(root, files);
  git(root, 'add', '.');
  git(root, 'commit', '-qm', message);
}

const where = (finding: Finding): [string, string, number] => [finding.ruleId, finding.location?.kind === 'file' ? finding.location.path : '', finding.location?.kind === 'file' ? (finding.location.line ?? 0) : 0];
const history = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => finding.messageId === 'history');
const perFile = (findings: readonly Finding[]): Finding[] => findings.filter((finding) => finding.messageId !== 'history');

async function lint(root: string, options: Parameters<typeof lintMigrations>[1] = {}) {
  const result = await lintMigrations(root, { env: ENV, ...options });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('pending and applied migrations', () => {
  it('gives the applied history at most one low finding per rule, at its newest offending statement', async () => {
    const result = await lint(repository());
    expect(result.pending).toEqual(new Set());
    expect(perFile(result.findings)).toEqual([]);
    const ids = result.findings.map((finding) => finding.ruleId);
    expect(ids.length).toBe(new Set(ids).size);
    expect(result.findings.every((finding) => finding.severity === 'low')).toBe(true);
    expect(result.findings.filter((finding) => ['migrations/require-concurrent-index-creation', 'migrations/require-lock-timeout'].includes(finding.ruleId)).map(where).sort()).toEqual([
      ['migrations/require-concurrent-index-creation', `${MIGRATIONS}/20240301000000_orders_user/migration.sql`, 1],
      ['migrations/require-lock-timeout', `${MIGRATIONS}/20240301000000_orders_user/migration.sql`, 1],
    ]);
  });

  it('reports a migration added on a branch in full, and only that one', async () => {
    const root = repository();
    git(root, 'checkout', '-q', '-b', 'feature');
    commit(root, { [PENDING]: PENDING_SQL }, 'shop');
    const result = await lint(root);
    expect([...result.pending]).toEqual([PENDING]);
    expect(new Set(perFile(result.findings).map((finding) => where(finding)[1]))).toEqual(new Set([PENDING]));
    expect(perFile(result.findings).map(where)).toEqual(
      expect.arrayContaining([
        ['migrations/adding-required-field', PENDING, 1],
        ['migrations/adding-foreign-key-constraint', PENDING, 3],
        ['migrations/foreign-key-missing-index', PENDING, 3],
        ['migrations/require-lock-timeout', PENDING, 1],
      ]),
    );
    // The history keeps its one summary per rule, and its foreign key is indexed: no summary for that rule.
    expect(history(result.findings).map((finding) => finding.ruleId)).toContain('migrations/require-concurrent-index-creation');
    expect(history(result.findings).map((finding) => finding.ruleId)).not.toContain('migrations/foreign-key-missing-index');
    expect(result.sections[0]?.data).toMatchObject([{ migrations: [{ pending: false }, { pending: false }, { pending: false }, { pending: true }] }]);
  });

  it('counts untracked and uncommitted migrations as pending', async () => {
    const root = repository();
    write(root, { [PENDING]: PENDING_SQL, [`${MIGRATIONS}/20240201000000_email_idx/migration.sql`]: 'CREATE INDEX "users_email_idx" ON "users"("email", "id");\n' });
    const result = await lint(root);
    expect([...result.pending].sort()).toEqual([`${MIGRATIONS}/20240201000000_email_idx/migration.sql`, PENDING]);
    expect(perFile(result.findings).map(where)).toContainEqual(['migrations/require-concurrent-index-creation', `${MIGRATIONS}/20240201000000_email_idx/migration.sql`, 1]);
  });

  it('reports every migration one by one with allMigrations', async () => {
    const result = await lint(repository(), { allMigrations: true });
    expect(history(result.findings)).toEqual([]);
    expect(result.findings.filter((finding) => finding.ruleId === 'migrations/require-concurrent-index-creation').map(where)).toEqual([
      ['migrations/require-concurrent-index-creation', `${MIGRATIONS}/20240201000000_email_idx/migration.sql`, 1],
      ['migrations/require-concurrent-index-creation', `${MIGRATIONS}/20240301000000_orders_user/migration.sql`, 1],
    ]);
  });

  it('takes the base from GITHUB_BASE_REF, or --since, over the default branch', async () => {
    const root = repository();
    const release = `${MIGRATIONS}/20240315000000_release/migration.sql`;
    git(root, 'checkout', '-q', '-b', 'develop');
    commit(root, { [release]: 'ALTER TABLE "users" ADD COLUMN "name" TEXT;\n' }, 'release');
    git(root, 'checkout', '-q', '-b', 'feature');
    commit(root, { [PENDING]: PENDING_SQL }, 'shop');
    expect([...(await lint(root)).pending].sort()).toEqual([release, PENDING]);
    expect([...(await lint(root, { env: { ...ENV, GITHUB_BASE_REF: 'develop' } })).pending]).toEqual([PENDING]);
    expect([...(await lint(root, { since: 'develop' })).pending]).toEqual([PENDING]);
  });

  it('treats every migration as applied outside git, and says how to list them all', async () => {
    const root = mkdtempSync(join(tmpdir(), 'shipready-no-git-'));
    roots.push(root);
    write(root, HISTORY);
    const result = await lint(root);
    expect(perFile(result.findings)).toEqual([]);
    expect(history(result.findings).length).toBeGreaterThan(0);
    expect(result.notes.some((note) => note.kind === 'info' && note.message.includes('--all-migrations'))).toBe(true);
    const unknown = await lintMigrations(root, { env: ENV, since: 'main' });
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('USAGE');
  });
});

describe('dateFromId', () => {
  it('reads timestamps from migration ids and nothing from sequence numbers', () => {
    expect(['20260820130000_add_footer', '2024_01_15_120000_users', '1700000000000-Init', '0003_add_index', '19_add_session_replay'].map(dateFromId)).toEqual([
      '2026-08-20',
      '2024-01-15',
      '2023-11-14',
      undefined,
      undefined,
    ]);
  });
});
