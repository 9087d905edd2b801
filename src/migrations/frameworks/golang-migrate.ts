import type { Migration, MigrationSet } from '../types.js';
import { baseOf, compareVersions, type FileIndex, groupByDir, unclaimed, wholeFile } from './common.js';

const FILE = /^(\d+)_(.+)\.(up|down)\.sql$/;

/**
 * golang-migrate: `<version>_<name>.up.sql` / `.down.sql`. The postgres driver sends each file as one
 * multi-statement query, which Postgres runs as one implicit transaction.
 */
export function detectGolangMigrate(index: FileIndex): MigrationSet[] {
  const sets: MigrationSet[] = [];
  const files = unclaimed(index).filter((path) => FILE.test(baseOf(path)));
  for (const [dir, paths] of groupByDir(files)) {
    const byVersion = new Map<string, { name: string; up?: string; down?: string }>();
    for (const path of paths) {
      const match = FILE.exec(baseOf(path));
      if (match === null) continue;
      const [, version = '', name = '', direction] = match;
      const entry = byVersion.get(version) ?? { name };
      if (direction === 'up') entry.up = path;
      else entry.down = path;
      byVersion.set(version, entry);
    }
    const migrations: Migration[] = [];
    for (const version of [...byVersion.keys()].sort(compareVersions)) {
      const entry = byVersion.get(version);
      if (entry?.up === undefined) continue;
      const upText = index.read(entry.up);
      if (upText === undefined) continue;
      index.claimed.add(entry.up);
      const downText = entry.down === undefined ? undefined : index.read(entry.down);
      if (entry.down !== undefined) index.claimed.add(entry.down);
      migrations.push({
        id: version,
        name: entry.name,
        framework: 'golang-migrate',
        path: entry.up,
        language: 'sql',
        up: wholeFile(entry.up, upText),
        ...(entry.down !== undefined && downText !== undefined ? { down: wholeFile(entry.down, downText) } : {}),
        transaction: 'per-file-implicit',
        transactionReason: 'golang-migrate sends each file as one multi-statement query (one implicit transaction)',
      });
    }
    if (migrations.length > 0) sets.push({ framework: 'golang-migrate', dir, transaction: 'per-file-implicit', migrations, hasDowns: migrations.some((migration) => migration.down !== undefined) });
  }
  return sets;
}
