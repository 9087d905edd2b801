import type { Migration, MigrationSet } from '../types.js';
import { baseOf, claimEach, compareVersions, type FileIndex, groupByDir, unclaimed, wholeFile } from './common.js';

/**
 * Supabase CLI: `supabase/migrations/<timestamp>_<name>.sql`, applied in timestamp order; `db push`
 * sends each file's statements as one batch in one transaction.
 */
export function detectSupabase(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => /(^|\/)supabase\/migrations\/[^/]+\.sql$/.test(path));
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort((a, b) => compareVersions(baseOf(a), baseOf(b))), (path, text) => {
      const base = baseOf(path).replace(/\.sql$/, '');
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+_/, ''),
        framework: 'supabase',
        path,
        language: 'sql',
        up: wholeFile(path, text),
        transaction: 'per-file',
        transactionReason: 'supabase db push applies each migration file in one transaction',
      };
    });
    sets.push({ framework: 'supabase', dir, transaction: 'per-file', migrations, hasDowns: false });
  }
  return sets;
}
