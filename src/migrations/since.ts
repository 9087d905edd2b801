import { execFileSync } from 'node:child_process';
import { err, ok, type Result, type UserError, userError } from '../core/result.js';

function git(root: string, args: readonly string[]): Result<string, string> {
  try {
    return ok(execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }));
  } catch (error) {
    const stderr = error instanceof Error && 'stderr' in error && typeof error.stderr === 'string' ? error.stderr.trim() : '';
    return err(stderr === '' ? String(error) : stderr);
  }
}

/**
 * Root-relative paths of files added or changed since `ref` (committed, staged, unstaged or untracked):
 * migrations older than the ref are history that already ran.
 *
 * @example changedSince('/repo', 'origin/main') // ok(Set { 'prisma/migrations/2024…/migration.sql' })
 */
export function changedSince(root: string, ref: string): Result<Set<string>, UserError> {
  const inside = git(root, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok) return err(userError('USAGE', `--since needs a git repository, and ${root} is not one`, 'run without --since, or inside a git checkout'));
  const verified = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!verified.ok) return err(userError('USAGE', `--since ${ref}: unknown git ref`, 'pass a branch, tag or commit that exists, e.g. --since origin/main'));
  const changed = git(root, ['diff', '--name-only', '--relative', ref, '--']);
  if (!changed.ok) return err(userError('USAGE', `git diff against ${ref} failed: ${changed.error}`));
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard']);
  const paths = [...changed.value.split('\n'), ...(untracked.ok ? untracked.value.split('\n') : [])].map((line) => line.trim()).filter((line) => line !== '');
  return ok(new Set(paths));
}
