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
    const match = pattern.exec(text);
    if (match !== null) return siteAt(file, text, match.index, match.index + match[0].length);
  }
  return undefined;
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
  const functions = new Map<string, Node>();
  walkAst(source.program, (node) => {
    if (node.type === 'FunctionDeclaration' && node.id !== null) functions.set(node.id.name, node);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init !== null) {
      const init = node.init;
      if (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression' || init.type === 'CallExpression') functions.set(node.id.name, init);
    }
  });
  return functions;
}

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
  const declaration = new RegExp(`(?:function\\s*\\*?\\s*${name.replace(/\$/g, '\\$')}\\b|(?:const|let|var)\\s+${name.replace(/\$/g, '\\$')}\\s*[:=])`);
  for (const file of files) {
    if (file === source.path) continue;
    const text = project.text(file);
    if (text === undefined || !text.includes(name) || !declaration.test(text)) continue;
    const other = project.parseSource(file);
    const found = other === undefined ? undefined : namedFunctions(other).get(name);
    if (other !== undefined && found !== undefined) return { source: other, node: found };
  }
  return undefined;
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
