import { describe, expect, it } from 'vitest';
import { createFileIndex, discoverInIndex } from '../discover.js';
import { rehearseMigrations } from './index.js';
import { fillTarget, productionCount } from './run.js';

const FILES: Record<string, string> = {
  'migrations/000001_init.up.sql': 'CREATE SCHEMA app;\nCREATE TABLE app.accounts (id serial PRIMARY KEY, balance int NOT NULL);\nCREATE TABLE logs (id bigserial PRIMARY KEY, msg text);',
  'migrations/000002_widen.up.sql': 'ALTER TABLE app.accounts ALTER COLUMN balance TYPE bigint;',
  'migrations/000003_truncate.up.sql': 'TRUNCATE logs;',
  'migrations/000004_fail.up.sql': 'ALTER TABLE logs ADD COLUMN x int;\nALTER TABLE nope ADD COLUMN y int;',
};

const sets = () => discoverInIndex(createFileIndex(Object.keys(FILES), (file) => FILES[file]));

describe('rehearsal sizes and names', () => {
  it('detects rewrites outside public, caps the fill at an explicit --rows and extrapolates to --row-counts', async () => {
    const result = await rehearseMigrations(sets(), { rows: 200, rowCounts: { 'app.accounts': 2000, missing_table: 5 } });
    if (!result.ok) throw new Error(result.error.message);
    const { runs, findings, notes, sections } = result.value;
    expect(runs[1]?.fills.map((fill) => [fill.table, fill.rows])).toEqual([
      ['app.accounts', 200],
      ['logs', 200],
    ]);
    const widen = runs[1]?.statements[0];
    expect(widen?.rewritten).toEqual(['app.accounts']);
    expect(widen?.rebuiltIndexes).toEqual(['app.accounts_pkey']);
    expect(widen?.rows).toBe(200);
    expect((widen?.estimatedMs ?? 0) / (widen?.ms ?? 1)).toBeCloseTo(10, 5);
    expect(findings.filter((finding) => finding.ruleId === 'migrations/rehearsal-rewrite').map((finding) => finding.location?.kind === 'file' && [finding.location.path, finding.location.line])).toEqual([
      ['migrations/000002_widen.up.sql', 1],
    ]);
    // logs is not in the file: no production size, so no estimate.
    expect(runs[2]?.statements[0]?.estimatedMs).toBeUndefined();
    expect(sections[0]?.title).toContain('at most 200 rows per table');
    const lines = sections[0]?.lines ?? [];
    expect(lines.filter((line) => line.startsWith('  L1 TRUNCATE logs'))).toEqual([expect.stringMatching(/ truncated logs$/)]);
    expect(notes.filter((note) => note.message.includes('missing_table')).map((note) => note.message.includes('app.accounts'))).toEqual([false]);
    // The failed migration's transaction is rolled back, as its runner would: nothing of it stays to note.
    expect(runs[3]?.rolledBack).toBe(true);
    expect(notes.filter((note) => note.path === 'migrations/000004_fail.up.sql')).toHaveLength(0);
  });

  it('fills at the production count when only --row-counts is given, public. prefixes included', async () => {
    const result = await rehearseMigrations(sets(), { rowCounts: { 'app.accounts': 300, 'public.logs': 100 } });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs[1]?.fills.map((fill) => [fill.table, fill.rows])).toEqual([
      ['app.accounts', 300],
      ['logs', 100],
    ]);
    expect(result.value.notes.filter((note) => note.message.includes('--row-counts names'))).toEqual([]);
  });

  it('says in the timeline and the progress why a table holds fewer rows than asked', async () => {
    const files: Record<string, string> = {
      'migrations/000001_init.up.sql': 'CREATE TABLE codes (code char(1) PRIMARY KEY);',
      'migrations/000002_touch.up.sql': 'ALTER TABLE codes ADD COLUMN label text;',
    };
    const progress: string[] = [];
    const result = await rehearseMigrations(discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file])), { rows: 100, onProgress: (line) => progress.push(line) });
    if (!result.ok) throw new Error(result.error.message);
    const capped = (lines: readonly string[]): string[] => lines.filter((line) => line.includes('filled codes')).map((line) => line.replace(/ in \d+ ms/, ''));
    expect(capped(result.value.sections[0]?.lines ?? [])).toEqual([expect.stringMatching(/^ {2}filled codes: 36 rows \(capped at 36 rows: .+\)$/)]);
    expect(capped(progress)).toEqual([expect.stringMatching(/^ {2}filled codes with 36 rows \(capped at 36 rows: .+\)$/)]);
  });

  it('lists type changes that may lose data for up-only frameworks, not widenings', async () => {
    const files: Record<string, string> = {
      'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE t (id integer PRIMARY KEY, name varchar(20), amount numeric(10,2), code text);',
      'prisma/migrations/20240102000000_widen/migration.sql': 'ALTER TABLE t ALTER COLUMN id TYPE bigint;\nALTER TABLE t ALTER COLUMN amount TYPE numeric(12,2);',
      'prisma/migrations/20240103000000_narrow/migration.sql': 'ALTER TABLE t ALTER COLUMN name TYPE varchar(5);\nALTER TABLE t ALTER COLUMN code TYPE integer USING length(code);',
      'prisma/migrations/20240104000000_plan/migration.sql': "CREATE TYPE \"Plan\" AS ENUM ('free', 'pro');\nALTER TABLE t ADD COLUMN plan \"Plan\";\nDROP TYPE \"Plan\" CASCADE;",
    };
    const result = await rehearseMigrations(discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file])), { rows: 10 });
    if (!result.ok) throw new Error(result.error.message);
    const lost = result.value.sections.find((section) => section.id === 'migrations-data-loss')?.lines.map((line) => line.split('  ')[0]);
    expect(lost).toEqual(['prisma/migrations/20240103000000_narrow/migration.sql:1', 'prisma/migrations/20240103000000_narrow/migration.sql:2', 'prisma/migrations/20240104000000_plan/migration.sql:3']);
  });

  it('scales only statements whose work grows with rows to production size', async () => {
    const files: Record<string, string> = {
      'migrations/000001_init.up.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text);',
      'migrations/000002_change.up.sql': [
        'ALTER TABLE users RENAME COLUMN name TO full_name;',
        "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';",
        "INSERT INTO users (email) VALUES ('admin@example.com');",
      ].join('\n'),
      'migrations/000003_backfill.up.sql': "UPDATE users SET plan = 'pro' WHERE id % 2 = 0;",
    };
    const result = await rehearseMigrations(discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file])), { rows: 200, rowCounts: { users: 2_000_000 } });
    if (!result.ok) throw new Error(result.error.message);
    const ratio = (index: number): number[] => (result.value.runs[index]?.statements ?? []).map((statement) => Math.round((statement.estimatedMs ?? 0) / statement.ms));
    expect(ratio(1)).toEqual([1, 1, 1]);
    expect(ratio(2)).toEqual([10_000]);
    // Instant DDL is not a lock held for minutes at production size.
    expect(result.value.findings.filter((finding) => finding.ruleId === 'migrations/rehearsal-blocking-lock')).toEqual([]);
  });

  it('fills a partitioned table from its partitions\' counts, knows partition names, and notes a table it cannot fill once', async () => {
    const files: Record<string, string> = {
      'migrations/000001_init.up.sql': [
        'CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);',
        "CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2000-01-01') TO ('2100-01-01');",
        'CREATE TABLE impossible (id bigint PRIMARY KEY, n int NOT NULL CHECK (n <> n));',
      ].join('\n'),
      'migrations/000002_kind.up.sql': 'ALTER TABLE events ADD COLUMN kind text;',
      'migrations/000003_more.up.sql': 'ALTER TABLE impossible ADD COLUMN note text;',
    };
    const result = await rehearseMigrations(discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file])), { rows: 100, rowCounts: { events: 0, events_a: 4_000 } });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.runs[1]?.fills.filter((fill) => fill.error === undefined).map((fill) => [fill.table, fill.rows])).toEqual([['events', 100]]);
    expect(result.value.notes.filter((note) => note.message.includes('--row-counts names'))).toEqual([]);
    expect(result.value.notes.filter((note) => note.message.startsWith('impossible could not be filled')).map((note) => note.path)).toEqual(['migrations/000002_kind.up.sql']);
  });

  it('fills at most 1,000,000 rows per table from --row-counts alone, and says which tables were capped', async () => {
    expect([fillTarget(250_000_000, undefined), fillTarget(3_000, undefined), fillTarget(250_000_000, 5_000)]).toEqual([1_000_000, 3_000, 5_000]);
    // The note, without a million-row fill (that belongs in the benchmark): no migration creates the table.
    const files: Record<string, string> = { 'migrations/000001_init.up.sql': 'CREATE TABLE small (id bigserial PRIMARY KEY);' };
    const sets = discoverInIndex(createFileIndex(Object.keys(files), (file) => files[file]));
    const capped = (notes: ReadonlyArray<{ message: string }>): number => notes.filter((note) => note.message.includes('have more than 1,000,000 rows (huge)')).length;
    const alone = await rehearseMigrations(sets, { rowCounts: { huge: 250_000_000 } });
    if (!alone.ok) throw new Error(alone.error.message);
    expect(capped(alone.value.notes)).toBe(1);
    const withRows = await rehearseMigrations(sets, { rows: 5, rowCounts: { huge: 250_000_000 } });
    if (!withRows.ok) throw new Error(withRows.error.message);
    expect(capped(withRows.value.notes)).toBe(0);
  });

  it('productionCount reads `table`, `public.table` and `schema.table` keys', () => {
    expect(productionCount({ 'public.users': 5, 'app.accounts': 7, orders: 9 }, 'users')).toBe(5);
    expect(productionCount({ 'public.users': 5, 'app.accounts': 7, orders: 9 }, 'orders')).toBe(9);
    expect(productionCount({ 'public.users': 5, 'app.accounts': 7, orders: 9 }, 'app.accounts')).toBe(7);
    expect(productionCount({ accounts: 7 }, 'app.accounts')).toBeUndefined();
  });
});
