import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandInput } from './command.js';
import { migrationsCommand } from './migrations.js';

const root = mkdtempSync(join(tmpdir(), 'shipready-migrations-rows-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

function input(values: CommandInput['values']): CommandInput {
  return {
    positionals: ['app'],
    values: { rehearse: true, 'row-counts': 'counts.json', ...values },
    common: { format: 'json', debug: false, color: false },
    io: { cwd: root, env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => new Date('2026-01-01T00:00:00Z') },
  };
}

/** Rows of the largest locked table per rehearsed statement, and the timeline title. */
async function rehearse(values: CommandInput['values']): Promise<{ title: string; rows: unknown[] }> {
  const result = await migrationsCommand.run(input(values));
  if (!result.ok || result.value.kind !== 'report') throw new Error('expected a report');
  const section = result.value.report.sections?.find((candidate) => candidate.id === 'migrations-rehearsal');
  const data = Array.isArray(section?.data) ? section.data : [];
  const rows = data.flatMap((run: unknown) => {
    if (typeof run !== 'object' || run === null || !('statements' in run) || !Array.isArray(run.statements)) return [];
    return run.statements.map((statement: unknown) => (typeof statement === 'object' && statement !== null && 'rows' in statement ? statement.rows : undefined));
  });
  return { title: section?.title ?? '', rows };
}

describe('shipready migrations --rehearse --row-counts', () => {
  write('app/migrations/000001_init.up.sql', 'CREATE TABLE users (id bigserial PRIMARY KEY, email text);\n');
  write('app/migrations/000002_widen.up.sql', 'ALTER TABLE users ALTER COLUMN id TYPE numeric;\n');
  write('counts.json', '{ "users": 300 }');

  it('fills at the production count without --rows, and at most --rows when it is given', async () => {
    const production = await rehearse({});
    expect(production.rows).toEqual([0, 300]);
    expect(production.title).toContain('at most 1,000,000 rows per table');
    const capped = await rehearse({ rows: '100' });
    expect(capped.rows).toEqual([0, 100]);
    expect(capped.title).toContain('at most 100 rows per table');
  });
});
