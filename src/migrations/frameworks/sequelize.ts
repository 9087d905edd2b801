import type { Migration, MigrationSet } from '../types.js';
import { codeMigrationFields } from './code-sql.js';
import { claimEach, codeMigrationIdentity, type FileIndex, groupByDir, isCodeFile, unclaimed } from './common.js';

/**
 * Sequelize (sequelize-cli / umzug): modules exporting `up(queryInterface, Sequelize)` and `down`, applied
 * in file-name order. sequelize-cli opens no transaction: each query commits on its own, unless the
 * migration runs its queries inside `queryInterface.sequelize.transaction(…)`.
 *
 * @example detectSequelize(index).map((set) => set.migrations.length)
 */
export function detectSequelize(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => {
    const text = index.read(path) ?? '';
    return isCodeFile(path) && /\bqueryInterface\b/.test(text) && /\bup\s*[:(=]/.test(text) && /\bdown\s*[:(=]/.test(text);
  });
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort(), (path, text) => {
      const ownTransaction = /\.sequelize\.transaction\s*\(/.test(text);
      return {
        ...codeMigrationIdentity(path),
        framework: 'sequelize',
        ...codeMigrationFields(path, text),
        transaction: ownTransaction ? 'per-file' : 'none',
        transactionReason: ownTransaction
          ? 'the migration runs its queries in queryInterface.sequelize.transaction()'
          : 'sequelize-cli runs each query on its own, without a transaction',
      };
    });
    sets.push({ framework: 'sequelize', dir, transaction: 'none', migrations, hasDowns: true });
  }
  return sets;
}
