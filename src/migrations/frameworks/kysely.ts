import type { MigrationSet } from '../types.js';
import { detectCodeMigrations } from './code-sql.js';
import type { FileIndex } from './common.js';

/**
 * Kysely: modules importing `kysely` that export `up(db)` / `down(db)`, applied in the order of their
 * names as JavaScript sorts strings (Kysely's `Migrator` sorts them so). On PostgreSQL, whose DDL is
 * transactional, the `Migrator` runs all pending migrations in one transaction unless the app
 * constructs it with `disableTransactions`, which the migration files cannot show.
 *
 * @example detectKysely(index).map((set) => set.migrations.length)
 */
export function detectKysely(index: FileIndex): MigrationSet[] {
  return detectCodeMigrations(index, {
    framework: 'kysely',
    // An exported `up`, so the script that builds the Migrator next to the migrations is not one of them.
    isMigration: (text) => /(?:from\s+|require\(\s*)['"]kysely['"]/.test(text) && /export\s+(?:async\s+)?function\s+up\b|export\s+const\s+up\b|exports\.up\b/.test(text),
    order: (paths) => [...paths].sort(),
    transaction: 'per-run',
    transactionOf: () => ({ mode: 'per-run', reason: "Kysely's Migrator runs all pending migrations in one transaction on PostgreSQL (unless it is built with disableTransactions)" }),
  });
}
