import type { Migration, MigrationSet } from '../types.js';
import { baseOf, claimEach, compareVersions, type FileIndex, findSections, groupByDir, unclaimed } from './common.js';

const MARKERS = { up: /^--\s*migrate:up\b/, down: /^--\s*migrate:down\b/ } as const;

/**
 * dbmate: `<version>_<name>.sql` with `-- migrate:up` / `-- migrate:down` sections. Each migration runs
 * in a transaction unless its marker says `transaction:false`, and even then as one implicit transaction
 * when its section holds more than one statement.
 */
export function detectDbmate(index: FileIndex): MigrationSet[] {
  const sets: MigrationSet[] = [];
  const files = unclaimed(index).filter((path) => path.endsWith('.sql') && /^--\s*migrate:up\b/m.test(index.read(path) ?? ''));
  for (const [dir, paths] of groupByDir(files)) {
    const migrations: Migration[] = claimEach(index, [...paths].sort((a, b) => compareVersions(baseOf(a), baseOf(b))), (path, text) => {
      const sections = findSections(text, MARKERS);
      const optOut = sections.up !== undefined && /transaction:\s*false/.test(sections.up.marker);
      const base = baseOf(path).replace(/\.sql$/, '');
      return {
        id: /^\d+/.exec(base)?.[0] ?? base,
        name: base.replace(/^\d+_/, ''),
        framework: 'dbmate',
        path,
        language: 'sql',
        ...(sections.up === undefined ? {} : { up: { path, text, start: sections.up.start, end: sections.up.end } }),
        ...(sections.down === undefined ? {} : { down: { path, text, start: sections.down.start, end: sections.down.end } }),
        // Without its own transaction dbmate still sends the section as one query, which PostgreSQL runs
        // as one implicit transaction when it holds more than one statement (dbmate issues #126, #182).
        transaction: optOut ? 'per-file-implicit' : 'per-file',
        transactionReason: optOut
          ? 'the -- migrate:up marker sets transaction:false, but dbmate sends the section as one query: PostgreSQL runs more than one statement as one implicit transaction'
          : 'dbmate runs each migration in its own transaction',
      };
    });
    sets.push({ framework: 'dbmate', dir, transaction: 'per-file', migrations, hasDowns: true });
  }
  return sets;
}
