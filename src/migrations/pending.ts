// Which migrations are pending (about to run) and which are applied history, from git: what is linted in full
// depends on it. docs/migrations.md#pending-and-applied-migrations
import * as path from 'node:path';
import { readRegularFile } from '../core/safe-read.js';
import { err, ok, type Result, type UserError } from '../core/result.js';
import { resolveChanges } from '../project/changes.js';
import { dateFromId } from './lint/history.js';
import type { GitEnvironment, GitRepository, GitUnavailable } from '../project/git.js';
import type { Migration, MigrationSet } from './types.js';

/** Migration files are small; a bigger one is compared as changed rather than read whole. */
const MAX_COMPARED_BYTES = 64 * 1024 * 1024;

export interface PendingDecision {
  /** `Migration.path` of every pending migration: added or changed since the base, or not committed yet. */
  readonly pending: ReadonlySet<string>;
  /** One line for the report: which base was used and why, or why git could not tell. */
  readonly explanation: string;
  /** False when git could not answer (no repository, git missing or failing): every migration counts as applied. */
  readonly fromGit: boolean;
  /**
   * Last commit dates (`YYYY-MM-DD`) of the applied migrations' files whose id carries no date, when git answered:
   * the `git log` walk starts with the decision and runs while the migrations are linted.
   */
  readonly dates?: Promise<ReadonlyMap<string, string>>;
}

export interface PendingOptions {
  /** `--since REF`; an unknown ref, or `--since` outside git, is a usage error. */
  readonly since?: string;
  /** The run's environment: git runs in it, and CI names the pull/merge request base in it. */
  readonly env?: GitEnvironment;
  /** The repository already opened for this root (a Project's), so git is not asked again what the scan knows. */
  readonly git?: () => Result<GitRepository, GitUnavailable>;
  /** Date the applied migrations from git (default true); `--all-migrations` summarises nothing, so needs no dates. */
  readonly datesOfApplied?: boolean;
}

/** The files that make up a migration: its path, its up and its down. */
function filesOf(migration: Migration): string[] {
  return [...new Set([migration.path, ...(migration.up === undefined ? [] : [migration.up.path]), ...(migration.down === undefined ? [] : [migration.down.path])])];
}

/**
 * Decides which migrations are pending: those whose files (up or down) were added or changed since the base —
 * `--since REF`, else the pull/merge request base CI names (`GITHUB_BASE_REF`, `CI_MERGE_REQUEST_DIFF_BASE_SHA`,
 * `CI_MERGE_REQUEST_TARGET_BRANCH_NAME`), else the merge-base with the default branch when HEAD is not on it —
 * plus uncommitted and untracked ones. The rest already ran. Outside git every migration counts as applied.
 *
 * @example
 * const decision = decidePending('/repo', sets, { env: io.env });
 * if (decision.ok) decision.value.pending.has('prisma/migrations/20240201000000_idx/migration.sql');
 */
export function decidePending(root: string, sets: readonly MigrationSet[], options: PendingOptions = {}): Result<PendingDecision, UserError> {
  const candidates = [...new Set(sets.flatMap((set) => set.migrations.flatMap(filesOf)))];
  // Nothing to decide: a scan of a repository without migrations starts no git process for it.
  if (candidates.length === 0 && options.since === undefined) return ok({ pending: new Set(), fromGit: false, explanation: 'no migrations found' });
  const changes = resolveChanges(root, {
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.git === undefined ? {} : { git: options.git }),
    candidates,
    readFile: (local) => {
      const read = readRegularFile(path.join(root, local), MAX_COMPARED_BYTES);
      return read.ok ? read.value : undefined;
    },
  });
  if (!changes.ok) return err(changes.error);
  if (!changes.value.ok) {
    return ok({ pending: new Set(), fromGit: false, explanation: `git cannot tell which migrations are new (${changes.value.error.reason}), so every migration counts as applied` });
  }
  const { committed, uncommitted, explanation, repository } = changes.value.value;
  const pending = new Set<string>();
  for (const set of sets) {
    for (const migration of set.migrations) if (filesOf(migration).some((file) => committed.has(file) || uncommitted.has(file))) pending.add(migration.path);
  }
  if (options.datesOfApplied === false) return ok({ pending, explanation, fromGit: true });
  const undated = sets.flatMap((set) => set.migrations.filter((migration) => !pending.has(migration.path) && dateFromId(migration.id) === undefined).flatMap(filesOf));
  return ok({ pending, explanation, fromGit: true, dates: repository.lastCommitDates(undated) });
}
