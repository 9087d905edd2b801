import * as path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Note } from '../core/report.js';

export type Framework = 'express' | 'fastify' | 'nestjs' | 'hono' | 'koa' | 'nextjs' | 'remix' | 'react-router' | 'vite-spa';

/** Frameworks that run a long-lived HTTP server (Next and Remix included: `next start` is one). */
export const SERVER_FRAMEWORKS: ReadonlySet<Framework> = new Set(['express', 'fastify', 'nestjs', 'hono', 'koa', 'nextjs', 'remix', 'react-router']);

const stringRecord = z.record(z.string(), z.string());

/** Only the fields shipready reads; anything malformed in one field leaves the others usable. */
const manifestFields = {
  name: z.string(),
  private: z.boolean(),
  scripts: stringRecord,
  dependencies: stringRecord,
  devDependencies: stringRecord,
  peerDependencies: stringRecord,
  optionalDependencies: stringRecord,
  engines: stringRecord,
  workspaces: z.union([z.array(z.string()), z.object({ packages: z.array(z.string()) })]),
  volta: stringRecord,
};

export interface PackageManifest {
  readonly name?: string;
  readonly private?: boolean;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
  readonly peerDependencies: Readonly<Record<string, string>>;
  readonly optionalDependencies: Readonly<Record<string, string>>;
  readonly engines: Readonly<Record<string, string>>;
  readonly workspaces: readonly string[];
  readonly volta: Readonly<Record<string, string>>;
  /** The raw parsed JSON, for rules that need a field not modelled here. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PackageInfo {
  /** POSIX directory relative to the root; '' for the root package. */
  readonly dir: string;
  readonly manifestPath: string;
  /** Package name, or the directory when unnamed. */
  readonly displayName: string;
  readonly manifest: PackageManifest;
  /** Runtime, dev, peer and optional dependencies together. */
  readonly allDependencies: ReadonlySet<string>;
  readonly frameworks: readonly Framework[];
  /** True for the root of an npm/yarn/pnpm workspace. */
  readonly isWorkspaceRoot: boolean;
  /** True when a workspace root's patterns include this package. */
  readonly isWorkspaceMember: boolean;
}

function field<T>(raw: Record<string, unknown>, key: string, schema: z.ZodType<T>, notes: Note[], file: string): T | undefined {
  if (!(key in raw)) return undefined;
  const parsed = schema.safeParse(raw[key]);
  if (parsed.success) return parsed.data;
  notes.push({ kind: 'parse-error', path: file, message: `"${key}" has an unexpected shape; ignored` });
  return undefined;
}

const jsonObject = z.record(z.string(), z.unknown());

/** Parses a package.json leniently: invalid JSON is a note, a malformed field is ignored with a note. */
export function parseManifest(text: string, file: string, notes: Note[]): PackageManifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    notes.push({ kind: 'parse-error', path: file, message: `invalid JSON (${error instanceof Error ? error.message : 'parse error'}); package ignored` });
    return undefined;
  }
  const object = jsonObject.safeParse(json);
  if (!object.success) {
    notes.push({ kind: 'parse-error', path: file, message: 'not a JSON object; package ignored' });
    return undefined;
  }
  const raw = object.data;
  const workspaces = field(raw, 'workspaces', manifestFields.workspaces, notes, file);
  const name = field(raw, 'name', manifestFields.name, notes, file);
  const isPrivate = field(raw, 'private', manifestFields.private, notes, file);
  return {
    ...(name === undefined ? {} : { name }),
    ...(isPrivate === undefined ? {} : { private: isPrivate }),
    scripts: field(raw, 'scripts', manifestFields.scripts, notes, file) ?? {},
    dependencies: field(raw, 'dependencies', manifestFields.dependencies, notes, file) ?? {},
    devDependencies: field(raw, 'devDependencies', manifestFields.devDependencies, notes, file) ?? {},
    peerDependencies: field(raw, 'peerDependencies', manifestFields.peerDependencies, notes, file) ?? {},
    optionalDependencies: field(raw, 'optionalDependencies', manifestFields.optionalDependencies, notes, file) ?? {},
    engines: field(raw, 'engines', manifestFields.engines, notes, file) ?? {},
    workspaces: workspaces === undefined ? [] : Array.isArray(workspaces) ? workspaces : workspaces.packages,
    volta: field(raw, 'volta', manifestFields.volta, notes, file) ?? {},
    raw,
  };
}

/** Detects frameworks from dependencies: cheap, and what a reader of package.json would conclude. */
export function detectFrameworks(dependencies: ReadonlySet<string>): Framework[] {
  const has = (name: string): boolean => dependencies.has(name);
  const hasPrefix = (prefix: string): boolean => [...dependencies].some((name) => name.startsWith(prefix));
  const frameworks: Framework[] = [];
  if (has('express')) frameworks.push('express');
  if (has('fastify')) frameworks.push('fastify');
  if (has('@nestjs/core')) frameworks.push('nestjs');
  if (has('hono')) frameworks.push('hono');
  if (has('koa')) frameworks.push('koa');
  if (has('next')) frameworks.push('nextjs');
  if (hasPrefix('@remix-run/')) frameworks.push('remix');
  if (has('@react-router/dev') || has('@react-router/node') || has('@react-router/serve')) frameworks.push('react-router');
  const hasServer = frameworks.length > 0;
  if (!hasServer && has('vite') && (has('react') || has('vue') || has('svelte') || has('solid-js') || has('preact'))) frameworks.push('vite-spa');
  return frameworks;
}

export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Builds the package list of a repository: every package.json, with workspace roots (npm/yarn
 * `workspaces`, `pnpm-workspace.yaml`) marking their members.
 */
export function buildPackages(manifests: readonly ManifestFile[], pnpmWorkspace: ManifestFile | undefined, notes: Note[]): PackageInfo[] {
  const parsed: Array<{ dir: string; file: string; manifest: PackageManifest }> = [];
  for (const file of manifests) {
    const manifest = parseManifest(file.text, file.path, notes);
    if (manifest === undefined) continue;
    const dir = path.posix.dirname(file.path);
    parsed.push({ dir: dir === '.' ? '' : dir, file: file.path, manifest });
  }
  const workspaceRoots = new Map<string, string[]>();
  for (const entry of parsed) {
    if (entry.manifest.workspaces.length > 0) workspaceRoots.set(entry.dir, [...entry.manifest.workspaces]);
  }
  if (pnpmWorkspace !== undefined) {
    const dir = path.posix.dirname(pnpmWorkspace.path);
    const pnpmDir = dir === '.' ? '' : dir;
    try {
      const document: unknown = parseYaml(pnpmWorkspace.text);
      const patterns = z.object({ packages: z.array(z.string()) }).safeParse(document);
      if (patterns.success) workspaceRoots.set(pnpmDir, [...(workspaceRoots.get(pnpmDir) ?? []), ...patterns.data.packages]);
    } catch (error) {
      notes.push({ kind: 'parse-error', path: pnpmWorkspace.path, message: `invalid YAML (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})` });
    }
  }
  const memberMatchers = [...workspaceRoots.entries()].map(([rootDir, patterns]) => {
    const include = patterns.filter((pattern) => !pattern.startsWith('!')).map((pattern) => pattern.replace(/^\.\//, '').replace(/\/$/, ''));
    const exclude = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1).replace(/^\.\//, ''));
    const isIncluded = picomatch(include.length > 0 ? include : ['__none__']);
    const isExcluded = exclude.length > 0 ? picomatch(exclude) : () => false;
    return (dir: string): boolean => {
      if (rootDir !== '' && !dir.startsWith(`${rootDir}/`)) return false;
      const local = rootDir === '' ? dir : dir.slice(rootDir.length + 1);
      return local !== '' && isIncluded(local) && !isExcluded(local);
    };
  });
  return parsed
    .map(({ dir, file, manifest }) => {
      const allDependencies = new Set([
        ...Object.keys(manifest.dependencies),
        ...Object.keys(manifest.devDependencies),
        ...Object.keys(manifest.peerDependencies),
        ...Object.keys(manifest.optionalDependencies),
      ]);
      return {
        dir,
        manifestPath: file,
        displayName: manifest.name ?? (dir === '' ? '(root)' : dir),
        manifest,
        allDependencies,
        frameworks: detectFrameworks(allDependencies),
        isWorkspaceRoot: workspaceRoots.has(dir),
        isWorkspaceMember: memberMatchers.some((matches) => matches(dir)),
      };
    })
    .sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}
