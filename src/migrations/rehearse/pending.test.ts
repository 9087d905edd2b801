import { describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { rehearseMigrations } from './index.js';

const FILES: Record<string, string> = {
  'migrations/000001_users.up.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, email text);',
  // Broken on an empty database too, but production ran it long ago: context, not a finding.
  'migrations/000002_old.up.sql': 'ALTER TABLE users ADD COLUMN legacy int;\nALTER TABLE missing_table ADD COLUMN y int;',
  'migrations/000003_name.up.sql': 'ALTER TABLE users ADD COLUMN name text NOT NULL;',
  'migrations/000004_teams.up.sql': 'CREATE TABLE teams (id bigserial PRIMARY KEY, title text);\nCREATE INDEX teams_title_idx ON teams (title);',
  'migrations/000005_owner.up.sql': 'ALTER TABLE teams ADD COLUMN owner bigint NOT NULL;',
  'migrations/000006_members.up.sql': 'ALTER TABLE memberships ADD COLUMN role text;',
};
const PENDING = new Set(['migrations/000003_name.up.sql', 'migrations/000004_teams.up.sql', 'migrations/000005_owner.up.sql', 'migrations/000006_members.up.sql']);

const sets = () => discoverInIndex(createFileIndex(Object.keys(FILES), (file) => FILES[file]));

function failedAt(findings: ReadonlyArray<{ ruleId: string; location?: { kind: string; path?: string; line?: number } }>): unknown[] {
  return findings.filter((finding) => finding.ruleId === 'migrations/rehearsal-failed').map((finding) => [finding.location?.path, finding.location?.line]);
}

describe('rehearsal with history as context and pending migrations as the test', () => {
  it('replays history on empty tables, fills once, and reports only the pending migrations', async () => {
    const result = await rehearseMigrations(sets(), { rows: 100, pending: PENDING });
    if (!result.ok) throw new Error(result.error.message);
    const { runs, findings, notes } = result.value;
    expect(runs.map((run) => run.history === true)).toEqual([true, true, false, false, false, false]);
    // The history's failure is a note, rolled back as its runner would (legacy never stays).
    expect(runs[1]?.rolledBack).toBe(true);
    expect(notes.filter((note) => note.path === 'migrations/000002_old.up.sql')).toHaveLength(1);
    // users is filled before the first pending migration, so NOT NULL without a default fails there;
    // teams is created by a pending migration and stays empty, as in production, so 000005 passes.
    expect(runs[2]?.fills.map((fill) => [fill.table, fill.rows])).toEqual([['users', 100]]);
    expect(runs.slice(3).flatMap((run) => run.fills)).toEqual([]);
    expect(failedAt(findings)).toEqual([
      ['migrations/000003_name.up.sql', 1],
      ['migrations/000006_members.up.sql', 1],
    ]);
  });

  it('leaves out locks on a table the same transaction created, and says how many', async () => {
    const result = await rehearseMigrations(sets(), { rows: 100, pending: PENDING });
    if (!result.ok) throw new Error(result.error.message);
    const teams = result.value.runs[3];
    expect(teams?.statements.flatMap((statement) => statement.locks)).toEqual([]);
    expect(teams?.hiddenLocks).toBeGreaterThan(0);
  });

  it('rehearses every migration on filled tables without a pending set', async () => {
    const result = await rehearseMigrations(sets(), { rows: 100 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs.some((run) => run.history === true)).toBe(false);
    // teams is filled before 000005 here, so its NOT NULL column fails too.
    expect(failedAt(result.value.findings)).toContainEqual(['migrations/000005_owner.up.sql', 1]);
    expect(failedAt(result.value.findings)).toContainEqual(['migrations/000002_old.up.sql', 2]);
  });

  it('folds a failure on an object an earlier failed migration would have created into that one', async () => {
    const files: Record<string, string> = {
      'migrations/000001_base.up.sql': 'CREATE TABLE accounts (id bigserial PRIMARY KEY);',
      'migrations/000002_orgs.up.sql': 'CREATE TABLE orgs (id bigserial PRIMARY KEY);\nALTER TABLE accounts ADD COLUMN org bigint NOT NULL;',
      'migrations/000003_orgs_index.up.sql': 'CREATE INDEX orgs_id_idx ON orgs (id);',
    };
    const result = await rehearseMigrations(discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file])), { rows: 50 });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs[2]?.blockedBy).toBe('migrations/000002_orgs.up.sql');
    expect(failedAt(result.value.findings)).toEqual([['migrations/000002_orgs.up.sql', 2]]);
  });
});
