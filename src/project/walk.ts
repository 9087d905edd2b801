import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Note } from '../core/report.js';
import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { errorCode } from '../core/fs-errors.js';
import { readRegularFile, type ReadRefusal } from '../core/safe-read.js';
import { findWorkTreeTop } from './git.js';

/** The slice of `node:fs` the walk needs; tests inject failures (unreadable files as root) through it. */
export interface FileSystem {
  readdirSync(dir: string, options: { withFileTypes: true }): nodeFs.Dirent[];
  statSync(file: string): nodeFs.Stats;
  lstatSync(file: string): nodeFs.Stats;
  realpathSync(file: string): string;
  /** Every read of a file's content goes through `readRegularFile`: a regular file, at most `maxBytes`, never blocking. */
  readRegularFile(file: string, maxBytes: number): Result<Buffer, ReadRefusal>;
}

export const realFileSystem: FileSystem = {
  readdirSync: (dir, options) => nodeFs.readdirSync(dir, options),
  statSync: (file) => nodeFs.statSync(file),
  lstatSync: (file) => nodeFs.lstatSync(file),
  // The libc realpath: Node's own lstats every component of the path in JavaScript.
  realpathSync: (file) => nodeFs.realpathSync.native(file),
  readRegularFile: (file, maxBytes) => readRegularFile(file, maxBytes),
};

export interface FileEntry {
  /** POSIX path relative to the root. */
  readonly path: string;
  readonly size: number;
}

export interface WalkOptions {
  /** Files larger than this are skipped with a note (default 1 MiB). */
  readonly maxFileSize?: number;
  /** Extra globs (relative to the root, picomatch syntax) to skip, e.g. from config `ignore`. */
  readonly ignore?: readonly string[];
  readonly fs?: FileSystem;
  /** Apply the `.gitignore` files above a root that is a sub-folder of a work tree (default true). */
  readonly ancestorIgnores?: boolean;
  /**
   * The files git tracks under the root (root-relative), asked for only when an ignore file excludes something:
   * ignore patterns never apply to a tracked file, so a committed `.env` that `.gitignore` now lists is still
   * read (and judged). Undefined when git cannot tell.
   */
  readonly trackedFiles?: () => ReadonlySet<string> | undefined;
}

export interface WalkResult {
  readonly root: string;
  readonly files: readonly FileEntry[];
  readonly notes: readonly Note[];
  /** Files skipped silently because their extension is a known binary format. */
  readonly binaryByExtension: number;
}

export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;

/**
 * Directories no one wants scanned: dependencies, VCS data and build output. They are skipped before
 * `.gitignore` is consulted, so a repo without a `.gitignore` is still fast.
 */
export const DEFAULT_IGNORED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.vercel',
  '.netlify',
  '.pnpm-store',
  '.yarn',
  '.venv',
  '__pycache__',
]);

const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'avif', 'ico', 'bmp', 'tiff', 'psd',
  'woff', 'woff2', 'ttf', 'otf', 'eot',
  'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar', 'jar', 'war',
  'mp3', 'mp4', 'mov', 'avi', 'webm', 'wav', 'ogg', 'flac',
  'wasm', 'so', 'dylib', 'dll', 'exe', 'node', 'class', 'pyc', 'o', 'a', 'bin', 'dat',
  'sqlite', 'sqlite3', 'db',
]);

export function hasBinaryExtension(file: string): boolean {
  const dot = file.lastIndexOf('.');
  return dot >= 0 && BINARY_EXTENSIONS.has(file.slice(dot + 1).toLowerCase());
}

interface IgnoreScope {
  /** POSIX directory (relative to root, '' for root) the `.gitignore` lives in. */
  readonly base: string;
  /**
   * For an ignore file above the scanned root (the root is a sub-folder of a work tree): the root's path
   * relative to that file's directory, prepended to every root-relative path it judges.
   */
  readonly rootPrefix?: string;
  readonly matcher: Ignore;
}

function isIgnoredByScopes(scopes: readonly IgnoreScope[], relative: string, isDirectory: boolean): boolean {
  for (const scope of scopes) {
    const local = scope.rootPrefix !== undefined ? `${scope.rootPrefix}/${relative}` : scope.base === '' ? relative : relative.slice(scope.base.length + 1);
    if (local === '') continue;
    if (scope.matcher.ignores(isDirectory ? `${local}/` : local)) return true;
  }
  return false;
}

/** Ignore files are small; anything bigger (or not a regular file) is not one. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

function readIgnoreFile(file: string): string | undefined {
  const read = readRegularFile(file, MAX_IGNORE_FILE_BYTES);
  return read.ok ? read.value.toString('utf8') : undefined;
}

/**
 * The ignore rules that apply to a scanned sub-folder from above: every `.gitignore` between the work tree's
 * top and the folder, and the repository's `info/exclude`. Git reads them for the folder, so shipready does
 * too: an ignored `apps/api/.env` stays unscanned when only `apps/api` is scanned. Reading them runs nothing.
 */
function ancestorIgnoreScopes(realRoot: string, notes: Note[]): IgnoreScope[] {
  const top = findWorkTreeTop(realRoot);
  if (top === undefined || top === realRoot) return [];
  const scopes: IgnoreScope[] = [];
  const gitDir = path.join(top, '.git');
  const exclude = readIgnoreFile(path.join(gitDir, 'info', 'exclude'));
  const toPosix = (value: string): string => value.split(path.sep).join('/');
  if (exclude !== undefined) scopes.push({ base: '', rootPrefix: toPosix(path.relative(top, realRoot)), matcher: ignore({ allowRelativePaths: true }).add(exclude) });
  for (let dir = top; dir !== realRoot && isInside(top, dir); ) {
    const patterns = readIgnoreFile(path.join(dir, '.gitignore'));
    if (patterns !== undefined) scopes.push({ base: '', rootPrefix: toPosix(path.relative(dir, realRoot)), matcher: ignore({ allowRelativePaths: true }).add(patterns) });
    const next = path.join(dir, path.relative(dir, realRoot).split(path.sep)[0] ?? '');
    if (next === dir) break;
    dir = next;
  }
  // Scanning a folder the repository ignores (a build output, a generated tree) is an explicit request: its
  // contents are read as if it were a repository of its own.
  const rootIgnored = scopes.some((scope) => scope.matcher.ignores(`${scope.rootPrefix ?? ''}/`));
  if (rootIgnored) {
    notes.push({ kind: 'info', message: 'the scanned folder is git-ignored by its repository; its own ignore files apply, not those above it' });
    return [];
  }
  return scopes;
}


/**
 * One pass over the tree: honours nested `.gitignore` files and default ignores, follows directory
 * symlinks that stay inside the root (each real directory once, so loops end), and records every
 * skipped file as a note instead of failing.
 *
 * @example
 * const walked = walk('/repo', { maxFileSize: 512 * 1024 });
 * if (walked.ok) console.log(walked.value.files.length);
 */
export function walk(root: string, options: WalkOptions = {}): Result<WalkResult, UserError> {
  const fs = options.fs ?? realFileSystem;
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  // path.resolve('') is the working directory: an empty root (an unset variable) must not scan whatever that is.
  if (root === '') return err(userError('USAGE', 'empty path ""', 'pass the repository directory, e.g. `.`'));
  const absoluteRoot = path.resolve(root);
  let rootStat: nodeFs.Stats;
  let realRoot: string;
  try {
    rootStat = fs.statSync(absoluteRoot);
    realRoot = fs.realpathSync(absoluteRoot);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return err(userError('PATH_NOT_FOUND', `path not found: ${root}`, 'check the path, or run from the repository root'));
    if (code === 'EACCES' || code === 'EPERM') return err(userError('PATH_UNREADABLE', `cannot read ${root}: permission denied`));
    throw new Error(`cannot stat ${root}`, { cause: error });
  }
  if (!rootStat.isDirectory()) {
    return err(userError('PATH_NOT_DIRECTORY', `not a directory: ${root}`, 'scan takes the repository directory, e.g. `shipready scan .`'));
  }

  const extraIgnore = options.ignore !== undefined && options.ignore.length > 0 ? picomatch([...options.ignore], { dot: true }) : undefined;
  const files: FileEntry[] = [];
  const notes: Note[] = [];
  let binaryByExtension = 0;
  const visitedDirs = new Set<string>([realRoot]);
  const inherited = options.ancestorIgnores === false ? [] : ancestorIgnoreScopes(realRoot, notes);
  const tracked = trackedLookup(options.trackedFiles);
  // Each directory carries its real path: a plain sub-directory's is its parent's plus its name, so only links
  // are resolved. Resolving every directory made a tree 1,500 levels deep take 80 s (realpath walks every level).
  const stack: Array<{ dir: string; real: string; relative: string; scopes: readonly IgnoreScope[] }> = [{ dir: absoluteRoot, real: realRoot, relative: '', scopes: inherited }];

  while (stack.length > 0) {
    const current = stack.pop();
    if (current === undefined) break;
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(current.dir, { withFileTypes: true });
    } catch (error) {
      notes.push({ kind: 'skipped-file', path: current.relative || '.', message: `directory not readable (${errorCode(error) ?? 'error'})` });
      continue;
    }
    let scopes = current.scopes;
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      const read = fs.readRegularFile(path.join(current.dir, '.gitignore'), MAX_IGNORE_FILE_BYTES);
      if (read.ok) scopes = [...scopes, { base: current.relative, matcher: ignore({ allowRelativePaths: true }).add(read.value.toString('utf8')) }];
      else notes.push({ kind: 'skipped-file', path: joinRelative(current.relative, '.gitignore'), message: `${describeRefusal(read.error)}; its patterns were not applied` });
    }
    // Sorted so the file order (and everything downstream) is the same on every machine.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Array<{ dir: string; real: string; relative: string; scopes: readonly IgnoreScope[] }> = [];
    for (const entry of entries) {
      const relative = joinRelative(current.relative, entry.name);
      const absolute = path.join(current.dir, entry.name);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      let special = specialKind(entry);
      if (entry.isSymbolicLink()) {
        try {
          const target = fs.statSync(absolute);
          isDirectory = target.isDirectory();
          isFile = target.isFile();
          special = specialKind(target);
        } catch (error) {
          notes.push({ kind: 'skipped-file', path: relative, message: errorCode(error) === 'ELOOP' ? 'symbolic link loop' : 'broken symbolic link' });
          continue;
        }
      }
      if (special !== undefined) {
        // Opening a FIFO blocks until someone writes to it and a device never ends: neither is source code.
        if (!isIgnoredByScopes(scopes, relative, false) && extraIgnore?.(relative) !== true) notes.push({ kind: 'skipped-file', path: relative, message: `${special}, not a regular file; not read` });
        continue;
      }
      if (isDirectory) {
        if (DEFAULT_IGNORED_DIRS.has(entry.name)) continue;
        if (extraIgnore?.(relative) === true || extraIgnore?.(`${relative}/`) === true) continue;
        if (isIgnoredByScopes(scopes, relative, true) && !tracked.holdsDirectory(relative)) continue;
        const real = entry.isSymbolicLink() ? safeRealpath(fs, absolute) : path.join(current.real, entry.name);
        if (real === undefined || !isInside(realRoot, real)) {
          notes.push({ kind: 'skipped-file', path: relative, message: 'symbolic link to a directory outside the scanned root' });
          continue;
        }
        if (visitedDirs.has(real)) continue;
        visitedDirs.add(real);
        subdirs.push({ dir: absolute, real, relative, scopes });
        continue;
      }
      if (!isFile) continue;
      if (extraIgnore?.(relative) === true) continue;
      if (isIgnoredByScopes(scopes, relative, false) && !tracked.holdsFile(relative)) continue;
      if (entry.isSymbolicLink()) {
        // The same rule as for directories: a link out of the root (to ~/.aws/credentials, /etc/shadow) would put
        // a file the repository does not hold into the report.
        const real = safeRealpath(fs, absolute);
        if (real === undefined || !isInside(realRoot, real)) {
          notes.push({ kind: 'skipped-file', path: relative, message: 'symbolic link to a file outside the scanned root' });
          continue;
        }
      }
      if (hasBinaryExtension(entry.name)) {
        binaryByExtension += 1;
        continue;
      }
      let size: number;
      try {
        size = fs.statSync(absolute).size;
      } catch (error) {
        notes.push({ kind: 'skipped-file', path: relative, message: `not readable (${errorCode(error) ?? 'error'})` });
        continue;
      }
      if (size > maxFileSize) {
        notes.push({ kind: 'skipped-file', path: relative, message: `larger than ${formatBytes(maxFileSize)} (${formatBytes(size)}); raise maxFileSize to scan it` });
        continue;
      }
      files.push({ path: relative, size });
    }
    for (const subdir of subdirs.reverse()) stack.push(subdir);
  }
  return ok({ root: absoluteRoot, files, notes, binaryByExtension });
}

/** Tracked files and the directories above them, built on first use (most ignored entries are checked once). */
function trackedLookup(source: (() => ReadonlySet<string> | undefined) | undefined): { holdsFile(file: string): boolean; holdsDirectory(dir: string): boolean } {
  let files: ReadonlySet<string> | undefined;
  let directories: Set<string> | undefined;
  const load = (): void => {
    if (directories !== undefined) return;
    files = source?.() ?? new Set<string>();
    directories = new Set<string>();
    for (const file of files) {
      for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
        const dir = file.slice(0, slash);
        if (directories.has(dir)) break;
        directories.add(dir);
      }
    }
  };
  return {
    holdsFile: (file) => {
      load();
      return files?.has(file) === true;
    },
    holdsDirectory: (dir) => {
      load();
      return directories?.has(dir) === true;
    },
  };
}

/** What a non-regular, non-directory entry is (a FIFO, socket or device), or undefined for files, directories and links. */
function specialKind(entry: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string | undefined {
  if (entry.isFIFO()) return 'a named pipe (FIFO)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  return undefined;
}

/**
 * The note for a file the walk listed but could not read: it turned into a FIFO or device since, grew past the
 * cap, vanished or is not readable.
 *
 * @example describeRefusal({ code: 'UNREADABLE', message: '…', errno: 'EACCES' }) // 'not readable (EACCES)'
 */
export function describeRefusal(refusal: ReadRefusal): string {
  switch (refusal.code) {
    case 'NOT_FOUND':
      return 'not readable (ENOENT)';
    case 'NOT_REGULAR':
      return `${refusal.kind}, not a regular file; not read`;
    case 'TOO_LARGE':
      return `grew past the size limit since the walk (${formatBytes(refusal.size)}); not read`;
    case 'UNREADABLE':
      return `not readable (${refusal.errno})`;
  }
}

function joinRelative(base: string, name: string): string {
  return base === '' ? name : `${base}/${name}`;
}

function safeRealpath(fs: FileSystem, file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} B`;
}
