import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRules } from '../core/engine.js';
import envFileCommitted from '../rules/security/env-file-committed.js';
import { trackedFiles } from './git.js';
import { Project } from './project.js';

const SECRET_LINE = 'JWT_SECRET=9c1f4e7a2b8d6035e1a7c4f9b2d8e6a3\n';

describe('trackedFiles', () => {
  let repo: string;
  beforeAll(() => {
    // A throwaway repository: `.env` is staged (tracked), `.env.production` exists but is not.
    repo = mkdtempSync(path.join(tmpdir(), 'shipready-git-'));
    execFileSync('git', ['init', '--quiet'], { cwd: repo });
    writeFileSync(path.join(repo, '.env'), SECRET_LINE);
    writeFileSync(path.join(repo, '.env.production'), SECRET_LINE);
    mkdirSync(path.join(repo, 'api'));
    writeFileSync(path.join(repo, 'api', '.env'), SECRET_LINE);
    execFileSync('git', ['add', '.env'], { cwd: repo });
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('lists only the tracked files at the top of a work tree', () => {
    const result = trackedFiles(repo, ['.env', '.env.production', 'api/.env']);
    expect(result).toEqual({ ok: true, value: new Set(['.env']) });
  });

  it('refuses to answer for a folder inside a repository or outside any', () => {
    expect(trackedFiles(path.join(repo, 'api'), ['.env'])).toMatchObject({ ok: false, error: { code: 'NOT_A_REPOSITORY' } });
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
    expect(outcome.findings.map((finding) => (finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line ?? ''}` : ''))).toEqual(['.env:1']);
  });
});
