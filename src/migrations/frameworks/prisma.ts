import type { Migration, MigrationSet } from '../types.js';
import { baseOf, claimEach, dirOf, type FileIndex, unclaimed, wholeFile } from './common.js';

/**
 * Prisma Migrate: `prisma/migrations/<timestamp>_<name>/migration.sql`, applied in folder-name order.
 * `migrate deploy` sends each file as one script, which Postgres runs as one implicit transaction.
 */
export function detectPrisma(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => baseOf(path) === 'migration.sql');
  const bySetDir = new Map<string, string[]>();
  for (const path of files) {
    const setDir = dirOf(dirOf(path));
    // The lock file marks a Prisma folder; drizzle's folder layout keeps a snapshot.json instead.
    const isPrisma = index.paths.includes(`${setDir}/migration_lock.toml`) || /(^|\/)prisma\/migrations$/.test(setDir);
    if (!isPrisma) continue;
    const list = bySetDir.get(setDir) ?? [];
    list.push(path);
    bySetDir.set(setDir, list);
  }
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of bySetDir) {
    const migrations: Migration[] = claimEach(index, paths.sort(), (path, text) => {
      const folder = baseOf(dirOf(path));
      return {
        id: folder,
        name: folder.replace(/^\d+_/, ''),
        framework: 'prisma',
        path,
        language: 'sql',
        up: wholeFile(path, text),
        transaction: 'per-file-implicit',
        transactionReason: 'prisma migrate deploy sends each migration.sql as one script (one implicit transaction)',
      };
    });
    sets.push({ framework: 'prisma', dir, transaction: 'per-file-implicit', migrations, hasDowns: false });
  }
  return sets;
}
