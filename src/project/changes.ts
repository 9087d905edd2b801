import { err, ok, userError, type Result, type UserError } from '../core/result.js';
import { GitRepository, type GitEnvironment, type GitUnavailable } from './git.js';

/** How the base commit of a change was chosen. */
export type ChangeBaseSource = 'since' | 'github-pull-request' | 'gitlab-merge-request' | 'default-branch';

export interface ChangeBase {
  /** What the user or CI named (`origin/main`, `GITHUB_BASE_REF=main`). */
  readonly ref: string;
  /** The commit changes are counted from: the merge-base of `ref` and HEAD. */
  readonly commit: string;
  readonly source: ChangeBaseSource;
}

/**
 * What counts as the change under review: files added or changed since a base commit, plus everything not
 * committed yet (staged, modified or untracked). Paths are relative to the scanned folder.
 */
export interface ChangeSet {
  /** Absent when there is no base (HEAD is on the default branch, or none could be found): only uncommitted work counts. */
  readonly base?: ChangeBase;
  /** Files committed since the base. */
  readonly committed: ReadonlySet<string>;
  /** Staged, modified or untracked files among the candidates. */
  readonly uncommitted: ReadonlySet<string>;
  /** One line for the report: which base was used and why, or why none was. */
  readonly explanation: string;
  readonly repository: GitRepository;
}

export interface ChangeOptions {
  /** `--since REF`: the base named by the user; an unknown ref is a usage error. */
  readonly since?: string;
  /** The environment CI describes the pull request in (`GITHUB_BASE_REF`, `CI_MERGE_REQUEST_*`). */
  readonly env?: GitEnvironment;
  /** Only these scanned-folder-relative files are checked for uncommitted edits (hashing every file would be slow). */
  readonly candidates: readonly string[];
  /** Reads a candidate's bytes, to compare it with the index. */
  readonly readFile: (local: string) => Buffer | undefined;
  /** The repository already opened for this root (a Project's), so git is not asked again what the scan knows. */
  readonly git?: () => Result<GitRepository, GitUnavailable>;
}

/** Why no change set could be computed: the folder is not in a git repository, or git cannot answer. */
export interface NoChangeSet {
  readonly reason: string;
}

function baseFromEnvironment(repository: GitRepository, env: GitEnvironment | undefined): { ref: string; commit?: string; source: ChangeBaseSource } | undefined {
  const gitlabSha = env?.['CI_MERGE_REQUEST_DIFF_BASE_SHA'];
  const gitlabBranch = env?.['CI_MERGE_REQUEST_TARGET_BRANCH_NAME'];
  if (gitlabSha !== undefined && gitlabSha !== '') {
    const commit = repository.resolveCommit(gitlabSha);
    return { ref: `CI_MERGE_REQUEST_DIFF_BASE_SHA=${gitlabSha}`, ...(commit === undefined ? {} : { commit }), source: 'gitlab-merge-request' };
  }
  if (gitlabBranch !== undefined && gitlabBranch !== '') {
    const commit = repository.resolveCommit(`origin/${gitlabBranch}`) ?? repository.resolveCommit(gitlabBranch);
    return { ref: `CI_MERGE_REQUEST_TARGET_BRANCH_NAME=${gitlabBranch}`, ...(commit === undefined ? {} : { commit }), source: 'gitlab-merge-request' };
  }
  const githubBase = env?.['GITHUB_BASE_REF'];
  if (githubBase !== undefined && githubBase !== '') {
    const commit = repository.resolveCommit(`origin/${githubBase}`) ?? repository.resolveCommit(githubBase);
    return { ref: `GITHUB_BASE_REF=${githubBase}`, ...(commit === undefined ? {} : { commit }), source: 'github-pull-request' };
  }
  return undefined;
}

/**
 * Decides what the change under review is: `--since REF`, else the pull/merge request base CI names, else the
 * merge-base with the default branch when HEAD is not on it; plus uncommitted and untracked files.
 * Nothing here writes to the repository or runs its code (see `runGit`).
 *
 * @example
 * const changes = resolveChanges('/repo', { candidates: migrationPaths, readFile, env: process.env });
 * if (changes.ok && changes.value.ok) changes.value.value.committed.has('prisma/migrations/2/migration.sql');
 */
export function resolveChanges(root: string, options: ChangeOptions): Result<Result<ChangeSet, NoChangeSet>, UserError> {
  const opened = options.git?.() ?? GitRepository.open(root, options.env);
  if (!opened.ok) {
    if (options.since !== undefined) return err(userError('USAGE', `--since needs a git repository: ${opened.error.message}`, 'run without --since, or inside a git checkout'));
    return ok(err({ reason: opened.error.message }));
  }
  const repository = opened.value;
  const head = repository.resolveCommit('HEAD');
  let base: ChangeBase | undefined;
  let explanation: string;
  if (options.since !== undefined) {
    const commit = repository.resolveCommit(options.since);
    if (commit === undefined) return err(userError('USAGE', `--since ${options.since}: unknown git ref`, 'pass a branch, tag or commit that exists, e.g. --since origin/main'));
    base = { ref: options.since, commit: head === undefined ? commit : (repository.mergeBase(commit, head) ?? commit), source: 'since' };
    explanation = `changes since ${options.since} (--since)`;
  } else {
    const fromCi = baseFromEnvironment(repository, options.env);
    if (fromCi !== undefined) {
      if (fromCi.commit === undefined) {
        explanation = `${fromCi.ref}, but that commit is not in this clone (a shallow checkout: set fetch-depth: 0, or pass --since); only uncommitted files count as changed`;
      } else {
        base = { ref: fromCi.ref, commit: head === undefined ? fromCi.commit : (repository.mergeBase(fromCi.commit, head) ?? fromCi.commit), source: fromCi.source };
        explanation = `changes of the ${fromCi.source === 'github-pull-request' ? 'pull' : 'merge'} request (${fromCi.ref})`;
      }
    } else {
      const defaultBranch = repository.defaultBranch();
      const defaultCommit = defaultBranch === undefined ? undefined : repository.resolveCommit(defaultBranch);
      if (defaultBranch === undefined || defaultCommit === undefined || head === undefined) {
        explanation = head === undefined ? 'no commit yet: every file is uncommitted' : 'no default branch found (origin/HEAD, main or master); only uncommitted files count as changed';
      } else {
        const mergeBase = repository.mergeBase(defaultCommit, head);
        if (mergeBase === head) {
          explanation = `HEAD is on ${defaultBranch}; only uncommitted files count as changed`;
        } else {
          base = { ref: defaultBranch, commit: mergeBase ?? defaultCommit, source: 'default-branch' };
          explanation = `changes of this branch since it left ${defaultBranch}`;
        }
      }
    }
  }
  let committed: ReadonlySet<string> = new Set();
  if (base !== undefined && head !== undefined) {
    const changed = repository.changedBetween(base.commit, head);
    if (!changed.ok) return ok(err({ reason: changed.error.message }));
    committed = changed.value;
  }
  const uncommitted = new Set<string>();
  const tracked = repository.trackedFiles();
  if (!tracked.ok) return ok(err({ reason: tracked.error.message }));
  const staged = head === undefined ? undefined : repository.stagedFiles(head);
  const modified = repository.modifiedFiles(options.candidates, options.readFile);
  const untracked = options.candidates.filter((candidate) => !tracked.value.has(candidate));
  // An untracked file that HEAD holds with the same content is not new work: the clone's index was lost or emptied.
  const committedAsIs = head === undefined ? undefined : repository.sameAsCommit(head, untracked, options.readFile);
  for (const candidate of options.candidates) {
    if (!tracked.value.has(candidate)) {
      if (committedAsIs?.ok !== true || !committedAsIs.value.has(candidate)) uncommitted.add(candidate);
    } else if (staged?.ok === true && staged.value.has(candidate)) uncommitted.add(candidate);
    else if (modified.ok && modified.value.has(candidate)) uncommitted.add(candidate);
  }
  return ok(ok({ ...(base === undefined ? {} : { base }), committed, uncommitted, explanation, repository }));
}
