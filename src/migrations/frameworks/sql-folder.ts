import type { Migration, MigrationSet } from '../types.js';
import { baseOf, claimEach, compareVersions, type FileIndex, groupByDir, unclaimed, wholeFile } from './common.js';

/**
 * Plain SQL files in a `migrations`-like folder with no recognisable runner: ordered by name (numeric
 * prefixes compare as numbers). The runner is unknown, so each statement is assumed to commit on its
 * own (`psql -f`), unless the file opens a transaction itself.
 */
export function detectSqlFolder(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => path.endsWith('.sql') && /(^|\/)(migrations?|migrate)(\/|$)/.test(path.slice(0, path.lastIndexOf('/') + 1)));
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort((a, b) => compareVersions(baseOf(a), baseOf(b))), (path, text) => {
      const base = baseOf(path).replace(/\.sql$/, '');
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+[_-]?/, ''),
        framework: 'sql',
        path,
        language: 'sql',
        up: wholeFile(path, text),
        transaction: 'none',
        transactionReason: 'no known runner: assumed to run statement by statement (psql -f), so only explicit BEGIN/COMMIT make transactions',
      };
    });
    sets.push({ framework: 'sql', dir, transaction: 'none', migrations, hasDowns: false });
  }
  return sets;
}
