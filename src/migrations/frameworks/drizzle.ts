import { z } from 'zod';
import type { Migration, MigrationSet } from '../types.js';
import { baseOf, claimEach, dirOf, type FileIndex, unclaimed, wholeFile } from './common.js';

const journalSchema = z.object({
  entries: z.array(z.object({ idx: z.number(), tag: z.string() })),
});

const REASON = 'drizzle migrate() applies every pending migration inside one transaction';

/**
 * Drizzle Kit: the journal layout (`<out>/meta/_journal.json` lists `<tag>.sql` in order, statements split
 * by `--> statement-breakpoint`) and the folder-per-migration layout (`<out>/<ts>_<name>/migration.sql`
 * beside `snapshot.json`). `migrate()` runs all pending migrations in one transaction.
 */
export function detectDrizzle(index: FileIndex): MigrationSet[] {
  const sets: MigrationSet[] = [];
  for (const journalPath of index.paths.filter((path) => path.endsWith('meta/_journal.json'))) {
    const dir = dirOf(dirOf(journalPath));
    const raw = index.read(journalPath);
    if (raw === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      continue;
    }
    const journal = journalSchema.safeParse(json);
    if (!journal.success) continue;
    index.claimed.add(journalPath);
    const migrations: Migration[] = [];
    for (const entry of [...journal.data.entries].sort((a, b) => a.idx - b.idx)) {
      const path = dir === '.' ? `${entry.tag}.sql` : `${dir}/${entry.tag}.sql`;
      const text = index.read(path);
      if (text === undefined) continue;
      index.claimed.add(path);
      migrations.push({
        id: entry.tag,
        name: entry.tag.replace(/^\d+_/, ''),
        framework: 'drizzle',
        path,
        language: 'sql',
        up: wholeFile(path, text),
        transaction: 'per-run',
        transactionReason: REASON,
      });
    }
    sets.push({ framework: 'drizzle', dir, transaction: 'per-run', migrations, hasDowns: false });
  }
  const folderFiles = unclaimed(index).filter(
    (path) => baseOf(path) === 'migration.sql' && index.paths.includes(`${dirOf(path)}/snapshot.json`),
  );
  const byDir = new Map<string, string[]>();
  for (const path of folderFiles) {
    const setDir = dirOf(dirOf(path));
    byDir.set(setDir, [...(byDir.get(setDir) ?? []), path]);
  }
  for (const [dir, paths] of byDir) {
    const migrations: Migration[] = claimEach(index, paths.sort(), (path, text) => {
      const folder = baseOf(dirOf(path));
      return {
        id: folder,
        name: folder.replace(/^\d+_/, ''),
        framework: 'drizzle',
        path,
        language: 'sql',
        up: wholeFile(path, text),
        transaction: 'per-run',
        transactionReason: REASON,
      };
    });
    sets.push({ framework: 'drizzle', dir, transaction: 'per-run', migrations, hasDowns: false });
  }
  return sets;
}
