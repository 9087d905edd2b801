import type { MigrationSet } from '../types.js';
import { detectCodeMigrations } from './code-sql.js';
import type { FileIndex } from './common.js';

/**
 * Sequelize (sequelize-cli / umzug): modules exporting `up(queryInterface, Sequelize)` and `down`, applied
 * in file-name order. sequelize-cli opens no transaction: each query commits on its own, unless the
 * migration runs its queries inside `queryInterface.sequelize.transaction(…)`.
 *
 * @example detectSequelize(index).map((set) => set.migrations.length)
 */
export function detectSequelize(index: FileIndex): MigrationSet[] {
  return detectCodeMigrations(index, {
    framework: 'sequelize',
    isMigration: (text) => /\bqueryInterface\b/.test(text) && /\bup\s*[:(=]/.test(text) && /\bdown\s*[:(=]/.test(text),
    order: (paths) => [...paths].sort(),
    transaction: 'none',
    transactionOf: (text) =>
      /\.sequelize\.transaction\s*\(/.test(text)
        ? { mode: 'per-file', reason: 'the migration runs its queries in queryInterface.sequelize.transaction()' }
        : { mode: 'none', reason: 'sequelize-cli runs each query on its own, without a transaction' },
  });
}
