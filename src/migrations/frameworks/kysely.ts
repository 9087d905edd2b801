import type { Migration, MigrationSet } from '../types.js';
import { codeMigrationFields } from './code-sql.js';
import { claimEach, codeMigrationIdentity, type FileIndex, groupByDir, isCodeFile, unclaimed } from './common.js';

/**
 * Kysely: modules importing `kysely` that export `up(db)` / `down(db)`, applied in the order of their
 * names as JavaScript sorts strings (Kysely's `Migrator` sorts them so). On PostgreSQL, whose DDL is
 * transactional, the `Migrator` runs all pending migrations in one transaction unless the app
 * constructs it with `disableTransactions`, which the migration files cannot show.
 *
 * @example detectKysely(index).map((set) => set.migrations.length)
 */
export function detectKysely(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => {
    const text = index.read(path) ?? '';
    // An exported `up`, so the script that builds the Migrator next to the migrations is not one of them.
    return isCodeFile(path) && /(?:from\s+|require\(\s*)['"]kysely['"]/.test(text) && /export\s+(?:async\s+)?function\s+up\b|export\s+const\s+up\b|exports\.up\b/.test(text);
  });
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort(), (path, text) => ({
      ...codeMigrationIdentity(path),
      framework: 'kysely',
      ...codeMigrationFields(path, text),
      transaction: 'per-run',
      transactionReason: "Kysely's Migrator runs all pending migrations in one transaction on PostgreSQL (unless it is built with disableTransactions)",
    }));
    sets.push({ framework: 'kysely', dir, transaction: 'per-run', migrations, hasDowns: true });
  }
  return sets;
}
