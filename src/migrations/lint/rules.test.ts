import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuleSetting } from '../../core/engine.js';
import { discoverMigrations } from '../discover.js';
import { detectPgVersion } from '../pg-version.js';
import { lintSets } from './index.js';
import { MIGRATION_RULES } from './registry.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Every ng.* fixture and the 1-based lines its rule must report, in the fixture's migration file. */
const EXPECTED: Record<string, Record<string, Array<[path: string, line: number]>>> = {
  'require-concurrent-index-creation': {
    plain: [['migrations/001_change.sql', 2]],
    'same-name-other-schema': [['migrations/001_change.sql', 2]],
    'if-not-exists-earlier-table': [['migrations/002_index.sql', 2]],
    'only-on-plain-table': [['migrations/002_index.sql', 1]],
  },
  'require-concurrent-index-deletion': { plain: [['migrations/001_change.sql', 1]] },
  'ban-concurrent-index-creation-in-transaction': {
    dbmate: [['db/migrations/20240101000000_idx.sql', 2]],
    'dbmate-no-transaction-two-statements': [
      ['db/migrations/20240101000000_idx.sql', 2],
      ['db/migrations/20240101000000_idx.sql', 3],
    ],
    'explicit-begin': [['migrations/001_change.sql', 3]],
    'prisma-with-others': [['prisma/migrations/20240101000000_idx/migration.sql', 2]],
  },
  'adding-required-field': { 'no-default': [['migrations/001_change.sql', 2]], 'many-columns': [['migrations/001_change.sql', 2]] },
  'adding-field-with-default': {
    volatile: [['migrations/001_change.sql', 1]],
    'stored-generated': [['migrations/001_change.sql', 2]],
    bigserial: [['migrations/001_change.sql', 1]],
    'virtual-pg16': [['migrations/001_change.sql', 1]],
    'many-columns': [['migrations/001_change.sql', 2]],
  },
  'constraint-missing-not-valid': {
    check: [['migrations/001_change.sql', 1]],
    'validate-same-transaction': [['db/migrations/20240101000000_check.sql', 3]],
    'validate-same-explicit-transaction': [['migrations/001_change.sql', 3]],
    'two-checks-one-statement': [['migrations/001_change.sql', 1]],
  },
  'adding-foreign-key-constraint': { validated: [['migrations/001_change.sql', 1]], 'two-keys-one-statement': [['migrations/001_change.sql', 1]] },
  'changing-column-type': { narrowing: [['migrations/002_narrow.sql', 1]], 'unknown-old-type': [['migrations/001_change.sql', 1]], 'many-columns': [['migrations/002_change.sql', 1]] },
  'renaming-column': { rename: [['migrations/001_change.sql', 1]] },
  'renaming-table': { rename: [['migrations/001_change.sql', 1]] },
  'ban-drop-column': { drop: [['migrations/001_change.sql', 1]], 'many-columns': [['migrations/001_change.sql', 1]] },
  'ban-drop-table': { drop: [['migrations/001_change.sql', 1]], 'two-tables': [['migrations/001_change.sql', 1]] },
  'ban-drop-database': { drop: [['migrations/001_change.sql', 1]] },
  'ban-truncate-cascade': { cascade: [['migrations/001_change.sql', 1]] },
  'adding-not-nullable-field': { 'set-not-null': [['migrations/001_change.sql', 1]], 'many-columns': [['migrations/001_change.sql', 1]] },
  'disallowed-unique-constraint': { unique: [['migrations/001_change.sql', 1]], 'two-constraints': [['migrations/001_change.sql', 1]] },
  'adding-serial-primary-key-field': { 'primary-key': [['migrations/001_change.sql', 1]] },
  'require-lock-timeout': {
    missing: [['migrations/001_change.sql', 1]],
    'reported-once': [['migrations/001_change.sql', 1]],
    'set-local-outside-transaction': [['migrations/001_change.sql', 2]],
    'set-to-zero': [['migrations/001_change.sql', 2]],
    'drop-index': [['migrations/002_drop.sql', 1]],
  },
  'require-statement-timeout': { missing: [['migrations/001_change.sql', 2]] },
  'transaction-nesting': { 'begin-in-runner-transaction': [['db/migrations/20240101000000_x.sql', 2], ['db/migrations/20240101000000_x.sql', 4]] },
  'ban-uncommitted-transaction': { 'no-commit': [['migrations/001_change.sql', 1]] },
  'ban-alter-domain-with-add-constraint': { add: [['migrations/001_change.sql', 1]] },
  'ban-create-domain-with-constraint': { check: [['migrations/001_change.sql', 1]] },
  'require-concurrent-reindex': { plain: [['migrations/001_change.sql', 1]] },
  'require-concurrent-partition-detach': { plain: [['migrations/001_change.sql', 1]] },
  'lock-held-across-statements': {
    backfill: [['prisma/migrations/20240101000000_slug/migration.sql', 3]],
    'index-on-existing': [['prisma/migrations/20240101000000_idx/migration.sql', 3]],
    'drop-index-other-table': [['prisma/migrations/20240201000000_cleanup/migration.sql', 3]],
  },
  'foreign-key-missing-index': {
    'no-index': [['migrations/001_change.sql', 1]],
    'table-renamed-later': [['migrations/001_init.sql', 2]],
    'index-dropped-later': [['migrations/001_init.sql', 2]],
  },
  'prefer-jsonb': { json: [['migrations/001_change.sql', 1]] },
  'ban-set-logged-unlogged': { unlogged: [['migrations/001_change.sql', 1]] },
  'require-concurrent-refresh': { plain: [['migrations/001_change.sql', 1]] },
  'ddl-in-do-block': {
    execute: [['migrations/001_change.sql', 1]],
    'existing-table': [['drizzle/0001_manager.sql', 1]],
    'mixed-tables': [['migrations/001_change.sql', 2]],
  },
  'enum-value-in-transaction': {
    'used-same-transaction': [['db/migrations/20240101000000_status.sql', 3]],
    pg11: [['db/migrations/20240101000000_status.sql', 2]],
    'drizzle-next-migration': [['drizzle/0002_archive.sql', 1]],
  },
  'syntax-error': { typo: [['migrations/001_change.sql', 2]] },
  'prefer-text-field': { varchar: [['migrations/001_change.sql', 1]] },
  'prefer-bigint-over-int': { int: [['migrations/001_change.sql', 1]] },
  'prefer-identity': { serial: [['migrations/001_change.sql', 1]] },
  'prefer-timestamp-tz': { timestamp: [['migrations/001_change.sql', 1]], 'many-columns': [['migrations/001_init.sql', 1]] },
  'ban-char-field': { char: [['migrations/001_change.sql', 1]] },
};

/** Style rules are off by default; the fixtures switch every rule on so each can be exercised. */
const ALL_ON = new Map<string, RuleSetting>(MIGRATION_RULES.map((rule) => [rule.id, { enabled: true }]));

async function lintFixture(dir: string) {
  const sets = discoverMigrations(dir);
  if (!sets.ok) throw new Error(sets.error.message);
  return lintSets(sets.value, { pgVersion: detectPgVersion(dir), settings: ALL_ON });
}

describe('migration rule fixtures', () => {
  it('has a fixture folder with ok and ng cases for every rule', () => {
    for (const rule of MIGRATION_RULES) {
      const cases = readdirSync(join(FIXTURES, rule.name));
      expect(cases.some((name) => name.startsWith('ok.')), rule.id).toBe(true);
      expect(cases.some((name) => name.startsWith('ng.')), rule.id).toBe(true);
      expect(Object.keys(EXPECTED[rule.name] ?? {}).sort(), rule.id).toEqual(cases.filter((name) => name.startsWith('ng.')).map((name) => name.slice(3)).sort());
    }
  });

  for (const rule of MIGRATION_RULES) {
    for (const scenario of readdirSync(join(FIXTURES, rule.name)).sort()) {
      it(`${rule.id} ${scenario}`, async () => {
        const outcome = await lintFixture(join(FIXTURES, rule.name, scenario));
        const found = outcome.findings
          .filter((finding) => finding.ruleId === rule.id)
          .map((finding) => [finding.location?.kind === 'file' ? finding.location.path : '', finding.location?.kind === 'file' ? finding.location.line : 0]);
        const expected = scenario.startsWith('ok.') ? [] : (EXPECTED[rule.name]?.[scenario.slice(3)] ?? [['missing expectation', 0]]);
        expect(found).toEqual(expected);
      });
    }
  }
});
