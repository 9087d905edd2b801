import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RuleSetting } from '../../core/engine.js';
import { discoverMigrations } from '../discover.js';
import { detectPgVersion } from '../pg-version.js';
import { lintSets } from './index.js';
import { MIGRATION_RULES } from './registry.js';

const REPO = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(import.meta.dirname, 'fixtures');
const SQUAWK = join(REPO, 'node_modules', '.bin', 'squawk');
const DIFFERENCES = join(REPO, 'docs', 'migrations', 'differences-from-squawk.md');

const squawkOutput = z.array(z.object({ file: z.string(), line: z.number(), rule_name: z.string() }));
const SQUAWK_NAMES = new Set(MIGRATION_RULES.filter((rule) => rule.squawk).map((rule) => rule.name));
const ALL_ON = new Map<string, RuleSetting>(MIGRATION_RULES.map((rule) => [rule.id, { enabled: true }]));

/** `rule | fixture/case | only-squawk|only-shipready`, for every finding the two tools do not share. */
async function disagreements(caseDir: string): Promise<string[]> {
  const sets = discoverMigrations(caseDir);
  if (!sets.ok) throw new Error(sets.error.message);
  const migrations = sets.value.flatMap((set) => set.migrations);
  const upFiles = migrations.flatMap((migration) => (migration.up === undefined ? [] : [migration.up]));
  const pgVersion = detectPgVersion(caseDir);
  const outcome = await lintSets(sets.value, { pgVersion, settings: ALL_ON });
  const ours = new Set(
    outcome.findings.filter((finding) => SQUAWK_NAMES.has(finding.ruleId.slice('migrations/'.length))).map((finding) => `${finding.ruleId.slice('migrations/'.length)}@${finding.location?.kind === 'file' ? `${finding.location.path}:${finding.location.line}` : ''}`),
  );
  const theirs = new Set<string>();
  for (const source of upFiles) {
    let raw = '';
    try {
      raw = execFileSync(SQUAWK, ['--reporter', 'json', '--pg-version', `${pgVersion.major}.0`, source.path], { cwd: caseDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      // squawk exits 1 when it reports violations; its JSON is still on stdout.
      raw = error instanceof Error && 'stdout' in error && typeof error.stdout === 'string' ? error.stdout : '';
    }
    const startLine = source.text.slice(0, source.start).split('\n').length;
    const endLine = source.text.slice(0, source.end).split('\n').length;
    for (const violation of squawkOutput.parse(JSON.parse(raw === '' ? '[]' : raw))) {
      const line = violation.line + 1;
      // squawk lints the whole file; shipready lints the up section only (downs are rehearsed instead).
      if (line < startLine || line > endLine || !SQUAWK_NAMES.has(violation.rule_name)) continue;
      theirs.add(`${violation.rule_name}@${source.path}:${line}`);
    }
  }
  const name = relative(FIXTURES, caseDir);
  return [
    ...[...theirs].filter((key) => !ours.has(key)).map((key) => `${key.split('@')[0]} | ${name} | only-squawk`),
    ...[...ours].filter((key) => !theirs.has(key)).map((key) => `${key.split('@')[0]} | ${name} | only-shipready`),
  ];
}

/** Rows of the differences table: `| rule | fixture | direction | reason |`. */
function documented(): Set<string> {
  const rows = readFileSync(DIFFERENCES, 'utf8').split('\n').filter((line) => /^\|\s*`[a-z]/.test(line));
  return new Set(
    rows.flatMap((row) => {
      const [rule, fixture, direction, reason] = row.split('|').slice(1).map((cell) => cell.trim().replace(/`/g, ''));
      return rule === undefined || fixture === undefined || direction === undefined || reason === undefined || reason === '' ? [] : [`${rule} | ${fixture} | ${direction}`];
    }),
  );
}

describe.skipIf(!existsSync(SQUAWK))('agreement with squawk on the lint fixtures', () => {
  it('every disagreement is documented with a reason in docs/migrations/differences-from-squawk.md', async () => {
    const found: string[] = [];
    for (const rule of readdirSync(FIXTURES).sort()) {
      for (const scenario of readdirSync(join(FIXTURES, rule)).sort()) found.push(...(await disagreements(join(FIXTURES, rule, scenario))));
    }
    const listed = documented();
    // `*` in the fixture column documents a difference of a whole rule and direction (e.g. timeout rules).
    const isListed = (entry: string): boolean => listed.has(entry) || listed.has(entry.replace(/ \| [^|]+ \| /, ' | * | '));
    expect(found.filter((entry) => !isListed(entry)).sort()).toEqual([]);
    // A documented difference that no longer happens is stale documentation.
    expect([...listed].filter((entry) => !found.some((candidate) => candidate === entry || candidate.replace(/ \| [^|]+ \| /, ' | * | ') === entry)).sort()).toEqual([]);
  }, 120_000);
});
