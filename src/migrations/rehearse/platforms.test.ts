import { describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { rehearseMigrations } from './index.js';

function setsOf(files: Record<string, string>) {
  return discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file]));
}

function failures(findings: ReadonlyArray<{ ruleId: string; message: string; location?: { kind: string; path?: string } }>): unknown[] {
  return findings.filter((finding) => finding.ruleId === 'migrations/rehearsal-failed').map((finding) => [finding.location?.path, finding.message]);
}

describe('what a migration set assumes exists', () => {
  it('rehearses a Supabase project on stand-ins for auth, storage and the platform roles', async () => {
    const result = await rehearseMigrations(
      setsOf({
        'supabase/migrations/20240101000000_profiles.sql': [
          'create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, username text);',
          'alter table public.profiles enable row level security;',
          'create policy "own profile" on public.profiles for update to authenticated using (auth.uid() = id);',
          "insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);",
        ].join('\n'),
      }),
      { rows: 50 },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(failures(result.value.findings)).toEqual([]);
    expect(result.value.notes.filter((note) => note.message.includes('Supabase platform')).map((note) => note.path)).toEqual(['supabase/migrations']);
  });

  it('does not call a down unreversible for an extension the database lacks', async () => {
    const result = await rehearseMigrations(
      setsOf({ 'db/migrations/000001_postgis.up.sql': 'CREATE EXTENSION IF NOT EXISTS postgis;', 'db/migrations/000001_postgis.down.sql': 'DROP EXTENSION postgis;' }),
      { rows: 10 },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.findings.filter((finding) => finding.ruleId.startsWith('migrations/rehearsal-')).map((finding) => finding.ruleId)).toEqual([]);
    expect(result.value.runs[0]?.reversibility?.skipped).toMatch(/^extension postgis is not available/);
  });

  it('loads the extensions PGlite has, skips those it lacks with a note, and folds a failure that follows from an earlier one into it', async () => {
    const result = await rehearseMigrations(
      setsOf({
        'migrations/001_extensions.sql': 'CREATE EXTENSION IF NOT EXISTS citext;\nCREATE EXTENSION IF NOT EXISTS postgis;\nCREATE TABLE users (id bigint PRIMARY KEY, email citext NOT NULL UNIQUE);',
        'migrations/002_places.sql': 'CREATE TABLE places (id bigint PRIMARY KEY, location geometry(Point, 4326));',
        'migrations/003_index.sql': 'CREATE INDEX places_location_idx ON places USING gist (location);',
      }),
      { rows: 50 },
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs[0]?.statements.map((statement) => statement.skipped?.startsWith('extension postgis is not available') ?? false)).toEqual([false, true, false]);
    expect(result.value.notes.filter((note) => note.message.includes('skipped, extension postgis')).map((note) => note.path)).toEqual(['migrations/001_extensions.sql']);
    expect(failures(result.value.findings)).toEqual([
      ['migrations/002_places.sql', expect.stringContaining('type "geometry" does not exist')],
    ]);
    // places was never created: the index's failure follows from 002's and is folded into it.
    expect(result.value.runs[2]?.blockedBy).toBe('migrations/002_places.sql');
  });
});
