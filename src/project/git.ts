import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { errorCode } from '../core/fs-errors.js';

/** Why git could not answer: no git binary, the folder is in no work tree, or git itself failed. */
export type GitUnavailable = { readonly code: 'GIT_NOT_INSTALLED' | 'NOT_A_REPOSITORY' | 'GIT_FAILED'; readonly message: string };

/** The environment git runs in: the CLI passes the user's own (PATH, HOME, locale); `GIT_*` variables are never kept. */
export type GitEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Configuration that wins over anything the scanned repository's `.git/config` (or a file it includes) says, so
 * that reading a repository never runs a program it names: fsmonitor hooks, hooks, pagers, external diff and
 * textconv drivers, signature verification, credential or transport helpers and lazy fetches of a partial clone.
 * Files git would read on the repository's say (excludes, attributes, mailmap) are pinned to /dev/null so a FIFO
 * there cannot hang git either. `safe.directory` is not overridden: git's own refusal of a repository owned by
 * another user stays in force, and shipready then answers without git.
 */
const SAFE_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.askPass=',
  'core.sshCommand=false',
  'core.gitProxy=',
  'core.excludesFile=/dev/null',
  'core.attributesFile=/dev/null',
  'core.untrackedCache=false',
  'core.splitIndex=false',
  'core.sparseCheckout=false',
  'diff.external=',
  'diff.noprefix=false',
  'log.showSignature=false',
  'gpg.program=false',
  'gpg.ssh.program=false',
  'gpg.x509.program=false',
  'mailmap.file=/dev/null',
  'mailmap.blob=',
  'credential.helper=',
  'protocol.allow=never',
  'fetch.recurseSubmodules=false',
  'submodule.recurse=false',
  'color.ui=false',
  'i18n.logOutputEncoding=UTF-8',
];

/** Flags that keep `diff`/`log` from starting drivers even when a future git reads more config than listed above. */
const NO_DRIVERS = ['--no-ext-diff', '--no-textconv'];

const GIT_TIMEOUT_MS = 10_000;

/**
 * The child environment: the caller's variables minus every `GIT_*` one (a hook's `GIT_DIR` would point git at
 * another repository), then git told to read neither system nor global config, never prompt, never page, never
 * take optional locks (a scan writes nothing, not even `.git/index`) and never fetch missing objects.
 */
export function gitEnvironment(base: GitEnvironment | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base ?? {})) {
    if (value === undefined || key.startsWith('GIT_') || key === 'PAGER' || key === 'LESS' || key === 'SSH_ASKPASS') continue;
    env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    GIT_EDITOR: 'false',
    GIT_SSH_COMMAND: 'false',
    LC_ALL: 'C',
  };
}

/**
 * Runs one read-only git command in `cwd` under the safe configuration. Expected failures (no git, not a
 * repository, a git error, a timeout) are values.
 *
 * @example runGit('/repo', ['rev-parse', 'HEAD'], process.env) // ok('4f1c…\n')
 */
export function runGit(cwd: string, args: readonly string[], env: GitEnvironment | undefined): Result<string, GitUnavailable> {
  try {
    return ok(execFileSync('git', gitArgv(args), { ...execOptions(cwd, env), stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch (error) {
    const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error && typeof error.stderr === 'string' ? error.stderr : '';
    return err(gitFailure(cwd, args, errorCode(error), status, stderr));
  }
}

/**
 * `runGit` without blocking: git runs while the caller goes on with other work (the migration lint parses while
 * `git log` walks the history), on the same safe configuration and environment.
 *
 * @example const log = runGitAsync('/repo', ['log', '-1', '--format=%cs'], process.env); … (await log).ok
 */
export function runGitAsync(cwd: string, args: readonly string[], env: GitEnvironment | undefined): Promise<Result<string, GitUnavailable>> {
  return new Promise((resolve) => {
    execFile('git', gitArgv(args), execOptions(cwd, env), (error, stdout, stderr) => {
      if (error === null) resolve(ok(stdout));
      // A child killed for its time limit reports no exit status, only the signal.
      else resolve(err(gitFailure(cwd, args, error.killed === true ? 'ETIMEDOUT' : errorCode(error), typeof error.code === 'number' ? error.code : undefined, stderr)));
    });
  });
}

function gitArgv(args: readonly string[]): string[] {
  return [...SAFE_CONFIG.flatMap((setting) => ['-c', setting]), '--no-pager', '--no-optional-locks', '--literal-pathspecs', ...args];
}

function execOptions(cwd: string, env: GitEnvironment | undefined) {
  return { cwd, encoding: 'utf8', env: gitEnvironment(env), timeout: GIT_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, windowsHide: true } as const;
}

function gitFailure(cwd: string, args: readonly string[], code: string | undefined, status: unknown, stderr: string): GitUnavailable {
  if (code === 'ENOENT') return { code: 'GIT_NOT_INSTALLED', message: 'git is not installed' };
  if (code === 'ETIMEDOUT') return { code: 'GIT_FAILED', message: `git ${args[0] ?? ''} did not answer within ${GIT_TIMEOUT_MS / 1000} s` };
  const firstLine = stderr.trim().split('\n')[0] ?? '';
  // git exits 128 outside a repository (and for repositories it refuses, such as another user's).
  if (status === 128 && /not a git repository|dubious ownership/i.test(stderr)) {
    return { code: 'NOT_A_REPOSITORY', message: /dubious ownership/i.test(stderr) ? `git refuses ${cwd}: it is owned by another user (safe.directory)` : `${cwd} is not in a git repository` };
  }
  return { code: 'GIT_FAILED', message: firstLine === '' ? `git ${args[0] ?? ''} failed` : firstLine };
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

function realpath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Finds the work tree that holds `dir` without running git: the nearest ancestor with a `.git` directory or
 * file. Used to read the ignore files above a scanned sub-folder.
 *
 * @example findWorkTreeTop('/repo/apps/api') // '/repo'
 */
export function findWorkTreeTop(dir: string): string | undefined {
  let current = realpath(path.resolve(dir));
  while (current !== undefined) {
    try {
      const stat = fs.lstatSync(path.join(current, '.git'));
      if (stat.isDirectory() || stat.isFile()) return current;
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' && errorCode(error) !== 'ENOTDIR') return undefined;
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}

/** Git's blob id of `content` (what `git hash-object` prints, without running filters). */
function blobId(content: Buffer, format: 'sha1' | 'sha256'): string {
  return createHash(format).update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A tracked file as the index records it. */
interface IndexEntry {
  readonly mode: string;
  readonly object: string;
}

/**
 * A scanned folder's git repository: its top, the folder's place in it, and read-only answers (tracked,
 * untracked, changed since a commit), all with paths relative to the scanned folder unless named otherwise.
 * Git never reads the work tree's content through a filter here: which tracked files are modified is decided
 * by hashing them, so a `filter.<name>.clean` in the repository's config is never started.
 *
 * @example
 * const repo = GitRepository.open('/repo/apps/api', process.env);
 * if (repo.ok) repo.value.prefix // 'apps/api'
 */
export class GitRepository {
  /** Real absolute path of the work tree's top. */
  readonly top: string;
  /** POSIX path of the scanned folder relative to `top` ('' when it is the top). */
  readonly prefix: string;
  private readonly env: GitEnvironment | undefined;
  private indexCache: Result<ReadonlyMap<string, IndexEntry>, GitUnavailable> | undefined;
  private untrackedCache: Result<ReadonlySet<string>, GitUnavailable> | undefined;

  private constructor(top: string, prefix: string, env: GitEnvironment | undefined) {
    this.top = top;
    this.prefix = prefix;
    this.env = env;
  }

  static open(dir: string, env: GitEnvironment | undefined): Result<GitRepository, GitUnavailable> {
    const real = realpath(dir);
    if (real === undefined) return err({ code: 'NOT_A_REPOSITORY', message: `${dir} does not exist` });
    // Without a .git above it, git would only say so; not starting it keeps scans of plain folders fast.
    if (findWorkTreeTop(real) === undefined) return err({ code: 'NOT_A_REPOSITORY', message: `${dir} is not in a git repository` });
    const top = runGit(real, ['rev-parse', '--show-toplevel'], env);
    if (!top.ok) return top;
    const realTop = realpath(top.value.trim());
    if (realTop === undefined) return err({ code: 'GIT_FAILED', message: `git named ${top.value.trim()} as the work tree, which does not exist` });
    const relative = path.relative(realTop, real);
    // A core.worktree elsewhere (set by the repository) must not make shipready read or judge another tree.
    if (relative.startsWith('..') || path.isAbsolute(relative)) return err({ code: 'NOT_A_REPOSITORY', message: `${dir} is outside the work tree git names (${realTop})` });
    return ok(new GitRepository(realTop, relative.split(path.sep).join('/'), env));
  }

  /** Runs git at the top of the work tree. */
  run(args: readonly string[]): Result<string, GitUnavailable> {
    return runGit(this.top, args, this.env);
  }

  /** `top`-relative path → scanned-folder-relative path, or undefined when it lies outside the folder. */
  toLocal(topRelative: string): string | undefined {
    if (this.prefix === '') return topRelative;
    return topRelative.startsWith(`${this.prefix}/`) ? topRelative.slice(this.prefix.length + 1) : undefined;
  }

  /** Scanned-folder-relative path → `top`-relative path. */
  toTop(local: string): string {
    return this.prefix === '' ? local : `${this.prefix}/${local}`;
  }

  private index(): Result<ReadonlyMap<string, IndexEntry>, GitUnavailable> {
    if (this.indexCache === undefined) {
      const listed = this.run(['ls-files', '--stage', '-z', '--', ...(this.prefix === '' ? [] : [this.prefix])]);
      if (!listed.ok) {
        this.indexCache = listed;
      } else {
        const entries = new Map<string, IndexEntry>();
        for (const record of splitNul(listed.value)) {
          // `<mode> <object> <stage>\t<path>`
          const tab = record.indexOf('\t');
          const [mode, object] = record.slice(0, tab).split(' ');
          const local = this.toLocal(record.slice(tab + 1));
          if (tab < 0 || mode === undefined || object === undefined || local === undefined) continue;
          entries.set(local, { mode, object });
        }
        this.indexCache = ok(entries);
      }
    }
    return this.indexCache;
  }

  /**
   * Tracked files under the scanned folder.
   *
   * @example repo.trackedFiles() // ok(Set { 'package.json', 'src/app.ts' })
   */
  trackedFiles(): Result<ReadonlySet<string>, GitUnavailable> {
    const index = this.index();
    return index.ok ? ok(new Set(index.value.keys())) : index;
  }

  /** Untracked, not ignored files under the scanned folder (`git ls-files --others --exclude-standard`). */
  untrackedFiles(): Result<ReadonlySet<string>, GitUnavailable> {
    if (this.untrackedCache === undefined) {
      const listed = this.run(['ls-files', '--others', '--exclude-standard', '-z', '--', ...(this.prefix === '' ? [] : [this.prefix])]);
      this.untrackedCache = listed.ok ? ok(new Set(splitNul(listed.value).flatMap((file) => this.toLocal(file) ?? []))) : listed;
    }
    return this.untrackedCache;
  }

  /**
   * Tracked files among `candidates` whose content differs from the index (staged or not), found by hashing
   * each one as git would without filters. Line endings converted on checkout count as unchanged.
   *
   * @example repo.modifiedFiles(['prisma/migrations/1/migration.sql'])
   */
  modifiedFiles(candidates: readonly string[], readFile: (local: string) => Buffer | undefined): Result<ReadonlySet<string>, GitUnavailable> {
    const index = this.index();
    if (!index.ok) return index;
    const format = this.objectFormat();
    const modified = new Set<string>();
    for (const local of candidates) {
      const entry = index.value.get(local);
      if (entry === undefined || !entry.mode.startsWith('100')) continue;
      const content = readFile(local);
      if (content === undefined) {
        modified.add(local);
        continue;
      }
      if (blobId(content, format) === entry.object) continue;
      const lf = Buffer.from(content.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      if (lf.length !== content.length && blobId(lf, format) === entry.object) continue;
      modified.add(local);
    }
    return ok(modified);
  }

  /**
   * Files among `candidates` whose content is byte for byte what `commit` holds at that path (line endings
   * converted on checkout count as the same), found with `ls-tree` (a tree read: no filter runs) and by hashing
   * the files. A clone whose index was lost lists every file as untracked; these are not new work.
   *
   * @example repo.sameAsCommit('HEAD', ['prisma/migrations/1/migration.sql'], read) // ok(Set { 'prisma/migrations/1/migration.sql' })
   */
  sameAsCommit(commit: string, candidates: readonly string[], readFile: (local: string) => Buffer | undefined): Result<ReadonlySet<string>, GitUnavailable> {
    const same = new Set<string>();
    if (candidates.length === 0) return ok(same);
    const listed = this.run(['ls-tree', '-z', '--full-tree', '--end-of-options', commit, '--', ...candidates.map((local) => this.toTop(local))]);
    if (!listed.ok) return listed;
    const format = this.objectFormat();
    for (const record of splitNul(listed.value)) {
      // `<mode> <type> <object>\t<path>`
      const tab = record.indexOf('\t');
      const [mode, type, object] = record.slice(0, tab).split(' ');
      const local = this.toLocal(record.slice(tab + 1));
      if (tab < 0 || type !== 'blob' || mode?.startsWith('100') !== true || object === undefined || local === undefined) continue;
      const content = readFile(local);
      if (content === undefined) continue;
      const lf = Buffer.from(content.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      if (blobId(content, format) === object || (lf.length !== content.length && blobId(lf, format) === object)) same.add(local);
    }
    return ok(same);
  }

  private objectFormatCache: 'sha1' | 'sha256' | undefined;

  private objectFormat(): 'sha1' | 'sha256' {
    if (this.objectFormatCache === undefined) {
      // The index's object ids already say it (40 hex digits for SHA-1, 64 for SHA-256): no git process needed.
      const index = this.index();
      const sample = index.ok ? index.value.values().next().value : undefined;
      if (sample !== undefined && (sample.object.length === 40 || sample.object.length === 64)) {
        this.objectFormatCache = sample.object.length === 64 ? 'sha256' : 'sha1';
        return this.objectFormatCache;
      }
      const format = this.run(['rev-parse', '--show-object-format']);
      this.objectFormatCache = format.ok && format.value.trim() === 'sha256' ? 'sha256' : 'sha1';
    }
    return this.objectFormatCache;
  }

  /** The commit a ref names, or undefined when it names none. */
  resolveCommit(ref: string): string | undefined {
    if (ref.startsWith('-')) return undefined;
    const resolved = this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return resolved.ok ? resolved.value.trim() || undefined : undefined;
  }

  /** The current branch's name, or undefined on a detached HEAD. */
  currentBranch(): string | undefined {
    const branch = this.run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    return branch.ok ? branch.value.trim() || undefined : undefined;
  }

  /**
   * The default branch: what `origin/HEAD` points at, else the first of origin/main, origin/master, main, master
   * that exists.
   */
  defaultBranch(): string | undefined {
    const remoteHead = this.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
    if (remoteHead.ok && remoteHead.value.trim() !== '') return remoteHead.value.trim();
    return ['origin/main', 'origin/master', 'main', 'master'].find((candidate) => this.resolveCommit(candidate) !== undefined);
  }

  /** The best common ancestor of two commits. */
  mergeBase(a: string, b: string): string | undefined {
    // A clone whose HEAD is the default branch's tip (CI on main, a fresh clone) needs no git to answer.
    if (a === b && /^[0-9a-f]{40,64}$/.test(a)) return a;
    const base = this.run(['merge-base', '--end-of-options', a, b]);
    return base.ok ? base.value.trim() || undefined : undefined;
  }

  /**
   * Files under the scanned folder that differ between two commits (tree against tree: no work-tree content,
   * so no filter runs), added, copied, modified or renamed ones only.
   */
  changedBetween(from: string, to: string): Result<ReadonlySet<string>, GitUnavailable> {
    const listed = this.run(['diff', ...NO_DRIVERS, '--no-renames', '--name-only', '--diff-filter=ACMRT', '-z', '--end-of-options', from, to, '--', ...(this.prefix === '' ? [] : [this.prefix])]);
    return listed.ok ? ok(new Set(splitNul(listed.value).flatMap((file) => this.toLocal(file) ?? []))) : listed;
  }

  /** Files under the scanned folder whose staged content differs from `head` (index against tree: the work tree is not read). */
  stagedFiles(head: string): Result<ReadonlySet<string>, GitUnavailable> {
    const listed = this.run(['diff', ...NO_DRIVERS, '--cached', '--no-renames', '--name-only', '--diff-filter=ACMRT', '-z', '--end-of-options', head, '--', ...(this.prefix === '' ? [] : [this.prefix])]);
    return listed.ok ? ok(new Set(splitNul(listed.value).flatMap((file) => this.toLocal(file) ?? []))) : listed;
  }

  /**
   * When each of `files` was last committed (ISO date, `YYYY-MM-DD`), from one `git log` walk that runs while the
   * caller works; empty when git cannot answer.
   */
  async lastCommitDates(files: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const dates = new Map<string, string>();
    if (files.length === 0) return dates;
    const logged = await runGitAsync(this.top, ['log', ...NO_DRIVERS, '--no-show-signature', '--no-mailmap', '--no-renames', '--format=%x00%cs', '--name-only', '-z', '--', ...files.map((file) => this.toTop(file))], this.env);
    if (!logged.ok) return dates;
    let date = '';
    for (const token of logged.value.split('\0')) {
      const entry = token.replace(/^\n+/, '');
      if (entry === '') continue;
      if (/^\d{4}-\d{2}-\d{2}$/.test(entry)) {
        date = entry;
        continue;
      }
      const local = this.toLocal(entry);
      if (local !== undefined && date !== '' && !dates.has(local)) dates.set(local, date);
    }
    return dates;
  }
}

/**
 * Which of `files` (POSIX paths relative to `root`) git tracks, judged by the repository that holds `root`
 * (its top may be above it: a monorepo sub-folder is tracked or not by the monorepo).
 *
 * @example const tracked = trackedFiles('/repo', ['.env'], process.env); if (tracked.ok && tracked.value.has('.env')) …
 */
export function trackedFiles(root: string, files: readonly string[], env?: GitEnvironment): Result<ReadonlySet<string>, GitUnavailable> {
  if (files.length === 0) return ok(new Set());
  const repository = GitRepository.open(root, env);
  if (!repository.ok) return repository;
  const tracked = repository.value.trackedFiles();
  if (!tracked.ok) return tracked;
  return ok(new Set(files.filter((file) => tracked.value.has(file))));
}
