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

/**
 * What a package is, from its name, folder and dependencies: application or library code (`code`; whether it
 * is deployed is decided by `deployedServices`), a test harness, a documentation site, an example, or tooling
 * (shared lint/TS/build configuration, scripts).
 */
export type PackageRole = 'code' | 'test' | 'docs' | 'example' | 'tooling';

export interface PackageInfo {
  /** POSIX directory relative to the root; '' for the root package. */
  readonly dir: string;
  readonly manifestPath: string;
  /** Package name, or the directory when unnamed. */
  readonly displayName: string;
  readonly manifest: PackageManifest;
  /** Runtime, dev, peer and optional dependencies together. */
  readonly allDependencies: ReadonlySet<string>;
  /** `dependencies` and `optionalDependencies`: what is installed when the package runs in production. */
  readonly runtimeDependencies: ReadonlySet<string>;
  /**
   * Frameworks the package runs on. Server frameworks count only from runtime dependencies (a dev or peer
   * dependency on express makes nothing a server: a test harness, a library's peer); a Vite SPA from any.
   */
  readonly frameworks: readonly Framework[];
  readonly role: PackageRole;
  /** True for the root of an npm/yarn/pnpm workspace. */
  readonly isWorkspaceRoot: boolean;
  /** True when a workspace root's patterns include this package. */
  readonly isWorkspaceMember: boolean;
  /**
   * True when a workspace's patterns would include the package but a `!` pattern takes it out on purpose
   * (novu's `!packages/notification-center-vue`, a deprecated client kept out of the install).
   */
  readonly isExcludedFromWorkspace: boolean;
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

/**
 * Detects frameworks from dependencies: cheap, and what a reader of package.json would conclude. Server
 * frameworks are read from `runtime` alone when it is given.
 *
 * @example detectFrameworks(new Set(['next', 'react'])) // ['nextjs']
 */
export function detectFrameworks(dependencies: ReadonlySet<string>, runtime: ReadonlySet<string> = dependencies): Framework[] {
  const has = (name: string): boolean => runtime.has(name);
  const hasPrefix = (prefix: string): boolean => [...runtime].some((name) => name.startsWith(prefix));
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
  const hasAny = (name: string): boolean => dependencies.has(name);
  if (!hasServer && hasAny('vite') && (hasAny('react') || hasAny('vue') || hasAny('svelte') || hasAny('solid-js') || hasAny('preact'))) frameworks.push('vite-spa');
  return frameworks;
}

const TEST_PACKAGE = /(?:^|[-_./@])(?:e2e|tests?|testing|integration[-_]?tests?|playwright|cypress|load[-_]?tests?|benchmarks?|test[-_]?utils?|test[-_]?helpers?|mocks?|fixtures?)$|^(?:e2e|tests?)[-_]/i;
const DOCS_PACKAGE = /(?:^|[-_./@])(?:docs?|documentation|storybook|styleguide|docs[-_]site)$/i;
const DOCS_DEPENDENCIES = ['@docusaurus/core', 'nextra', 'vitepress', 'fumadocs-core', 'fumadocs-ui', '@astrojs/starlight', 'mintlify', '@mintlify/cli', 'docz', 'vuepress', '@vuepress/core'];
const TOOLING_PACKAGE = /(?:^|[-_./@])(?:eslint[-_]?config[\w-]*|tsconfig[\w-]*|prettier[-_]?config|tailwind[-_]?config|config[-_](?:eslint|typescript|tailwind|prettier)|tooling|scripts?|codemods?|build[-_]tools?)$/i;
const TEST_FOLDER = /(?:^|\/)(?:tests?|e2e|__tests__|cypress|playwright|fixtures?|__fixtures__|testdata)(?:\/|$)/i;
const EXAMPLE_FOLDER = /(?:^|\/)(?:examples?|samples?|demos?|playgrounds?|templates?|starters?|boilerplates?)(?:\/|$)/i;

/**
 * The role of a package from its name, its folder and what it depends on.
 *
 * @example packageRoleOf('apps/docs', 'docs', new Set(['nextra'])) // 'docs'
 */
export function packageRoleOf(dir: string, name: string | undefined, dependencies: ReadonlySet<string>): PackageRole {
  const last = dir.split('/').pop() ?? '';
  const names = [last, ...(name === undefined ? [] : [name])];
  if (names.some((candidate) => TEST_PACKAGE.test(candidate)) || TEST_FOLDER.test(dir)) return 'test';
  if (EXAMPLE_FOLDER.test(dir)) return 'example';
  if (names.some((candidate) => DOCS_PACKAGE.test(candidate)) || DOCS_DEPENDENCIES.some((dependency) => dependencies.has(dependency))) return 'docs';
  if (names.some((candidate) => TOOLING_PACKAGE.test(candidate))) return 'tooling';
  return 'code';
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
    return (dir: string): 'member' | 'excluded' | undefined => {
      if (rootDir !== '' && !dir.startsWith(`${rootDir}/`)) return undefined;
      const local = rootDir === '' ? dir : dir.slice(rootDir.length + 1);
      if (local === '' || !isIncluded(local)) return undefined;
      return isExcluded(local) ? 'excluded' : 'member';
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
      const runtimeDependencies = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies)]);
      return {
        dir,
        manifestPath: file,
        displayName: manifest.name ?? (dir === '' ? '(root)' : dir),
        manifest,
        allDependencies,
        runtimeDependencies,
        frameworks: detectFrameworks(allDependencies, runtimeDependencies),
        role: packageRoleOf(dir, manifest.name, allDependencies),
        isWorkspaceRoot: workspaceRoots.has(dir),
        isWorkspaceMember: memberMatchers.some((matches) => matches(dir) === 'member'),
        isExcludedFromWorkspace: memberMatchers.some((matches) => matches(dir) === 'excluded') && !memberMatchers.some((matches) => matches(dir) === 'member'),
      };
    })
    .sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}
