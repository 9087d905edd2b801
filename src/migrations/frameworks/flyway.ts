import type { Migration, MigrationSet } from '../types.js';
import { baseOf, compareDottedVersions, type FileIndex, groupByDir, unclaimed, wholeFile } from './common.js';

const VERSIONED = /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;

/**
 * Flyway: `V<version>__<desc>.sql` in version order, `U<version>__` undo files, then `R__` repeatables
 * ordered by description. Each migration runs in its own transaction unless its `<file>.conf` says
 * `executeInTransaction=false`.
 */
export function detectFlyway(index: FileIndex): MigrationSet[] {
  const sets: MigrationSet[] = [];
  const files = unclaimed(index).filter((path) => VERSIONED.test(baseOf(path)) || REPEATABLE.test(baseOf(path)));
  for (const [dir, paths] of groupByDir(files)) {
    const undo = new Map<string, string>();
    const versioned: Array<{ version: string; name: string; path: string }> = [];
    const repeatable: Array<{ name: string; path: string }> = [];
    for (const path of paths) {
      const base = baseOf(path);
      const match = VERSIONED.exec(base);
      if (match !== null) {
        const [, kind, version = '', name = ''] = match;
        if (kind === 'U') undo.set(version, path);
        else versioned.push({ version, name, path });
        continue;
      }
      const repeat = REPEATABLE.exec(base);
      if (repeat !== null) repeatable.push({ name: repeat[1] ?? base, path });
    }
    if (versioned.length === 0 && repeatable.length === 0) continue;
    versioned.sort((a, b) => compareDottedVersions(a.version, b.version));
    repeatable.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const migrations: Migration[] = [];
    const add = (id: string, name: string, path: string, isRepeatable: boolean, undoPath?: string): void => {
      const text = index.read(path);
      if (text === undefined) return;
      index.claimed.add(path);
      const conf = index.read(`${path}.conf`);
      const optOut = conf !== undefined && /^\s*executeInTransaction\s*=\s*false\s*$/m.test(conf);
      const undoText = undoPath === undefined ? undefined : index.read(undoPath);
      if (undoPath !== undefined) index.claimed.add(undoPath);
      migrations.push({
        id,
        name: name.replace(/_/g, ' '),
        framework: 'flyway',
        path,
        language: 'sql',
        up: wholeFile(path, text),
        ...(undoPath !== undefined && undoText !== undefined ? { down: wholeFile(undoPath, undoText) } : {}),
        ...(isRepeatable ? { repeatable: true } : {}),
        transaction: optOut ? 'none' : 'per-file',
        transactionReason: optOut ? `${baseOf(path)}.conf sets executeInTransaction=false` : 'flyway runs each migration in its own transaction',
      });
    };
    for (const entry of versioned) add(`V${entry.version}`, entry.name, entry.path, false, undo.get(entry.version));
    for (const entry of repeatable) add(`R__${entry.name}`, entry.name, entry.path, true);
    sets.push({ framework: 'flyway', dir, transaction: 'per-file', migrations, hasDowns: undo.size > 0 });
  }
  return sets;
}
