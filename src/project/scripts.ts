import { lineIndexOf } from './line-index.js';
import type { Project } from './project.js';

/** A runnable piece of shell the team keeps in the repository: a script file, a Makefile target or a package.json script. */
export interface ShellUnit {
  readonly kind: 'script' | 'make' | 'npm';
  /** File path; for make/npm also the target or script name. */
  readonly file: string;
  readonly name: string;
  readonly text: string;
  /** Line of `text`'s first character in `file`. */
  readonly line: number;
}

const SCRIPT_FILE = /\.(?:sh|bash|zsh|ps1)$/i;
const MAKEFILE = /(?:^|\/)(?:GNUmakefile|[Mm]akefile|[Jj]ustfile)$|\.mk$/;

function makeTargets(file: string, text: string): ShellUnit[] {
  const units: ShellUnit[] = [];
  const lines = text.split('\n');
  let current: { name: string; line: number; body: string[] } | undefined;
  const flush = (): void => {
    if (current !== undefined) units.push({ kind: 'make', file, name: current.name, text: current.body.join('\n'), line: current.line });
    current = undefined;
  };
  lines.forEach((line, index) => {
    const target = /^([A-Za-z0-9_.%/-]+(?:\s+[A-Za-z0-9_.%/-]+)*)\s*:(?!=)/.exec(line);
    if (target?.[1] !== undefined && !line.startsWith('\t') && !line.startsWith(' ')) {
      flush();
      current = { name: target[1], line: index + 1, body: [line] };
      return;
    }
    if (current !== undefined && (/^[\t ]/.test(line) || line.trim() === '')) current.body.push(line);
    else flush();
  });
  flush();
  return units;
}

/**
 * Offset of the first occurrence of each JSON string in `text`, found in one pass: searching the manifest from the
 * start for each script name made a package.json with thousands of scripts quadratic.
 */
function firstStringOffsets(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  for (const match of text.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) if (match[1] !== undefined && !offsets.has(match[1])) offsets.set(match[1], match.index);
  return offsets;
}

function npmScripts(project: Project): ShellUnit[] {
  return project.packages().flatMap((pkg) => {
    const text = project.text(pkg.manifestPath) ?? '';
    const scripts = pkg.manifest.scripts;
    const offsets = Object.keys(scripts).length === 0 ? new Map<string, number>() : firstStringOffsets(text);
    return Object.entries(scripts).map(([name, value]) => {
      const index = offsets.get(name) ?? -1;
      const line = index < 0 ? 1 : lineIndexOf(text).position(index).line;
      return { kind: 'npm' as const, file: pkg.manifestPath, name, text: value, line };
    });
  });
}

const cache = new WeakMap<Project, readonly ShellUnit[]>();

/**
 * Shell scripts (`*.sh`, `*.ps1`), Makefile/justfile targets and package.json scripts, outside tests and fixtures.
 *
 * @example const deployScripts = shellUnits(project).filter((unit) => /deploy/i.test(unit.name));
 */
export function shellUnits(project: Project): readonly ShellUnit[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const units: ShellUnit[] = [];
  for (const entry of project.files) {
    if (/(?:^|\/)(?:test|tests|fixtures|__fixtures__|testdata|node_modules)\//.test(entry.path)) continue;
    if (SCRIPT_FILE.test(entry.path)) {
      const text = project.text(entry.path);
      if (text !== undefined) units.push({ kind: 'script', file: entry.path, name: entry.path.split('/').pop() ?? entry.path, text, line: 1 });
    } else if (MAKEFILE.test(entry.path)) {
      const text = project.text(entry.path);
      if (text !== undefined) units.push(...makeTargets(entry.path, text));
    }
  }
  units.push(...npmScripts(project));
  cache.set(project, units);
  return units;
}

/** 1-based line in the unit's file of `offset` in its text. */
export function unitLine(unit: ShellUnit, offset: number): number {
  return unit.line + lineIndexOf(unit.text).position(offset).line - 1;
}

/** A repository file that a command runs by path. */
export interface ReferencedFile {
  readonly path: string;
  readonly text: string;
}

const RUNNABLE = /(?:^|\/)[^/.]+$|\.(?:sh|bash|zsh|ps1|mjs|cjs|js|ts|py|rb)$/;

/**
 * Repository files a piece of shell runs by path: `bash .ci/run`, `./deploy/release.sh`, and remote
 * paths that end with a repository path (`ssh host /opt/app/deploy/release.sh` → `deploy/release.sh`).
 *
 * @example referencedFiles(project, 'bash .ci/run').map((file) => file.path) // ['.ci/run']
 */
export function referencedFiles(project: Project, text: string): ReferencedFile[] {
  const found = new Map<string, ReferencedFile>();
  for (const raw of text.split(/[\s"'`;&|()<>=]+/)) {
    const token = raw.replace(/^\.\//, '');
    if (!token.includes('/') && !/\.(?:sh|bash)$/.test(token)) continue;
    const candidates = project.has(token)
      ? [token]
      : token.startsWith('/') || token.startsWith('~')
        ? project.files.filter((file) => token.endsWith(`/${file.path}`)).map((file) => file.path)
        : [];
    for (const candidate of candidates) {
      if (found.has(candidate) || !RUNNABLE.test(candidate)) continue;
      const content = project.text(candidate);
      if (content !== undefined) found.set(candidate, { path: candidate, text: content });
    }
  }
  return [...found.values()];
}
