import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { errorCode, isExpectedFsError } from '../core/fs-errors.js';
import { err, ok, type Result, type UserError, userError } from '../core/result.js';
import { detectDialect, DRIZZLE_CONFIG } from './dialect.js';
import { readRegularFile } from '../core/safe-read.js';
import type { FileIndex } from './frameworks/common.js';
import { detectDbmate } from './frameworks/dbmate.js';
import { detectDrizzle } from './frameworks/drizzle.js';
import { detectFlyway } from './frameworks/flyway.js';
import { detectGolangMigrate } from './frameworks/golang-migrate.js';
import { detectKnex } from './frameworks/knex.js';
import { detectKysely } from './frameworks/kysely.js';
import { detectMikroOrm } from './frameworks/mikro-orm.js';
import { detectNodePgMigrate } from './frameworks/node-pg-migrate.js';
import { detectPrisma } from './frameworks/prisma.js';
import { detectSequelize } from './frameworks/sequelize.js';
import { detectSqlFolder } from './frameworks/sql-folder.js';
import { detectSupabase } from './frameworks/supabase.js';
import { detectTypeorm } from './frameworks/typeorm.js';
import type { MigrationSet } from './types.js';
import type { Note } from '../core/report.js';

/**
 * Build output, dependencies and test data: `testdata` (ignored by Go tooling, where golang-migrate
 * projects keep sample migrations), `fixtures`, `__fixtures__` and `__mocks__` hold migrations that
 * tests apply, not the ones the app ships.
 */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', '.next', '.nuxt', 'vendor', 'target', '.venv', '.turbo', '.cache', 'out', 'testdata', 'fixtures', '__fixtures__', '__mocks__']);
const MAX_DEPTH = 10;
const MAX_FILES = 100_000;
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** JS/TS files are only candidates inside folders whose name says they hold migrations. */
const MIGRATION_DIR = /(^|\/)(migrations?|migrate)(\/|$)/;
const CODE_FILE = /\.(c|m)?(j|t)s$/;

/**
 * Detectors run in this order and each claims its files, so a more specific layout (a Prisma folder,
 * a golang-migrate pair) is never listed again as a plain SQL folder.
 */
const DETECTORS = [
  detectPrisma,
  detectDrizzle,
  detectGolangMigrate,
  detectFlyway,
  detectDbmate,
  detectSupabase,
  detectNodePgMigrate,
  // Before Knex: MikroORM migrations may use its Knex (`this.getKnex()`), and all three export up/down.
  detectMikroOrm,
  detectKysely,
  detectSequelize,
  detectKnex,
  detectTypeorm,
  detectSqlFolder,
] as const;

export interface DiscoverOptions {
  /** Root-relative POSIX paths to consider instead of walking the tree (e.g. from the project model). */
  readonly files?: readonly string[];
  /** Receives a note for each candidate passed over: a FIFO or device named like a migration, a file over 8 MiB. */
  readonly notes?: Note[];
}

function isCandidate(path: string): boolean {
  if (path.endsWith('.sql')) return true;
  if (path.endsWith('meta/_journal.json') || path.endsWith('/snapshot.json') || path.endsWith('migration_lock.toml') || path.endsWith('.sql.conf')) {
    return true;
  }
  // Where Prisma and Drizzle say which database the migrations are for (see dialect.ts).
  if (path.endsWith('.prisma') || DRIZZLE_CONFIG.test(path.slice(path.lastIndexOf('/') + 1))) return true;
  return CODE_FILE.test(path) && MIGRATION_DIR.test(path.slice(0, path.lastIndexOf('/') + 1));
}

function walk(root: string, notes: Note[] | undefined): string[] {
  const found: string[] = [];
  const visit = (relative: string, depth: number): void => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(relative === '' ? root : join(root, relative), { withFileTypes: true });
    } catch (error) {
      // A folder that vanished or is not readable has no migrations to offer; anything else is a bug.
      if (isExpectedFsError(error)) return;
      throw new Error(`cannot list ${relative || root}`, { cause: error });
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(path, depth + 1);
      } else if (entry.isFile() && isCandidate(path)) {
        found.push(path);
      } else if ((entry.isFIFO() || entry.isSocket() || entry.isCharacterDevice() || entry.isBlockDevice()) && isCandidate(path)) {
        notes?.push({ kind: 'skipped-file', path, message: 'not a regular file (a FIFO, socket or device); not read' });
      }
    }
  };
  visit('', 0);
  return found;
}

/** Builds the index detectors read from; file texts are read once, lazily. */
export function createFileIndex(paths: readonly string[], read: (path: string) => string | undefined): FileIndex {
  const cache = new Map<string, string | undefined>();
  const known = new Set(paths);
  return {
    paths,
    claimed: new Set<string>(),
    read(path) {
      if (!known.has(path)) return undefined;
      if (!cache.has(path)) cache.set(path, read(path));
      return cache.get(path);
    },
  };
}

/** Migrations are read through readRegularFile: a FIFO or device named `*.sql` is passed over, never waited on. */
function readText(root: string, path: string, notes: Note[] | undefined): string | undefined {
  const read = readRegularFile(join(root, path), MAX_FILE_BYTES);
  if (read.ok) return read.value.toString('utf8');
  if (read.error.code === 'TOO_LARGE') notes?.push({ kind: 'skipped-file', path, message: `larger than ${MAX_FILE_BYTES / (1024 * 1024)} MiB; not linted as a migration` });
  else if (read.error.code === 'NOT_REGULAR') notes?.push({ kind: 'skipped-file', path, message: `${read.error.kind}, not a regular file; not read` });
  return undefined;
}

/**
 * Finds every migration set under `root`, each in the order its framework applies it.
 *
 * @example
 * const sets = discoverMigrations('./app');
 * if (sets.ok) for (const set of sets.value) console.log(set.framework, set.migrations.length);
 */
export function discoverMigrations(root: string, options: DiscoverOptions = {}): Result<MigrationSet[], UserError> {
  // statSync('') fails, but join('', …) would read the working directory's files: an empty root is a usage error.
  if (root === '') return err(userError('USAGE', 'empty path ""', 'pass the repository root, e.g. `.`'));
  let stats: Stats;
  try {
    stats = statSync(root);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EACCES' || code === 'EPERM') return err(userError('PATH_UNREADABLE', `cannot read ${root}: permission denied`));
    if (!isExpectedFsError(error)) throw new Error(`cannot stat ${root}`, { cause: error });
    return err(userError('PATH_NOT_FOUND', `${root} does not exist`, 'pass the repository root'));
  }
  if (!stats.isDirectory()) return err(userError('PATH_NOT_DIRECTORY', `${root} is not a directory`, 'pass the repository root'));
  const paths = (options.files ?? walk(root, options.notes)).map((path) => path.replace(/\\/g, '/')).filter(isCandidate);
  const index = createFileIndex(paths, (path) => readText(root, path, options.notes));
  return ok(discoverInIndex(index));
}

/** Runs the detectors over an index; exported for tests that build the index in memory. */
export function discoverInIndex(index: FileIndex): MigrationSet[] {
  const sets: MigrationSet[] = [];
  for (const detect of DETECTORS) {
    for (const set of detect(index)) {
      if (set.migrations.length === 0) continue;
      const dialect = detectDialect(set, index);
      sets.push(dialect === undefined ? set : { ...set, dialect });
    }
  }
  return sets.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0) || (a.framework < b.framework ? -1 : a.framework > b.framework ? 1 : 0));
}
