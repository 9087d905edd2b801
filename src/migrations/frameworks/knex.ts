import type { Migration, MigrationSet } from '../types.js';
import { codeMigrationFields } from './code-sql.js';
import { baseOf, claimEach, type FileIndex, groupByDir, languageOf, unclaimed } from './common.js';

const JS_FILE = /\.(c|m)?(j|t)s$/;

/**
 * Knex: JS/TS files exporting `up(knex)` / `down(knex)`, applied in file-name order. Each runs in its own
 * transaction unless it exports `config = { transaction: false }`.
 */
export function detectKnex(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => {
    if (!JS_FILE.test(path) || path.endsWith('.d.ts')) return false;
    const text = index.read(path) ?? '';
    return /\bknex\b|Knex/.test(text) && /\bup\b/.test(text) && /\bdown\b/.test(text);
  });
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, paths, (path, text) => {
      const base = baseOf(path).replace(/\.[^.]+$/, '');
      const optOut = /config\s*=\s*\{[^}]*transaction\s*:\s*false/.test(text);
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+[_-]?/, ''),
        framework: 'knex',
        path,
        language: languageOf(path),
        ...codeMigrationFields(path, text),
        transaction: optOut ? 'none' : 'per-file',
        transactionReason: optOut ? 'the migration exports config = { transaction: false }' : 'knex runs each migration in its own transaction',
      };
    });
    sets.push({ framework: 'knex', dir, transaction: 'per-file', migrations, hasDowns: true });
  }
  return sets;
}
