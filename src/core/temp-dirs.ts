// Temporary directories the engine creates (the rehearsal's PGlite data directory can hold gigabytes).
// An interrupted or killed process runs no `finally` blocks, and a leftover rehearsal directory fills
// the disk, so `bin/` watches each new directory from outside the process (see `watchTempDirs`).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { errorCode } from './fs-errors.js';
import { err, ok, type Result, type UserError, userError } from './result.js';

let watcher: ((dir: string) => void) | undefined;

/**
 * Called with every directory `createTempDir` makes, so the process owner (`bin/`) can arrange its
 * removal should the process die before `removeTempDir` runs. The engine itself never touches the process.
 *
 * @example watchTempDirs((dir) => startReaper(dir));
 */
export function watchTempDirs(onCreate: (dir: string) => void): void {
  watcher = onCreate;
}

/**
 * Creates `<parent>/<prefix>XXXXXX` (parent: the OS temporary directory, i.e. `TMPDIR`) and reports it
 * to the watcher, if any.
 *
 * @example
 * const dir = createTempDir('shipready-rehearsal-');
 * if (dir.ok) try { use(dir.value); } finally { removeTempDir(dir.value); }
 */
export function createTempDir(prefix: string, parent: string = tmpdir()): Result<string, UserError> {
  try {
    const dir = mkdtempSync(path.join(parent, prefix));
    watcher?.(dir);
    return ok(dir);
  } catch (error) {
    const code = errorCode(error);
    if (code === undefined) throw new Error(`cannot create a temporary directory in ${parent}`, { cause: error });
    return err(userError('TEMP_DIR', `cannot create a temporary directory in ${parent} (${code})`, 'set TMPDIR to a writable directory with free space'));
  }
}

/** Removes a directory made by `createTempDir` (and everything in it). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
