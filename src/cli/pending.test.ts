import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, parseJson, runBin } from '../../test/helpers.js';
import { reportSchema } from '../core/report.js';

const MIGRATIONS = 'prisma/migrations';
const APPLIED = `${MIGRATIONS}/20240201000000_email_idx/migration.sql`;
const PENDING = `${MIGRATIONS}/20240301000000_name_idx/migration.sql`;

/** CI variables of the machine running the tests must not pick the base; each test sets its own. */
const NO_CI = { GITHUB_BASE_REF: '', CI_MERGE_REQUEST_DIFF_BASE_SHA: '', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: '' };

let tree: { dir: string; cleanup: () => void };

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: tree.dir,
    stdio: 'ignore',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

beforeAll(() => {
  tree = makeTree({
    'package.json': JSON.stringify({ name: 'app', version: '1.0.0' }),
    [`${MIGRATIONS}/migration_lock.toml`]: 'provider = "postgresql"\n',
    [`${MIGRATIONS}/20240101000000_init/migration.sql`]: 'CREATE TABLE "users" ("id" TEXT NOT NULL PRIMARY KEY, "email" TEXT, "name" TEXT);\n',
    [APPLIED]: 'CREATE INDEX "users_email_idx" ON "users"("email");\n',
  });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'history');
  git('checkout', '-q', '-b', 'feature');
  mkdirSync(path.dirname(path.join(tree.dir, PENDING)), { recursive: true });
  writeFileSync(path.join(tree.dir, PENDING), 'CREATE INDEX "users_name_idx" ON "users"("name");\n');
  git('add', '.');
  git('commit', '-qm', 'name index');
});
afterAll(() => tree.cleanup());

const INDEX_RULE = 'migrations/require-concurrent-index-creation';

async function indexFindings(args: readonly string[], env: Record<string, string> = {}): Promise<Array<[string, string, string, number]>> {
  const result = await runBin([...args, tree.dir, '--format', 'json', '--fail-on', 'none'], { env: { ...NO_CI, ...env } });
  expect(result.code).toBe(0);
  return reportSchema
    .parse(parseJson(result.stdout))
    .findings.filter((finding) => finding.ruleId === INDEX_RULE)
    .map((finding) => [finding.messageId, finding.severity, finding.location?.kind === 'file' ? finding.location.path : '', finding.location?.kind === 'file' ? (finding.location.line ?? 0) : 0]);
}

describe('pending migrations from the CLI', () => {
  it('scan reports the branch\'s migration in full and folds the applied one into a low history finding', async () => {
    expect(await indexFindings(['scan'])).toEqual([
      ['nonConcurrent', 'high', PENDING, 1],
      ['history', 'low', APPLIED, 1],
    ]);
  });

  it('scan --since and GITHUB_BASE_REF choose the base; a base at HEAD leaves nothing pending', async () => {
    expect(await indexFindings(['scan', '--since', 'HEAD'])).toEqual([['history', 'low', PENDING, 1]]);
    expect(await indexFindings(['scan'], { GITHUB_BASE_REF: 'feature' })).toEqual([['history', 'low', PENDING, 1]]);
    expect(await indexFindings(['migrations', '--since', 'main'])).toEqual([
      ['nonConcurrent', 'high', PENDING, 1],
      ['history', 'low', APPLIED, 1],
    ]);
  });

  it('--all-migrations reports every migration one by one, in scan and migrations', async () => {
    const expected = [
      ['nonConcurrent', 'high', APPLIED, 1],
      ['nonConcurrent', 'high', PENDING, 1],
    ];
    expect(await indexFindings(['scan', '--all-migrations'])).toEqual(expected);
    expect(await indexFindings(['migrations', '--all-migrations', '--since', 'HEAD'])).toEqual(expected);
  });

  it('marks each migration pending or applied in the listing', async () => {
    const result = await runBin(['migrations', tree.dir, '--format', 'json', '--fail-on', 'none'], { env: NO_CI });
    const listing = reportSchema.parse(parseJson(result.stdout)).sections.find((section) => section.id === 'migrations');
    const lines = (listing?.lines ?? []).filter((line) => line.includes('migration.sql')).map((line) => line.trim().split(/\s+/).slice(1));
    expect(lines.map(([id, , state]) => [id, state])).toEqual([
      ['20240101000000_init', '[applied]'],
      ['20240201000000_email_idx', '[applied]'],
      ['20240301000000_name_idx', '[pending]'],
    ]);
  });

  it('refuses an unknown --since ref on scan with exit 2', async () => {
    const result = await runBin(['scan', tree.dir, '--since', 'no-such-ref'], { env: NO_CI });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
