import * as path from 'node:path';
import type { Node } from 'oxc-parser';
import { stringValue, walkAst } from './ast.js';
import type { Framework, PackageInfo } from './packages.js';
import { isHiddenFile, tick } from '../core/file-budget.js';
import { lineIndexOf } from './line-index.js';
import { isSourcePath, type ParsedSource, type Project } from './project.js';
import { ROUTE_HINT, nextAppRoutePath, nextPagesApiPath, remixRoutePath, type RouteDefinition } from './routes.js';

/** A place in a file, 1-based, as rules report it. */
export interface CodeSite {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** Frameworks whose server process the repository itself starts (Next and Remix servers are started by their CLI). */
export const SELF_HOSTED_FRAMEWORKS: ReadonlySet<Framework> = new Set(['express', 'fastify', 'nestjs', 'hono', 'koa']);

/**
 * A package and the workspace packages it depends on: where a feature of that package can legitimately live
 * (middleware registered from a shared package, a logger package, an env package).
 */
export interface PackageScope {
  readonly pkg: PackageInfo;
  readonly members: readonly PackageInfo[];
  /** Production source files (tests, fixtures and mocks excluded) of every member. */
  readonly files: readonly string[];
}

/**
 * The scope of `pkg`: itself plus the workspace packages it depends on by name.
 *
 * @example packageScope(project, api).files // ['apps/api/src/app.ts', 'packages/logger/src/index.ts', …]
 */
export function packageScope(project: Project, pkg: PackageInfo): PackageScope {
  const cache = scopeCache(project);
  const cached = cache.scopes.get(pkg);
  if (cached !== undefined) return cached;
  const members = [pkg, ...project.packages().filter((other) => other !== pkg && other.manifest.name !== undefined && pkg.allDependencies.has(other.manifest.name))];
  // The package's own files first: a "first match" then points into the package itself when it can.
  const files = members.flatMap((member) => cache.filesByPackage.get(member) ?? []);
  const scope: PackageScope = { pkg, members, files };
  cache.scopes.set(pkg, scope);
  return scope;
}

/**
 * Files of every server package's scope (its own files and its workspace dependencies'), plus the files of
 * packages that depend on one of `extraDependencies` (a database client, say): where server-side code can live.
 *
 * @example serverCodeFiles(project, ['pg', 'knex']) // ['apps/api/src/app.ts', 'packages/db/src/index.ts', …]
 */
export function serverCodeFiles(project: Project, extraDependencies: readonly string[] = []): readonly string[] {
  let cache = serverCodeCaches.get(project);
  if (cache === undefined) {
    cache = new Map();
    serverCodeCaches.set(project, cache);
  }
  const key = extraDependencies.join(',');
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const files = new Set<string>();
  for (const pkg of serverPackagesWithCode(project)) for (const file of packageScope(project, pkg).files) files.add(file);
  if (extraDependencies.length > 0) {
    for (const pkg of project.packages()) {
      if (extraDependencies.some((name) => pkg.allDependencies.has(name))) for (const file of packageFiles(project, pkg)) files.add(file);
    }
  }
  const list = [...files];
  cache.set(key, list);
  return list;
}

const serverCodeCaches = new WeakMap<Project, Map<string, readonly string[]>>();

/**
 * Production source files owned by `pkg` itself (not its nested packages), cached per project.
 *
 * @example packageFiles(project, api).length // 42
 */
export function packageFiles(project: Project, pkg: PackageInfo): readonly string[] {
  return scopeCache(project).filesByPackage.get(pkg) ?? [];
}

interface ScopeCache {
  /** Production source files by owning package, computed once: rules ask per package, and repositories have hundreds. */
  readonly filesByPackage: Map<PackageInfo, string[]>;
  readonly scopes: Map<PackageInfo, PackageScope>;
}

const scopeCaches = new WeakMap<Project, ScopeCache>();

function scopeCache(project: Project): ScopeCache {
  let cache = scopeCaches.get(project);
  if (cache === undefined) {
    const filesByPackage = new Map<PackageInfo, string[]>();
    for (const pkg of project.packages()) {
      filesByPackage.set(
        pkg,
        project.filesOfPackage(pkg).filter((file) => isSourcePath(file.path) && project.fileRole(file.path) === 'source').map((file) => file.path),
      );
    }
    cache = { filesByPackage, scopes: new Map() };
    scopeCaches.set(project, cache);
  }
  return cache;
}

/**
 * The first of `names` that a member of the scope depends on (an entry ending in `/` matches every package under that scope).
 *
 * @example scopeDependsOn(scope, ['helmet', '@fastify/helmet']) // 'helmet'
 */
export function scopeDependsOn(scope: PackageScope, names: readonly string[]): string | undefined {
  for (const member of scope.members) {
    for (const name of names) {
      if (name.endsWith('/')) {
        for (const dependency of member.allDependencies) if (dependency.startsWith(name)) return dependency;
      } else if (member.allDependencies.has(name)) {
        return name;
      }
    }
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Where a scope's code or start-up uses a package it depends on. */
export interface PackageUse {
  readonly name: string;
  /** The import, or the `--require`/`--import` flag of a script or Dockerfile that loads it. */
  readonly site: CodeSite;
}

/**
 * The first of `names` that a member of the scope depends on AND actually uses: imported (`import … from`,
 * `require()`, `import()`, a sub-path included) by one of the scope's production source files, or preloaded by a
 * start script or Dockerfile (`node -r dd-trace/init`, `--import @opentelemetry/auto-instrumentations-node/register`).
 * A dependency nobody imports proves nothing (a logger left in package.json, a limiter never wired up).
 * An entry ending in `/` matches every package under that scope.
 *
 * @example scopeUses(project, scope, ['helmet'])?.site // { path: 'src/app.ts', line: 3, … }
 */
export function scopeUses(project: Project, scope: PackageScope, names: readonly string[]): PackageUse | undefined {
  const declared = names.flatMap((name) => {
    if (!name.endsWith('/')) return scope.members.some((member) => member.allDependencies.has(name)) ? [name] : [];
    return [...new Set(scope.members.flatMap((member) => [...member.allDependencies].filter((dependency) => dependency.startsWith(name))))];
  });
  if (declared.length === 0) return undefined;
  const alternatives = declared.map(escapeRegExp).join('|');
  const imported = new RegExp(`(?:\\bfrom\\s*|\\brequire\\s*\\(\\s*|\\bimport\\s*\\(\\s*|^\\s*import\\s+)['"\`](${alternatives})(?:\\/[^'"\`]*)?['"\`]`, 'm');
  for (const file of scope.files) {
    const text = project.text(file);
    // A substring test first: the regex tries its alternatives at every offset of every file that never names the package.
    if (text === undefined || !declared.some((name) => text.includes(name))) continue;
    const match = imported.exec(text);
    if (match !== null) return { name: match[1] ?? declared[0] ?? '', site: siteAt(file, text, match.index, match.index + match[0].length) };
  }
  const preload = new RegExp(`(?:-r|--require|--import|--loader)[\\s=]+['"]?(${alternatives})(?:\\/[\\w./-]*)?`);
  const startFiles = [...scope.members.map((member) => member.manifestPath), ...project.dockerfiles().map((info) => info.path)];
  for (const file of startFiles) {
    const text = project.text(file);
    if (text === undefined) continue;
    const match = preload.exec(text);
    if (match !== null) return { name: match[1] ?? declared[0] ?? '', site: siteAt(file, text, match.index, match.index + match[0].length) };
  }
  return undefined;
}

/**
 * Packages with source of their own that run a server framework: a workspace root that only hoists dependencies is left out.
 *
 * @example serverPackagesWithCode(project, SELF_HOSTED_FRAMEWORKS).map((pkg) => pkg.displayName) // ['api']
 */
export function serverPackagesWithCode(project: Project, frameworks?: ReadonlySet<Framework>): PackageInfo[] {
  const owners = scopeCache(project).filesByPackage;
  return project
    .serverPackages()
    .filter((pkg) => owners.has(pkg))
    .filter((pkg) => frameworks === undefined || pkg.frameworks.some((framework) => frameworks.has(framework)));
}

/** 1-based position of a UTF-16 offset. */
export function siteAt(path: string, text: string, start: number, end: number): CodeSite {
  const startPos = positionIn(text, start);
  const endPos = positionIn(text, end);
  return { path, line: startPos.line, column: startPos.column, endLine: endPos.line, endColumn: endPos.column };
}

function positionIn(text: string, offset: number): { line: number; column: number } {
  return lineIndexOf(text).position(offset);
}

/** The site of an AST node in a parsed file. */
export function nodeSite(source: ParsedSource, node: { start: number; end: number }): CodeSite {
  const start = source.lineIndex.position(node.start);
  const end = source.lineIndex.position(node.end);
  return { path: source.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * The first match of `pattern` in the given files, in file order. The regex is run per file (no `g` flag needed).
 *
 * @example findText(project, scope.files, /\bhelmet\s*\(/) // { path: 'src/app.ts', line: 12, … }
 */
export function findText(project: Project, files: readonly string[], pattern: RegExp): CodeSite | undefined {
  for (const file of files) {
    if (isHiddenFile(file)) continue;
    const text = project.text(file);
    if (text === undefined) continue;
    const first = pattern.exec(text);
    if (first === null) continue;
    if (!isSourcePath(file)) return siteAt(file, text, first.index, first.index + first[0].length);
    // Text evidence in code counts only outside comments: a doc comment that mentions `enableShutdownHooks()`
    // or a commented-out `app.use(helmet())` proves nothing.
    const comments = commentRanges(project, file, text);
    const global = globalCopy(pattern);
    global.lastIndex = 0;
    for (let match = global.exec(text); match !== null; match = global.exec(text)) {
      if (!insideRanges(comments, match.index)) return siteAt(file, text, match.index, match.index + match[0].length);
      if (match[0] === '') global.lastIndex += 1;
    }
  }
  return undefined;
}

const globalCopies = new WeakMap<RegExp, RegExp>();

function globalCopy(pattern: RegExp): RegExp {
  let copy = globalCopies.get(pattern);
  if (copy === undefined) {
    copy = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    globalCopies.set(pattern, copy);
  }
  return copy;
}

const commentCaches = new WeakMap<Project, Map<string, readonly (readonly [number, number])[]>>();

/**
 * The comment spans of a JS/TS text (`//` and block comments), found by a linear scan that skips string and
 * template literals; cached per file. Regex literals are not told apart: a quote inside one may hide a comment
 * that follows on the same line, which errs towards counting evidence.
 */
function commentRanges(project: Project, file: string, text: string): readonly (readonly [number, number])[] {
  let cache = commentCaches.get(project);
  if (cache === undefined) {
    cache = new Map();
    commentCaches.set(project, cache);
  }
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const ranges: Array<readonly [number, number]> = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    const next = text[index + 1];
    if (char === '/' && next === '/') {
      const end = text.indexOf('\n', index);
      ranges.push([index, end < 0 ? text.length : end]);
      index = end < 0 ? text.length : end;
    } else if (char === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      ranges.push([index, end < 0 ? text.length : end + 2]);
      index = end < 0 ? text.length : end + 2;
    } else if (char === '"' || char === "'" || char === '`') {
      index += 1;
      while (index < text.length && text[index] !== char) {
        if (text[index] === '\\') index += 1;
        else if (char !== '`' && text[index] === '\n') break;
        index += 1;
      }
      index += 1;
    } else {
      index += 1;
    }
  }
  cache.set(file, ranges);
  return ranges;
}

/**
 * True when `offset` of a JS/TS file's text lies inside a comment.
 *
 * @example isInComment(project, 'src/app.ts', text.indexOf('helmet(')) // false when the call is real code
 */
export function isInComment(project: Project, file: string, offset: number): boolean {
  const text = project.text(file);
  return text !== undefined && isSourcePath(file) && insideRanges(commentRanges(project, file, text), offset);
}

function insideRanges(ranges: readonly (readonly [number, number])[], offset: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (range === undefined) return false;
    if (offset < range[0]) high = middle - 1;
    else if (offset >= range[1]) low = middle + 1;
    else return true;
  }
  return false;
}

/** Every match of `pattern` (which must carry the `g` flag) across the files. */
export function findAllText(project: Project, files: readonly string[], pattern: RegExp): CodeSite[] {
  const sites: CodeSite[] = [];
  for (const file of files) {
    if (isHiddenFile(file)) continue;
    const text = project.text(file);
    if (text === undefined) continue;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      tick();
      sites.push(siteAt(file, text, match.index, match.index + match[0].length));
      if (match[0] === '') pattern.lastIndex += 1;
    }
  }
  return sites;
}

/**
 * Parses only the files whose text passes `gate`: the cheap check that keeps 20,000-file repositories fast. The
 * trees come one at a time as the caller iterates, so a rule holds one at once; collected into an array they
 * kept every tree alive past the tree cache's budget (30 dense 1 MiB files took 2 GiB).
 */
export function* parseGated(project: Project, files: readonly string[], gate: (text: string) => boolean): Generator<ParsedSource> {
  for (const file of files) {
    if (isHiddenFile(file)) continue;
    const text = project.text(file);
    if (text === undefined || !gate(text)) continue;
    const source = project.parseSource(file);
    if (source !== undefined) yield source;
  }
}

/** Source text of a node. */
export function nodeText(source: ParsedSource, node: { start: number; end: number }): string {
  return source.text.slice(node.start, node.end);
}

/** Function-like nodes of a file by declared name (`function f`, `const f = () =>`, `const f = function`). */
export function namedFunctions(source: ParsedSource): Map<string, Node> {
  const cached = namedFunctionCache.get(source);
  if (cached !== undefined) return cached;
  const functions = new Map<string, Node>();
  walkAst(source.program, (node) => {
    if (node.type === 'FunctionDeclaration' && node.id !== null) functions.set(node.id.name, node);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init !== null) {
      const init = node.init;
      if (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression' || init.type === 'CallExpression') functions.set(node.id.name, init);
    }
  });
  namedFunctionCache.set(source, functions);
  return functions;
}

/** Per parsed file: every rule that resolves handlers asks for the same files' functions again and again. */
const namedFunctionCache = new WeakMap<ParsedSource, Map<string, Node>>();

/**
 * Class declarations of a file by name, the first one kept, built in one walk: following a controller's
 * `extends` chain asked every file for its classes once per method looked up.
 *
 * @example classDeclarations(source).get('ProjectsController')?.type // 'ClassDeclaration'
 */
export function classDeclarations(source: ParsedSource): Map<string, Node> {
  const cached = classDeclarationCache.get(source);
  if (cached !== undefined) return cached;
  const classes = new Map<string, Node>();
  walkAst(source.program, (node) => {
    if (node.type === 'ClassDeclaration' && node.id !== null && !classes.has(node.id.name)) classes.set(node.id.name, node);
  });
  classDeclarationCache.set(source, classes);
  return classes;
}

const classDeclarationCache = new WeakMap<ParsedSource, Map<string, Node>>();

/** True for functions and arrows. */
export function isFunctionNode(node: Node): boolean {
  return node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration';
}

/** Names of variables, in the whole file, bound with `const X = <string literal or template without non-constant parts>`. */
export function constantStrings(source: ParsedSource): Set<string> {
  const names = new Set<string>();
  walkAst(source.program, (node) => {
    if (node.type !== 'VariableDeclaration' || node.kind !== 'const') return;
    for (const declarator of node.declarations) {
      if (declarator.id.type !== 'Identifier' || declarator.init === null) continue;
      const init = declarator.init;
      if (init.type === 'Literal' || (init.type === 'TemplateLiteral' && init.expressions.every((expression) => expression.type === 'Literal' || (expression.type === 'Identifier' && names.has(expression.name))))) {
        names.add(declarator.id.name);
      }
    }
  });
  return names;
}

/** A function found by name: the file it lives in and its node. */
export interface FoundFunction {
  readonly source: ParsedSource;
  readonly node: Node;
}

/**
 * Finds a function by name, first in `source`, then in the other files of the scope that declare it
 * (`function name`, `const name =`): a route handler imported from a controller module.
 *
 * @example resolveFunction(project, scope.files, source, 'createProject')?.node.type // 'ArrowFunctionExpression'
 */
export function resolveFunction(project: Project, files: readonly string[], source: ParsedSource, name: string): FoundFunction | undefined {
  const local = namedFunctions(source).get(name);
  if (local !== undefined) return { source, node: local };
  // Rules ask for the same names (`findUnique`, `map`, `json`) thousands of times: the files that declare each
  // name are indexed once per file list, so a lookup no longer scans every file.
  for (const file of declarationIndex(project, files).get(name) ?? []) {
    if (file === source.path) continue;
    const other = project.parseSource(file);
    const found = other === undefined ? undefined : namedFunctions(other).get(name);
    if (other !== undefined && found !== undefined) return { source: other, node: found };
  }
  return undefined;
}

const DECLARATION = /(?:function\s*\*?\s*([\w$]+)|(?:const|let|var)\s+([\w$]+)\s*[:=])/g;
const declarationIndexes = new WeakMap<Project, WeakMap<readonly string[], Map<string, string[]>>>();

/** Name → files of `files` that declare a function or variable by that name, built once per file list. */
function declarationIndex(project: Project, files: readonly string[]): Map<string, string[]> {
  let perProject = declarationIndexes.get(project);
  if (perProject === undefined) {
    perProject = new WeakMap();
    declarationIndexes.set(project, perProject);
  }
  let index = perProject.get(files);
  if (index === undefined) {
    index = new Map();
    for (const file of files) {
      const text = project.text(file);
      if (text === undefined) continue;
      for (const match of text.matchAll(DECLARATION)) {
        const declared = match[1] ?? match[2];
        if (declared === undefined) continue;
        const list = index.get(declared) ?? [];
        if (list[list.length - 1] !== file) list.push(file);
        index.set(declared, list);
      }
    }
    perProject.set(files, index);
  }
  return index;
}

/**
 * The variable a node reads from the environment: `process.env.X`, `process.env['X']`, `import.meta.env.X`,
 * `Bun.env.X`, `Deno.env.get('X')`.
 *
 * @example envVariable(parse('import.meta.env.VITE_API_URL')) // 'VITE_API_URL'
 */
export function envVariable(node: Node): string | undefined {
  if (node.type === 'ParenthesizedExpression' || node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression') return envVariable(node.expression);
  if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.property.type === 'Identifier' && node.callee.property.name === 'get') {
    const receiver = node.callee.object;
    const isDenoEnv = receiver.type === 'MemberExpression' && receiver.object.type === 'Identifier' && receiver.object.name === 'Deno';
    return isDenoEnv ? stringValue(node.arguments[0]) : undefined;
  }
  if (node.type !== 'MemberExpression') return undefined;
  const name = node.computed ? stringValue(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined;
  if (name === undefined) return undefined;
  const object = node.object;
  if (object.type !== 'MemberExpression' || object.computed || object.property.type !== 'Identifier' || object.property.name !== 'env') return undefined;
  const root = object.object;
  if (root.type === 'MetaProperty' && root.meta.name === 'import' && root.property.name === 'meta') return name;
  if (root.type === 'Identifier' && (root.name === 'process' || root.name === 'Bun')) return name;
  return undefined;
}

/**
 * True for packages deployed to Cloudflare Workers (wrangler): the platform collects console output as
 * structured logs with a ray id per request, and owns the process lifecycle.
 *
 * @example isWorkersPackage(project, pkg) // true when apps/api/wrangler.toml exists
 */
export function isWorkersPackage(project: Project, pkg: PackageInfo): boolean {
  if (pkg.allDependencies.has('wrangler') || pkg.allDependencies.has('@cloudflare/workers-types')) return true;
  const prefix = pkg.dir === '' ? '' : `${pkg.dir}/`;
  return ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'].some((name) => project.has(`${prefix}${name}`));
}

/** True for Next.js app/pages API routes and Remix/React Router route modules (routes by file name). */
export function isFileRoute(file: string): boolean {
  return nextAppRoutePath(file) !== undefined || nextPagesApiPath(file) !== undefined || remixRoutePath(file) !== undefined;
}

/**
 * The routes declared in the given files (cached per file), for rules that have already narrowed the candidates
 * with a text check: parsing only those keeps large repositories fast. Same extraction as `project.routes()`.
 *
 * @example routesIn(project, files.filter((file) => /login/.test(project.text(file) ?? '')))
 */
export function* routesIn(project: Project, files: readonly string[]): Generator<RouteDefinition> {
  // One file's routes at a time: their handlers are nodes of its tree, and an array of every file's routes kept
  // every tree alive past the tree cache's budget.
  for (const file of files) yield* project.routesOf(file);
}

/** Files among `files` that may declare routes, by the strict text gate. */
export function routeFiles(project: Project, files: readonly string[]): string[] {
  return files.filter((file) => isFileRoute(file) || ROUTE_HINT.test(project.text(file) ?? ''));
}

const containingCaches = new WeakMap<Project, Map<string, ReadonlySet<string>>>();

/**
 * The files among `files` whose text contains `word`: the cheap gate before a regex or a parse that can only
 * succeed where the word appears (a class, type or method looked up by name).
 *
 * @example findText(project, filesNaming(project, scope.files, 'UserDto'), /\bclass\s+UserDto\b/)
 */
export function filesNaming(project: Project, files: readonly string[], word: string): string[] {
  return files.filter((file) => project.text(file)?.includes(word) === true);
}

/**
 * Production source files whose text contains `literal`, computed once per project and literal: several rules
 * share the same cheap first gate (`.env`, `SIGTERM`) on 20,000-file repositories.
 *
 * @example filesContaining(project, '.env').has('src/config.ts')
 */
export function filesContaining(project: Project, literal: string): ReadonlySet<string> {
  let cache = containingCaches.get(project);
  if (cache === undefined) {
    cache = new Map();
    containingCaches.set(project, cache);
  }
  let found = cache.get(literal);
  if (found === undefined) {
    found = new Set(project.productionSourceFiles().map((file) => file.path).filter((file) => project.text(file)?.includes(literal) === true));
    cache.set(literal, found);
  }
  return found;
}

/** Imports that make a module UI code: a React/Vue/Svelte/Solid/Preact/Angular component or hook. `react-dom/server` renders on the server and is not among them. */
const UI_IMPORT = /^\s*import\s[^;]*?\bfrom\s*['"](?:react|react-dom|react-dom\/client|vue|svelte|svelte\/store|solid-js|preact|preact\/hooks|@angular\/core|mobx-react|mobx-react-lite|react-router-dom|@tanstack\/react-[\w-]+)['"]/m;
/** A React hook module by the hooks naming rule (`useTableRequest.ts`). */
const HOOK_FILE = /(?:^|\/)use[A-Z][\w-]*\.[cm]?[jt]sx?$/;
const USE_CLIENT = /^(?:\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*['"]use client['"]/;

/**
 * True for front-end code: a module of a Vite SPA package, a Vue or Svelte file, a `'use client'` module, and, outside
 * Next.js/Remix/React Router apps (whose components also render on the server), React hooks and modules that import
 * a UI library. Server code never calls into it, so a function found there by name is never what a server call runs.
 *
 * @example isFrontendCode(project, 'app/hooks/useTableRequest.ts') // true
 * @example isFrontendCode(project, 'server/routes/api/documents.ts') // false
 */
export function isFrontendCode(project: Project, file: string): boolean {
  if (/\.(?:vue|svelte)$/.test(file)) return true;
  const pkg = project.packageOf(file);
  if (pkg?.frameworks.includes('vite-spa') === true) return true;
  const text = project.text(file) ?? '';
  if (USE_CLIENT.test(text.slice(0, 2000))) return true;
  if (pkg?.frameworks.some((framework) => framework === 'nextjs' || framework === 'remix' || framework === 'react-router') === true) return false;
  return HOOK_FILE.test(file) || UI_IMPORT.test(text);
}

/** Folders and route segments of work that runs on a schedule or from a queue, not while a user waits. */
const BACKGROUND_SEGMENT = /^(?:cron|crons|cronjobs?|jobs|workers?|queues?|consumers?|schedulers?|scheduled|background|inngest|trigger)$/i;

/**
 * True for code of a background job: a cron route (`app/api/cron/…/route.ts`), a worker, a queue consumer, a
 * scheduler. Its latency is nobody's page load, so per-row queries and slow calls there weigh less.
 *
 * @example isBackgroundJobPath('apps/web/app/(ee)/api/cron/payouts/route.ts') // true
 * @example isBackgroundJobPath('apps/web/app/api/links/route.ts') // false
 */
export function isBackgroundJobPath(file: string): boolean {
  return file.split('/').slice(0, -1).some((segment) => BACKGROUND_SEGMENT.test(segment)) || /(?:^|[./-])(?:cron|worker|consumer|processor|job)\.[cm]?[jt]s$/i.test(file);
}

/**
 * Files among `files` that import `file`: a relative specifier that resolves to it, or another specifier (an
 * alias such as `@/lib/x`) ending in its last two path segments, without the extension (`dir` for
 * `dir/index.ts`). A text match: cheap enough to run for the few files a rule reports on.
 *
 * @example importersOf(project, serverCodeFiles(project), 'lib/year-in-review/send-emails.ts') // ['app/api/cron/year-in-review/route.ts']
 */
export function importersOf(project: Project, files: readonly string[], file: string): string[] {
  const bare = file.replace(/\.[cm]?[jt]sx?$/, '');
  const target = bare.endsWith('/index') ? bare.slice(0, -'/index'.length) : bare;
  const parts = target.split('/');
  const stem = parts.slice(-2).join('/');
  const last = parts[parts.length - 1] ?? '';
  if (last === '') return [];
  const matches = (importer: string, specifier: string): boolean => {
    const cleaned = specifier.replace(/\.[cm]?[jt]sx?$/, '').replace(/\/index$/, '');
    if (cleaned.startsWith('.')) return path.posix.join(path.posix.dirname(importer), cleaned) === target;
    return cleaned === stem || cleaned.endsWith(`/${stem}`);
  };
  return files.filter((other) => {
    if (other === file) return false;
    const text = project.text(other);
    if (text === undefined || !text.includes(last)) return false;
    for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm)) {
      if (match[1] !== undefined && matches(other, match[1])) return true;
    }
    return false;
  });
}

/**
 * The file an import specifier names: relative specifiers resolved against the importer (with the usual
 * extensions and `index` files), and aliases (`@/lib/x`, `~/x`, `src/x`, a workspace package's subpath) by the
 * longest file of `files` whose path ends with the specifier's path after its first segment.
 *
 * @example resolveImport(project, scope.files, 'app/api/x/route.ts', '@/lib/prisma') // 'lib/prisma.ts'
 */
export function resolveImport(project: Project, files: readonly string[], importer: string, specifier: string): string | undefined {
  const extensions = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];
  if (specifier.startsWith('.')) {
    const base = path.posix.join(path.posix.dirname(importer), specifier).replace(/\.[cm]?js$/, '');
    for (const extension of extensions) if (project.has(`${base}${extension}`) && isSourcePath(`${base}${extension}`)) return `${base}${extension}`;
    return undefined;
  }
  const parts = specifier.split('/');
  // `@/lib/x` and `~/lib/x` drop the alias; `@scope/pkg/sub` its two segments; `pkg/sub` one.
  const tail = (parts[0] === '@' || parts[0] === '~' || parts[0] === '#' ? parts.slice(1) : parts[0]?.startsWith('@') === true ? parts.slice(2) : parts.slice(1)).join('/');
  if (tail === '') return undefined;
  const cache = aliasCache(project, files);
  const cached = cache.results.get(tail);
  if (cached !== undefined) return cached ?? undefined;
  // Only files named like the specifier's last segment (or `index` under it) can end with it.
  const last = tail.split('/').pop() ?? tail;
  const candidates = [...(cache.byStem.get(last) ?? []), ...(cache.byStem.get('index') ?? [])];
  const wanted = extensions.map((extension) => `/${tail}${extension}`);
  const found = candidates.find((file) => wanted.some((ending) => `/${file}`.endsWith(ending)));
  cache.results.set(tail, found ?? null);
  return found;
}

const aliasCaches = new WeakMap<Project, WeakMap<readonly string[], { byStem: Map<string, string[]>; results: Map<string, string | null> }>>();

/** Files of a list by their name without extension, and resolved aliases, kept per file list. */
function aliasCache(project: Project, files: readonly string[]): { byStem: Map<string, string[]>; results: Map<string, string | null> } {
  let perProject = aliasCaches.get(project);
  if (perProject === undefined) {
    perProject = new WeakMap();
    aliasCaches.set(project, perProject);
  }
  let cache = perProject.get(files);
  if (cache === undefined) {
    const byStem = new Map<string, string[]>();
    for (const file of files) {
      const stem = (file.split('/').pop() ?? file).replace(/\.[^.]+$/, '');
      const list = byStem.get(stem) ?? [];
      list.push(file);
      byStem.set(stem, list);
    }
    cache = { byStem, results: new Map() };
    perProject.set(files, cache);
  }
  return cache;
}
