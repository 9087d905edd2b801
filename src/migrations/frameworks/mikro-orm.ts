import type { MigrationSet } from '../types.js';
import { detectCodeMigrations } from './code-sql.js';
import { codeMigrationIdentity, compareVersions, type FileIndex } from './common.js';

/** `isTransactional()` overridden to return false: MikroORM runs that migration outside any transaction. */
const OPTS_OUT = /isTransactional\s*\(\s*\)\s*(?::\s*boolean\s*)?\{\s*return\s+false\b/;

/**
 * MikroORM: classes extending `Migration` from `@mikro-orm/migrations`, whose `up()`/`down()` queue SQL with
 * `this.addSql('…')`, applied in the order of their names (`Migration20240101000000`). With the defaults
 * (`transactional: true`, `allOrNothing: true`) every pending migration runs in one transaction; a class
 * whose `isTransactional()` returns false runs outside it.
 *
 * @example detectMikroOrm(index).map((set) => set.migrations.length)
 */
export function detectMikroOrm(index: FileIndex): MigrationSet[] {
  return detectCodeMigrations(index, {
    framework: 'mikro-orm',
    isMigration: (text) => /@mikro-orm\/migrations/.test(text) && /extends\s+Migration\b/.test(text),
    order: (paths) => [...paths].sort((a, b) => compareVersions(codeMigrationIdentity(a).id, codeMigrationIdentity(b).id)),
    transaction: 'per-run',
    transactionOf: (text) =>
      OPTS_OUT.test(text)
        ? { mode: 'none', reason: 'the migration overrides isTransactional() to return false' }
        : { mode: 'per-run', reason: 'MikroORM runs all pending migrations in one transaction (transactional and allOrNothing default to true)' },
  });
}
