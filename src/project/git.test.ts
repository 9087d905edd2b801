import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../../test/helpers.js';
import { runRules } from '../core/engine.js';
import envFileCommitted from '../rules/security/env-file-committed.js';
import { resolveChanges } from './changes.js';
import { GitRepository, gitEnvironment, runGit, runGitAsync, trackedFiles } from './git.js';
import { Project } from './project.js';

const SECRET_LINE = 'JWT_SECRET=9c1f4e7a2b8d6035e1a7c4f9b2d8e6a3\n';

/** Git as a user would run it in a test set-up, never reading the machine's own config. */
function gitInTest(cwd: string, args: readonly string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
}

describe('trackedFiles', () => {
  let repo: string;
  beforeAll(() => {
    // A throwaway repository: `.env` and `api/.env` are staged (tracked), `.env.production` exists but is not.
    repo = mkdtempSync(path.join(tmpdir(), 'shipready-git-'));
    gitInTest(repo, ['init', '--quiet']);
    writeFileSync(path.join(repo, '.env'), SECRET_LINE);
    writeFileSync(path.join(repo, '.env.production'), SECRET_LINE);
    mkdirSync(path.join(repo, 'api'));
    writeFileSync(path.join(repo, 'api', '.env'), SECRET_LINE);
    writeFileSync(path.join(repo, 'api', '.env.local'), SECRET_LINE);
    gitInTest(repo, ['add', '.env', 'api/.env']);
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('lists only the tracked files at the top of a work tree', () => {
    const result = trackedFiles(repo, ['.env', '.env.production', 'api/.env']);
    expect(result).toEqual({ ok: true, value: new Set(['.env', 'api/.env']) });
  });

  it('answers for a sub-folder from the repository that holds it, with folder-relative paths', () => {
    expect(trackedFiles(path.join(repo, 'api'), ['.env', '.env.local'])).toEqual({ ok: true, value: new Set(['.env']) });
    const opened = GitRepository.open(path.join(repo, 'api'), process.env);
    expect(opened.ok && opened.value.prefix).toBe('api');
  });

  it('says so outside any repository', () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'shipready-nogit-'));
    try {
      expect(trackedFiles(plain, ['.env'])).toMatchObject({ ok: false, error: { code: 'NOT_A_REPOSITORY' } });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('lets security/env-file-committed report the tracked .env only', async () => {
    const opened = Project.open(repo);
    if (!opened.ok) throw new Error(opened.error.message);
    const outcome = await runRules([envFileCommitted], opened.value, opened.value, { docsBaseUrl: '', settings: new Map() });
    expect(outcome.findings.map((finding) => (finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line ?? ''}` : ''))).toEqual(['.env:1', 'api/.env:1']);
  });
});

describe('gitEnvironment', () => {
  it('drops the caller’s GIT_* variables and reads no system or global config', () => {
    const env = gitEnvironment({ PATH: '/usr/bin', GIT_DIR: '/elsewhere', GIT_EXTERNAL_DIFF: 'evil', HOME: '/home/u' });
    expect(env['GIT_DIR']).toBeUndefined();
    expect(env['GIT_EXTERNAL_DIFF']).toBeUndefined();
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/u', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_OPTIONAL_LOCKS: '0' });
  });
});

/**
 * A repository that tries every way a repository can make git run a program of its choosing: each planted
 * command creates a marker file in `markers`.
 */
function plantHostileRepository(markers: string): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'shipready-hostile-git-'));
  const touch = (name: string): string => `touch '${path.join(markers, name)}'`;
  gitInTest(repo, ['init', '--quiet', '--initial-branch=main']);
  mkdirSync(path.join(repo, 'prisma', 'migrations', '20240101000000_init'), { recursive: true });
  writeFileSync(path.join(repo, 'prisma', 'migrations', '20240101000000_init', 'migration.sql'), 'CREATE TABLE users (id int PRIMARY KEY);\n');
  writeFileSync(path.join(repo, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n');
  writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'hostile', dependencies: { express: '4.0.0' }, scripts: { start: 'node index.js' } }));
  writeFileSync(path.join(repo, 'index.js'), "const app = require('express')();\napp.listen(3000);\n");
  writeFileSync(path.join(repo, '.gitattributes'), '* filter=evil diff=evil\n');
  gitInTest(repo, ['add', '.']);
  gitInTest(repo, ['commit', '--quiet', '-m', 'init']);
  gitInTest(repo, ['checkout', '--quiet', '-b', 'feature']);
  mkdirSync(path.join(repo, 'prisma', 'migrations', '20240201000000_next'));
  writeFileSync(path.join(repo, 'prisma', 'migrations', '20240201000000_next', 'migration.sql'), 'CREATE INDEX users_id ON users (id);\n');
  gitInTest(repo, ['add', '.']);
  gitInTest(repo, ['commit', '--quiet', '-m', 'next']);
  // Uncommitted work of every kind, so that every code path that compares the work tree runs.
  writeFileSync(path.join(repo, 'prisma', 'migrations', '20240101000000_init', 'migration.sql'), 'CREATE TABLE users (id bigint PRIMARY KEY);\n');
  writeFileSync(path.join(repo, 'index.js'), "const app = require('express')();\napp.listen(3001);\n");
  gitInTest(repo, ['add', 'index.js']);
  writeFileSync(path.join(repo, 'untracked.js'), 'module.exports = 1;\n');

  const hooks = path.join(repo, 'evil-hooks');
  mkdirSync(hooks);
  for (const hook of ['pre-commit', 'post-checkout', 'post-index-change', 'reference-transaction', 'fsmonitor-watchman', 'pre-auto-gc', 'post-rewrite']) {
    for (const dir of [hooks, path.join(repo, '.git', 'hooks')]) {
      writeFileSync(path.join(dir, hook), `#!/bin/sh\n${touch(`hook-${hook}`)}\n`);
      chmodSync(path.join(dir, hook), 0o755);
    }
  }
  const included = path.join(repo, 'included.gitconfig');
  writeFileSync(included, `[core]\n\tpager = ${touch('included-pager')}\n`);
  const config = [
    '[include]',
    `\tpath = ${included}`,
    '[core]',
    `\tfsmonitor = "${touch('fsmonitor')}; echo"`,
    `\thooksPath = ${hooks}`,
    `\tpager = ${touch('pager')}`,
    `\tsshCommand = ${touch('ssh')}`,
    `\talternateRefsCommand = ${touch('alternate-refs')}`,
    '\tuntrackedCache = true',
    '[diff]',
    `\texternal = ${touch('diff-external')}`,
    '[diff "evil"]',
    `\ttextconv = ${touch('textconv')}; cat`,
    `\tcommand = ${touch('diff-driver')}`,
    '[filter "evil"]',
    `\tclean = ${touch('filter-clean')}; cat`,
    `\tsmudge = ${touch('filter-smudge')}; cat`,
    `\tprocess = ${touch('filter-process')}`,
    '\trequired = true',
    '[log]',
    '\tshowSignature = true',
    '[gpg]',
    `\tprogram = ${touch('gpg')}`,
    '[pager]',
    `\tlog = ${touch('pager-log')}`,
    `\tdiff = ${touch('pager-diff')}`,
    '[credential]',
    `\thelper = !${touch('credential')}`,
    '[remote "origin"]',
    `\turl = ext::sh -c ${touch('ext-transport').replace(/ /g, '% ')}`,
    '\tpromisor = true',
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '[extensions]',
    '\tpartialClone = origin',
  ].join('\n');
  writeFileSync(path.join(repo, '.git', 'config'), `${readFileSync(path.join(repo, '.git', 'config'), 'utf8')}\n${config}\n`);
  return repo;
}

describe('the planted repository (control)', () => {
  it('does run programs when plain git reads it, so the tests below can fail', () => {
    const markers = mkdtempSync(path.join(tmpdir(), 'shipready-markers-'));
    const repo = plantHostileRepository(markers);
    try {
      const plain = (args: readonly string[]): void => {
        try {
          execFileSync('git', [...args], { cwd: repo, stdio: 'ignore', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, timeout: 10_000 });
        } catch {
          // A planted program that fails makes git fail too; only whether it ran matters here.
        }
      };
      plain(['status']);
      plain(['diff', 'HEAD']);
      plain(['log', '-1']);
      // With the failing filter process out of the way, the external diff runs too.
      plain(['-c', 'filter.evil.process=', '-c', 'filter.evil.required=false', 'diff', 'HEAD']);
      expect(readdirSync(markers).sort()).toEqual(expect.arrayContaining(['diff-driver', 'filter-process', 'fsmonitor']));
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(markers, { recursive: true, force: true });
    }
  });
});

describe('a hostile repository', () => {
  let repo: string;
  let markers: string;
  beforeAll(() => {
    markers = mkdtempSync(path.join(tmpdir(), 'shipready-markers-'));
    repo = plantHostileRepository(markers);
  });
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(markers, { recursive: true, force: true });
  });

  it('runs none of its programs while the library reads tracking and changes', async () => {
    const opened = GitRepository.open(repo, process.env);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const repository = opened.value;
    expect(repository.trackedFiles().ok).toBe(true);
    expect(repository.untrackedFiles()).toEqual({ ok: true, value: new Set(['evil-hooks/fsmonitor-watchman', 'evil-hooks/post-checkout', 'evil-hooks/post-index-change', 'evil-hooks/post-rewrite', 'evil-hooks/pre-auto-gc', 'evil-hooks/pre-commit', 'evil-hooks/reference-transaction', 'included.gitconfig', 'untracked.js']) });
    const changes = resolveChanges(repo, {
      env: process.env,
      candidates: ['prisma/migrations/20240101000000_init/migration.sql', 'prisma/migrations/20240201000000_next/migration.sql', 'index.js', 'untracked.js'],
      readFile: (local) => readFileSync(path.join(repo, local)),
    });
    expect(changes.ok && changes.value.ok).toBe(true);
    if (changes.ok && changes.value.ok) {
      expect(changes.value.value.base?.ref).toBe('main');
      expect([...changes.value.value.committed].sort()).toEqual(['prisma/migrations/20240201000000_next/migration.sql']);
      expect([...changes.value.value.uncommitted].sort()).toEqual(['index.js', 'prisma/migrations/20240101000000_init/migration.sql', 'untracked.js']);
    }
    expect((await repository.lastCommitDates(['prisma/migrations/20240201000000_next/migration.sql'])).size).toBe(1);
    expect(readdirSync(markers)).toEqual([]);
  });

  it('runs none of its programs during `shipready scan` and `shipready migrations`', async () => {
    const scanned = await runBin(['scan', repo, '--format', 'json', '--fail-on', 'none']);
    expect(scanned.code).toBe(0);
    const linted = await runBin(['migrations', repo, '--format', 'json', '--fail-on', 'none']);
    expect(linted.code).toBe(0);
    expect(readdirSync(markers)).toEqual([]);
    expect(existsSync(path.join(repo, '.git', 'index.lock'))).toBe(false);
  });
});

describe('resolveChanges with a lost index', () => {
  it('counts an untracked file that HEAD holds unchanged as committed, and an edited or new one as uncommitted', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'shipready-lost-index-'));
    try {
      mkdirSync(path.join(repo, 'migrations'));
      writeFileSync(path.join(repo, 'migrations', '001_a.sql'), 'CREATE TABLE a (id bigint);\n');
      writeFileSync(path.join(repo, 'migrations', '002_b.sql'), 'CREATE TABLE b (id bigint);\n');
      gitInTest(repo, ['init', '--quiet', '-b', 'main']);
      gitInTest(repo, ['add', '.']);
      gitInTest(repo, ['commit', '--quiet', '-m', 'init']);
      // An emptied index, as some copies of a clone have: every file reads as untracked.
      gitInTest(repo, ['rm', '--quiet', '--cached', '-r', '.']);
      writeFileSync(path.join(repo, 'migrations', '002_b.sql'), 'CREATE TABLE b (id bigint, name text);\n');
      writeFileSync(path.join(repo, 'migrations', '003_c.sql'), 'CREATE TABLE c (id bigint);\n');
      const changes = resolveChanges(repo, {
        env: process.env,
        candidates: ['migrations/001_a.sql', 'migrations/002_b.sql', 'migrations/003_c.sql'],
        readFile: (local) => readFileSync(path.join(repo, local)),
      });
      expect(changes.ok && changes.value.ok ? [...changes.value.value.uncommitted].sort() : changes).toEqual(['migrations/002_b.sql', 'migrations/003_c.sql']);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('runGit and runGitAsync', () => {
  let repo: string;
  let plain: string;
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'shipready-git-async-'));
    gitInTest(repo, ['init', '--quiet']);
    plain = mkdtempSync(path.join(tmpdir(), 'shipready-not-git-'));
  });
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(plain, { recursive: true, force: true });
  });

  it('answer alike: the output, a folder outside any repository, no git on PATH', async () => {
    const inRepo = [runGit(repo, ['rev-parse', '--is-inside-work-tree'], process.env), await runGitAsync(repo, ['rev-parse', '--is-inside-work-tree'], process.env)];
    expect(inRepo.map((result) => (result.ok ? result.value.trim() : result.error.code))).toEqual(['true', 'true']);
    const outside = [runGit(plain, ['rev-parse', '--show-toplevel'], { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(plain) }), await runGitAsync(plain, ['rev-parse', '--show-toplevel'], process.env)];
    expect(outside.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual(['NOT_A_REPOSITORY', 'NOT_A_REPOSITORY']);
    const noGit = [runGit(repo, ['status'], { PATH: plain }), await runGitAsync(repo, ['status'], { PATH: plain })];
    expect(noGit.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual(['GIT_NOT_INSTALLED', 'GIT_NOT_INSTALLED']);
  });
});
