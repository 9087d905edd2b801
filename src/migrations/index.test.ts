import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintMigrations, lintProjectMigrations, listMigrations } from './index.js';
import { detectPgVersion } from './pg-version.js';

const root = mkdtempSync(join(tmpdir(), 'shipready-migrations-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe('detectPgVersion', () => {
  it('reads the compose image tag, then CI service images, then defaults to 16', () => {
    write('compose/docker-compose.yml', 'services:\n  db:\n    image: "postgres:14.5-alpine"\n');
    write('ci/.github/workflows/test.yml', 'jobs:\n  t:\n    services:\n      pg:\n        image: pgvector/pgvector:pg17\n');
    write('none/README.md', '# app');
    expect(detectPgVersion(join(root, 'compose'))).toMatchObject({ major: 14, source: expect.stringContaining('docker-compose.yml') });
    expect(detectPgVersion(join(root, 'ci'))).toMatchObject({ major: 17, source: expect.stringContaining('.github/workflows/test.yml') });
    expect(detectPgVersion(join(root, 'none')).major).toBe(16);
  });
});

describe('library API', () => {
  it('lintProjectMigrations contributes nothing (and no applied rules) to a repo without migrations', async () => {
    const result = await lintProjectMigrations(join(root, 'none'));
    expect(result).toEqual({ ok: true, value: { findings: [], rules: [], applied: new Set(), notes: [] } });
  });

  it('notes a drizzle journal entry whose file is missing', async () => {
    write('drizzle-app/drizzle/meta/_journal.json', JSON.stringify({ entries: [{ idx: 0, tag: '0000_a' }, { idx: 1, tag: '0001_gone' }] }));
    write('drizzle-app/drizzle/0000_a.sql', 'CREATE TABLE a (id bigint PRIMARY KEY);\n');
    const result = await lintProjectMigrations(join(root, 'drizzle-app'));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.notes.filter((note) => note.kind === 'skipped-file').map((note) => [note.path, note.message.includes('drizzle/0001_gone.sql')])).toEqual([['drizzle', true]]);
  });

  it('lintProjectMigrations returns findings and the rules that applied', async () => {
    write('app/migrations/001_drop.sql', 'DROP TABLE legacy;\n');
    const result = await lintProjectMigrations(join(root, 'app'));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.findings.map((finding) => finding.ruleId)).toContain('migrations/ban-drop-table');
    expect(result.value.applied.has('migrations/ban-drop-table')).toBe(true);
    expect(result.value.rules.every((rule) => rule.checklist === 'migration-strategy')).toBe(true);
  });

  it('lintMigrations honours --pg-version over the detected version', async () => {
    write('old/migrations/001_add.sql', 'ALTER TABLE users ADD COLUMN active boolean DEFAULT true;\n');
    const pg10 = await lintMigrations(join(root, 'old'), { pgVersion: 10 });
    const pg16 = await lintMigrations(join(root, 'old'), { pgVersion: 16 });
    const rewrites = (result: typeof pg10) => (result.ok ? result.value.findings.filter((finding) => finding.ruleId === 'migrations/adding-field-with-default').length : -1);
    expect([rewrites(pg10), rewrites(pg16)]).toEqual([1, 0]);
  });

  it('listMigrations reports a missing root as a UserError', () => {
    const result = listMigrations(join(root, 'nope'));
    expect(result.ok ? 'ok' : result.error.code).toBe('PATH_NOT_FOUND');
  });
});
