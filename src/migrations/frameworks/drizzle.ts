import { z } from 'zod';
import type { Migration, MigrationSet } from '../types.js';
import { baseOf, claimEach, dirOf, type FileIndex, unclaimed, wholeFile } from './common.js';

const journalSchema = z.object({
  entries: z.array(z.object({ idx: z.number(), tag: z.string() })),
});

const REASON = 'drizzle migrate() applies every pending migration inside one transaction';

/** Both layouts (journal and folder-per-migration) run whole files in the one transaction drizzle-kit opens. */
function drizzleMigration(id: string, path: string, text: string): Migration {
  return { id, name: id.replace(/^\d+_/, ''), framework: 'drizzle', path, language: 'sql', up: wholeFile(path, text), transaction: 'per-run', transactionReason: REASON };
}

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
    const ordered = [...journal.data.entries].sort((a, b) => a.idx - b.idx).map((entry) => (dir === '.' ? `${entry.tag}.sql` : `${dir}/${entry.tag}.sql`));
    const migrations = claimEach(index, ordered, (path, text) => drizzleMigration(baseOf(path).replace(/\.sql$/, ''), path, text));
    const found = new Set(migrations.map((migration) => migration.path));
    const missing = ordered.filter((path) => !found.has(path));
    sets.push({ framework: 'drizzle', dir, transaction: 'per-run', migrations, hasDowns: false, ...(missing.length > 0 ? { missing } : {}) });
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
    const migrations = claimEach(index, paths.sort(), (path, text) => drizzleMigration(baseOf(dirOf(path)), path, text));
    sets.push({ framework: 'drizzle', dir, transaction: 'per-run', migrations, hasDowns: false });
  }
  return sets;
}
