// Protects against `user.profile.id` crashing in production: a TypeScript server compiled without strictNullChecks. Docs: docs/rules/reliability/strict-null-checks.md
import * as path from 'node:path';
import { z } from 'zod';
import { noOptions } from '../../core/rule.js';
import { packageFiles, serverPackagesWithCode } from '../../project/code-scope.js';
import { parseJsonc } from '../../project/jsonc.js';
import type { PackageInfo } from '../../project/packages.js';
import type { Project } from '../../project/project.js';
import { defineScanRule } from '../support.js';

const TsConfig = z.object({
  extends: z.union([z.string(), z.array(z.string())]).optional(),
  compilerOptions: z.object({ strict: z.boolean().optional(), strictNullChecks: z.boolean().optional() }).passthrough().optional(),
  files: z.array(z.string()).optional(),
  references: z.array(z.object({ path: z.string() }).passthrough()).optional(),
}).passthrough();

/** A solution-style tsconfig (`"files": []` plus `references`) compiles nothing itself: its referenced projects do. */
function referencedProjects(project: Project, file: string): string[] | undefined {
  const parsed = TsConfig.safeParse(parseJsonc(project.text(file) ?? ''));
  if (!parsed.success || parsed.data.references === undefined || parsed.data.references.length === 0) return undefined;
  const isSolution = (parsed.data.files !== undefined && parsed.data.files.length === 0) || parsed.data.compilerOptions === undefined;
  if (!isSolution) return undefined;
  return parsed.data.references.flatMap((reference) => {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), reference.path));
    return [base, `${base}/tsconfig.json`].filter((candidate) => candidate.endsWith('.json') && project.has(candidate)).slice(0, 1);
  });
}

interface Setting {
  readonly value: boolean;
  readonly file: string;
  readonly key: 'strict' | 'strictNullChecks';
}

interface Resolved {
  strict?: Setting;
  strictNullChecks?: Setting;
  /** A base that could not be read (a package outside the repository): its settings are unknown. */
  unknownBase?: string;
  chain: string[];
}

type Messages = { disabled: { pkg: string; file: string; how: string } };

/** Bases published as @tsconfig/* all enable strict. */
const STRICT_PACKAGES = /^@tsconfig\//;

function resolveExtends(project: Project, from: string, target: string): string | undefined {
  if (!target.startsWith('.') && !target.startsWith('/')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), target));
  for (const candidate of [base, `${base}.json`, `${base}/tsconfig.json`]) if (project.has(candidate)) return candidate;
  return undefined;
}

/** Follows `extends` (string or array, later entries win, the file itself wins over its bases). */
function resolveConfig(project: Project, file: string, resolved: Resolved, depth = 0): void {
  if (depth > 8 || resolved.chain.includes(file)) return;
  resolved.chain.push(file);
  const parsed = TsConfig.safeParse(parseJsonc(project.text(file) ?? ''));
  if (!parsed.success) {
    resolved.unknownBase ??= file;
    return;
  }
  const bases = parsed.data.extends === undefined ? [] : Array.isArray(parsed.data.extends) ? parsed.data.extends : [parsed.data.extends];
  for (const base of bases) {
    const local = resolveExtends(project, file, base);
    if (local !== undefined) resolveConfig(project, local, resolved, depth + 1);
    else if (STRICT_PACKAGES.test(base)) resolved.strict = { value: true, file: base, key: 'strict' };
    else resolved.unknownBase ??= base;
  }
  const options = parsed.data.compilerOptions;
  if (options?.strict !== undefined) resolved.strict = { value: options.strict, file, key: 'strict' };
  if (options?.strictNullChecks !== undefined) resolved.strictNullChecks = { value: options.strictNullChecks, file, key: 'strictNullChecks' };
}

function nearestTsconfig(project: Project, pkg: PackageInfo): string | undefined {
  let dir = pkg.dir;
  for (;;) {
    const candidate = dir === '' ? 'tsconfig.json' : `${dir}/tsconfig.json`;
    if (project.has(candidate)) return candidate;
    if (dir === '') return undefined;
    const parent = path.posix.dirname(dir);
    dir = parent === '.' ? '' : parent;
  }
}

function lineOf(project: Project, file: string, key: string): number {
  const text = project.text(file) ?? '';
  const index = text.search(new RegExp(`"${key}"\\s*:`));
  return index < 0 ? 1 : text.slice(0, index).split('\n').length;
}

export default defineScanRule({
  id: 'reliability/strict-null-checks',
  title: 'TypeScript server code is compiled with strictNullChecks',
  description:
    '`const id = user.profile.id` compiles without complaint when strictNullChecks is off, and crashes on the first request where profile is missing. With it on, the compiler asks "what if this is undefined?" before production does.',
  category: 'reliability',
  severity: 'medium',
  checklist: 'error-handling',
  docs: 'docs/rules/reliability/strict-null-checks.md',
  fix: 'Set "strict": true in compilerOptions (or at least "strictNullChecks": true) and fix what the compiler finds, file by file if needed.',
  options: noOptions,
  messages: {
    disabled: ({ pkg, file, how }: Messages['disabled']) => `${pkg} is compiled by ${file} with ${how}`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const hasTypeScript = packageFiles(project, pkg).some((file) => /\.[cm]?tsx?$/.test(file));
      if (!hasTypeScript) continue;
      const tsconfig = nearestTsconfig(project, pkg);
      if (tsconfig === undefined) continue;
      // Solution-style configs: judge the referenced projects; any strict (or unreadable) one is given the benefit of the doubt.
      const configs = referencedProjects(project, tsconfig) ?? [tsconfig];
      const verdicts = configs.map((config) => {
        const resolved: Resolved = { chain: [] };
        resolveConfig(project, config, resolved);
        return { config, resolved, setting: resolved.strictNullChecks ?? resolved.strict };
      });
      if (verdicts.length === 0 || verdicts.some(({ resolved, setting }) => setting?.value === true || (setting === undefined && resolved.unknownBase !== undefined))) continue;
      const verdict = verdicts[0];
      if (verdict === undefined) continue;
      const { config, resolved, setting } = verdict;
      const how = setting === undefined ? 'neither "strict" nor "strictNullChecks" set (both default to false)' : `"${setting.key}": false`;
      const file = setting === undefined || setting.file.startsWith('@') ? config : setting.file;
      ctx.report({
        messageId: 'disabled',
        data: { pkg: pkg.displayName, file: config, how },
        location: { path: file, line: setting === undefined ? lineOf(project, config, 'compilerOptions') : lineOf(project, file, setting.key) },
        // `"strict": true` with `"strictNullChecks": false` is a decision the team wrote down (a migration not done yet), not an oversight.
        ...(setting?.key === 'strictNullChecks' && resolved.strict?.value === true ? { severity: 'low' as const } : {}),
        detail: `Read ${resolved.chain.join(' → ')} (comments and trailing commas allowed, "extends" followed; later settings win, strictNullChecks over strict): the effective strictNullChecks is false.${setting?.key === 'strictNullChecks' && resolved.strict?.value === true ? ' "strict" is on and strictNullChecks is switched off explicitly: a deliberate choice, reported at low.' : ''}`,
      });
    }
  },
});
