import type { Migration, MigrationSet } from '../types.js';
import { codeMigrationFields } from './code-sql.js';
import { claimEach, codeMigrationIdentity, compareVersions, type FileIndex, groupByDir, isCodeFile, unclaimed } from './common.js';

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
  const files = unclaimed(index).filter((path) => {
    const text = index.read(path) ?? '';
    return isCodeFile(path) && /@mikro-orm\/migrations/.test(text) && /extends\s+Migration\b/.test(text);
  });
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const ordered = [...paths].sort((a, b) => compareVersions(codeMigrationIdentity(a).id, codeMigrationIdentity(b).id));
    const migrations: Migration[] = claimEach(index, ordered, (path, text) => {
      const optOut = OPTS_OUT.test(text);
      return {
        ...codeMigrationIdentity(path),
        framework: 'mikro-orm',
        ...codeMigrationFields(path, text),
        transaction: optOut ? 'none' : 'per-run',
        transactionReason: optOut
          ? 'the migration overrides isTransactional() to return false'
          : 'MikroORM runs all pending migrations in one transaction (transactional and allOrNothing default to true)',
      };
    });
    sets.push({ framework: 'mikro-orm', dir, transaction: 'per-run', migrations, hasDowns: true });
  }
  return sets;
}
