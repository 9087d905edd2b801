import { readRegularFile } from '../core/safe-read.js';
import { err, ok, type Result, type UserError } from '../core/result.js';
import { resolveChanges } from '../project/changes.js';
import type { GitEnvironment } from '../project/git.js';
import * as path from 'node:path';

/** Migration files are small; a bigger one is compared as changed rather than read whole. */
const MAX_COMPARED_BYTES = 64 * 1024 * 1024;

/**
 * Root-relative paths of files added or changed since `ref` (committed since its merge-base with HEAD, staged,
 * modified or untracked among `candidates`): migrations older than the ref are history that already ran.
 *
 * @example changedSince('/repo', 'origin/main', ['prisma/migrations/2/migration.sql']) // ok(Set { 'prisma/migrations/2/migration.sql' })
 */
export function changedSince(root: string, ref: string, candidates: readonly string[], env?: GitEnvironment): Result<Set<string>, UserError> {
  const changes = resolveChanges(root, {
    since: ref,
    ...(env === undefined ? {} : { env }),
    candidates,
    readFile: (local) => {
      const read = readRegularFile(path.join(root, local), MAX_COMPARED_BYTES);
      return read.ok ? read.value : undefined;
    },
  });
  if (!changes.ok) return changes;
  if (!changes.value.ok) return err({ code: 'USAGE', message: `--since ${ref}: ${changes.value.error.reason}` });
  return ok(new Set([...changes.value.value.committed, ...changes.value.value.uncommitted]));
}
