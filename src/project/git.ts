import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { errorCode } from '../core/fs-errors.js';

/** Why git could not answer: no git binary, or the scanned root is not the top of a work tree. */
export type GitUnavailable = { readonly code: 'GIT_NOT_INSTALLED' | 'NOT_A_REPOSITORY' | 'GIT_FAILED'; readonly message: string };

function git(root: string, args: readonly string[]): Result<string, GitUnavailable> {
  try {
    return ok(execFileSync('git', [...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000, maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return err({ code: 'GIT_NOT_INSTALLED', message: 'git is not installed' });
    const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
    // git exits 128 outside a repository; any other status is a git failure we report, not hide.
    if (status === 128) return err({ code: 'NOT_A_REPOSITORY', message: `${root} is not a git repository` });
    return err({ code: 'GIT_FAILED', message: error instanceof Error ? error.message.split('\n')[0] ?? 'git failed' : 'git failed' });
  }
}

/**
 * Which of `files` (POSIX paths relative to `root`) git tracks. Only answers when `root` is the top of a
 * work tree: a folder inside a larger repository (a fixture, a monorepo sub-directory) is judged by the
 * caller's fallback, so the answer never depends on an unrelated outer repository.
 *
 * @example const tracked = trackedFiles('/repo', ['.env']); if (tracked.ok && tracked.value.has('.env')) …
 */
export function trackedFiles(root: string, files: readonly string[]): Result<ReadonlySet<string>, GitUnavailable> {
  if (files.length === 0) return ok(new Set());
  const top = git(root, ['rev-parse', '--show-toplevel']);
  if (!top.ok) return top;
  let realRoot: string;
  let realTop: string;
  try {
    realRoot = fs.realpathSync(root);
    realTop = fs.realpathSync(top.value.trim());
  } catch (error) {
    throw new Error(`cannot resolve ${root}`, { cause: error });
  }
  if (path.resolve(realRoot) !== path.resolve(realTop)) return err({ code: 'NOT_A_REPOSITORY', message: `${root} is inside the repository at ${realTop}, not its top` });
  const listed = git(root, ['ls-files', '-z', '--', ...files]);
  if (!listed.ok) return listed;
  return ok(new Set(listed.value.split('\0').filter((entry) => entry !== '')));
}
