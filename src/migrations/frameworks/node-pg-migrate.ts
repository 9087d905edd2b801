import type { Migration, MigrationSet } from '../types.js';
import { codeMigrationFields } from './code-sql.js';
import { baseOf, claimEach, compareVersions, type FileIndex, findSections, groupByDir, languageOf, unclaimed } from './common.js';

const MARKERS = { up: /^--\s*Up Migration\b/i, down: /^--\s*Down Migration\b/i } as const;
const JS_FILE = /\.(c|m)?(j|t)s$/;
const JS_SIGNS = /\bpgm\.|MigrationBuilder|node-pg-migrate/;

/**
 * node-pg-migrate: SQL files with `-- Up Migration` / `-- Down Migration` sections, and JS/TS files whose
 * `up(pgm)` builds SQL at run time. Each migration runs in its own transaction unless it calls
 * `pgm.noTransaction()` (or the run uses `--single-transaction`, which makes it one per run).
 */
export function detectNodePgMigrate(index: FileIndex): MigrationSet[] {
  const files = unclaimed(index).filter((path) => {
    const text = index.read(path) ?? '';
    if (path.endsWith('.sql')) return /^--\s*Up Migration\b/im.test(text);
    return JS_FILE.test(path) && !path.endsWith('.d.ts') && JS_SIGNS.test(text) && /\bup\b/.test(text);
  });
  const sets: MigrationSet[] = [];
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort((a, b) => compareVersions(baseOf(a), baseOf(b))), (path, text) => {
      const base = baseOf(path).replace(/\.[^.]+$/, '');
      const language = languageOf(path);
      const sections = language === 'sql' ? findSections(text, MARKERS) : {};
      const optOut = /pgm\.noTransaction\(\)/.test(text);
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+[_-]?/, ''),
        framework: 'node-pg-migrate',
        path,
        language,
        ...(language === 'sql' ? {} : codeMigrationFields(path, text)),
        ...(sections.up === undefined ? {} : { up: { path, text, start: sections.up.start, end: sections.up.end } }),
        ...(sections.down === undefined ? {} : { down: { path, text, start: sections.down.start, end: sections.down.end } }),
        transaction: optOut ? 'none' : 'per-file',
        transactionReason: optOut ? 'the migration calls pgm.noTransaction()' : 'node-pg-migrate runs each migration in its own transaction',
      };
    });
    sets.push({ framework: 'node-pg-migrate', dir, transaction: 'per-file', migrations, hasDowns: true });
  }
  return sets;
}
