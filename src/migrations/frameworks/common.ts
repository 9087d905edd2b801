import { posix } from 'node:path';
import type { Migration, SqlSource } from '../types.js';

/** What a framework detector sees: candidate paths (POSIX, relative to the root) and a reader. */
export interface FileIndex {
  readonly paths: readonly string[];
  /** The file's text, or undefined when it cannot be read. */
  read(path: string): string | undefined;
  /** Paths already claimed by an earlier framework; later detectors skip them. */
  readonly claimed: Set<string>;
}

export function dirOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '' ? '.' : dir;
}

export function baseOf(path: string): string {
  return posix.basename(path);
}

export function unclaimed(index: FileIndex): string[] {
  return index.paths.filter((path) => !index.claimed.has(path));
}

/** Groups paths by their folder, in folder order, so each folder becomes one migration set. */
export function groupByDir(paths: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const path of [...paths].sort()) {
    const dir = dirOf(path);
    const list = groups.get(dir) ?? [];
    list.push(path);
    groups.set(dir, list);
  }
  return groups;
}

const LEADING_DIGITS = /^(\d+)/;

/**
 * Orders version strings the way migration tools do: a numeric prefix compares as a number (so `10_x`
 * follows `9_x`), then the rest compares as text.
 *
 * @example ['10_b', '9_a'].sort(compareVersions) // ['9_a', '10_b']
 */
export function compareVersions(a: string, b: string): number {
  const digitsA = LEADING_DIGITS.exec(a)?.[1];
  const digitsB = LEADING_DIGITS.exec(b)?.[1];
  if (digitsA !== undefined && digitsB !== undefined) {
    const numericA = digitsA.replace(/^0+(?=\d)/, '');
    const numericB = digitsB.replace(/^0+(?=\d)/, '');
    if (numericA.length !== numericB.length) return numericA.length - numericB.length;
    if (numericA !== numericB) return numericA < numericB ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Flyway versions: `1.2.10` / `1_2` segments compare numerically, segment by segment. */
export function compareDottedVersions(a: string, b: string): number {
  const partsA = a.split(/[._]/);
  const partsB = b.split(/[._]/);
  for (let index = 0; index < Math.max(partsA.length, partsB.length); index++) {
    const result = compareVersions(partsA[index] ?? '0', partsB[index] ?? '0');
    if (result !== 0) return result;
  }
  return 0;
}

export function wholeFile(path: string, text: string): SqlSource {
  return { path, text, start: 0, end: text.length };
}

export function languageOf(path: string): Migration['language'] {
  if (/\.sql$/i.test(path)) return 'sql';
  return /\.(c|m)?ts$/i.test(path) ? 'ts' : 'js';
}

export interface Section {
  readonly start: number;
  readonly end: number;
  /** The marker line itself, for options such as dbmate's `transaction:false`. */
  readonly marker: string;
}

/**
 * Finds marker-delimited sections (`-- migrate:up` / `-- migrate:down`, `-- Up Migration`…): each
 * section runs from the end of its marker line to the next marker or the end of the file.
 */
export function findSections(text: string, markers: Readonly<Record<'up' | 'down', RegExp>>): { up?: Section; down?: Section } {
  const found: Array<{ kind: 'up' | 'down'; lineStart: number; bodyStart: number; marker: string }> = [];
  const linePattern = /^.*$/gm;
  for (let match = linePattern.exec(text); match !== null; match = linePattern.exec(text)) {
    if (match[0] === '' && linePattern.lastIndex === match.index) linePattern.lastIndex++;
    for (const kind of ['up', 'down'] as const) {
      if (markers[kind].test(match[0])) {
        found.push({ kind, lineStart: match.index, bodyStart: match.index + match[0].length, marker: match[0] });
      }
    }
  }
  const result: { up?: Section; down?: Section } = {};
  found.forEach((entry, index) => {
    const end = found[index + 1]?.lineStart ?? text.length;
    if (result[entry.kind] === undefined) result[entry.kind] = { start: entry.bodyStart, end, marker: entry.marker };
  });
  return result;
}

/**
 * Reads and claims each path in the order given (the framework's run order) and builds its migration;
 * unreadable files are skipped. Every framework module builds its list this way.
 *
 * @example const migrations = claimEach(index, sorted, (path, text) => ({ …, up: wholeFile(path, text) }));
 */
export function claimEach<T>(index: FileIndex, paths: readonly string[], build: (path: string, text: string) => T): T[] {
  const built: T[] = [];
  for (const path of paths) {
    const text = index.read(path);
    if (text === undefined) continue;
    index.claimed.add(path);
    built.push(build(path, text));
  }
  return built;
}

/**
 * JS/TS source files (not declaration files): where code migrations live.
 *
 * @example isCodeFile('src/migrations/1700-init.ts') // true; isCodeFile('types.d.ts') // false
 */
export function isCodeFile(path: string): boolean {
  return /\.(c|m)?(j|t)s$/.test(path) && !path.endsWith('.d.ts');
}

/**
 * The fields every JS/TS migration shares: its id (the leading version of its file name — a timestamp,
 * `2024_01_01` or a sequence number — else the first run of digits, as in `Migration20240101000000`),
 * its name (the rest), path and language.
 *
 * @example codeMigrationIdentity('migrations/2024_01_01_create-user.js') // { id: '2024_01_01', name: 'create-user', … }
 */
export function codeMigrationIdentity(path: string): Pick<Migration, 'id' | 'name' | 'path' | 'language'> {
  const base = baseOf(path).replace(/\.[^.]+$/, '');
  const leading = /^(\d+(?:[_.-]\d+)*)(?:[_.-]+|$)/.exec(base);
  if (leading?.[1] !== undefined) return { id: leading[1], name: base.slice(leading[0].length) || base, path, language: languageOf(path) };
  return { id: /\d+/.exec(base)?.[0] ?? base, name: base, path, language: languageOf(path) };
}
