import type { Migration, MigrationSet } from '../types.js';
import { codeMigrationFields } from './code-sql.js';
import { baseOf, claimEach, compareVersions, type FileIndex, groupByDir, languageOf, unclaimed } from './common.js';

/**
 * TypeORM: classes implementing `MigrationInterface`, ordered by the timestamp in their name. The default
 * `migrationsTransactionMode: "all"` wraps the whole run in one transaction; a migration with
 * `transaction = false` opts out.
 */
export function detectTypeorm(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => /\.(c|m)?(j|t)s$/.test(path) && /MigrationInterface/.test(index.read(path) ?? ''));
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort((a, b) => compareVersions(baseOf(a), baseOf(b))), (path, text) => {
      const base = baseOf(path).replace(/\.[^.]+$/, '');
      const optOut = /\btransaction\s*=\s*false/.test(text);
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+[_-]?/, ''),
        framework: 'typeorm',
        path,
        language: languageOf(path),
        ...codeMigrationFields(path, text),
        transaction: optOut ? 'none' : 'per-run',
        transactionReason: optOut ? 'the migration sets transaction = false' : 'typeorm runs all pending migrations in one transaction (migrationsTransactionMode "all")',
      };
    });
    sets.push({ framework: 'typeorm', dir, transaction: 'per-run', migrations, hasDowns: true });
  }
  return sets;
}
