import * as path from 'node:path';
import { parseSync, type Comment, type Program } from 'oxc-parser';
import type { SourceText } from '../core/engine.js';
import type { Note } from '../core/report.js';
import type { Result, UserError } from '../core/result.js';
import { ok } from '../core/result.js';
import {
  parseDockerfile,
  parseEnvFile,
  parseMarkdown,
  parseYamlFile,
  type DockerfileInfo,
  type EnvFile,
  type MarkdownDoc,
  type YamlFile,
} from './documents.js';
import { LineIndex } from './line-index.js';
import { tooDeeplyNested } from './nesting.js';
import { rememberProgramFile } from './ast.js';
import { focusFile, isHiddenFile, tick } from '../core/file-budget.js';
import { roleOf, roleOfPath, type FileRole } from './file-roles.js';
import { buildPackages, type PackageInfo } from './packages.js';
import { deployedServices } from './services.js';
import { extractRoutes, ROUTE_HINT, nextAppRoutePath, nextPagesApiPath, remixRoutePath, type RouteDefinition } from './routes.js';

/** A route without its handler nodes (see `Project.routes`). */
export type RouteSummary = Omit<RouteDefinition, 'handlers'>;
import { DEFAULT_MAX_FILE_SIZE, describeRefusal, realFileSystem, walk, type FileEntry, type FileSystem, type WalkOptions } from './walk.js';
import { GitRepository, type GitEnvironment, type GitUnavailable } from './git.js';

export interface ParsedSource {
  readonly path: string;
  readonly text: string;
  readonly program: Program;
  readonly comments: readonly Comment[];
  readonly lineIndex: LineIndex;
}

/**
 * Parsed trees stay cached until their sources add up to this many UTF-16 units. A tree takes 10–26× its source
 * (26× for dense route code), so 8 Mi units are at most ~200 MiB of trees. Below it every file is parsed once
 * however many rules read it; above it the least recently used trees are dropped. 24 Mi units made no difference
 * to the 20,000-file benchmark (its parsed sources fit in 8) but let 30 dense 1 MiB files take 860 MiB of heap.
 */
const AST_CACHE_SOURCE_BUDGET = 8 * 1024 * 1024;
/**
 * Decoded texts stay cached until they add up to this many characters (96 MiB of ASCII, at most twice that for
 * other text); beyond it the least recently used are dropped and read again when asked for. Every file is then
 * still read once in a repository of up to 96 MiB of text, and a larger one cannot fill the heap with text.
 */
const TEXT_CACHE_BUDGET = 96 * 1024 * 1024;
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?)$/i;
const DECLARATION_FILE = /\.d\.[cm]?ts$/i;
const DOCKERFILE = /^(?!.*\.(?:[cm]?[jt]sx?|mdx?|json|ya?ml|txt|sh|snap|map|lock)$)(?:(?:Dockerfile|Containerfile)(?:[._-].+)?|.+[._-](?:Dockerfile|Containerfile)|.+\.dockerfile)$/i;
const COMPOSE_FILE = /^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i;
const WORKFLOW_FILE = /^\.github\/workflows\/[^/]+\.ya?ml$/i;
const ENV_FILE = /^\.env(?:\..+)?$|\.env$/i;
const MARKDOWN_FILE = /\.(?:md|mdx|markdown)$/i;

function basename(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? file : file.slice(slash + 1);
}

/** Tests, fixtures, mocks and stories: code that never serves production traffic (the `test` role of `roleOfPath`). */
export function isTestPath(file: string): boolean {
  return roleOfPath(file) === 'test';
}

export function isSourcePath(file: string): boolean {
  return SOURCE_FILE.test(file) && !DECLARATION_FILE.test(file);
}

function memo<T>(compute: () => T): () => T {
  let computed = false;
  let value: T | undefined;
  let cached: T;
  return () => {
    if (!computed) {
      value = compute();
      cached = value;
      computed = true;
    }
    return cached;
  };
}

/**
 * The repository as rules see it: one walk, each file read at most once, and lazily parsed, cached
 * views (packages, syntax trees, Dockerfiles, compose files, workflows, env files, docs).
 *
 * @example
 * const opened = Project.open('/repo');
 * if (opened.ok) for (const pkg of opened.value.packages()) console.log(pkg.displayName, pkg.frameworks);
 */
export interface ProjectOptions extends WalkOptions {
  /** The environment git runs in (the CLI passes the user's); absent, git gets a minimal one. */
  readonly env?: GitEnvironment;
  /** Characters of decoded text kept cached (default 96 Mi); an embedder short of memory may lower it. */
  readonly textCacheChars?: number;
}

export class Project implements SourceText {
  readonly root: string;
  readonly files: readonly FileEntry[];
  /** Skipped files, parse errors: grows as lazy views are built. */
  readonly notes: Note[];
  readonly binaryByExtension: number;
  private readonly fs: FileSystem;
  private readonly maxFileSize: number;
  private readonly textCacheChars: number;
  /** Decoded texts, least recently used first, up to TEXT_CACHE_BUDGET characters. */
  private readonly texts = new Map<string, string>();
  private textChars = 0;
  /** Binary or unreadable files: noted once, never read again. */
  private readonly unreadable = new Set<string>();
  /** Files read at least once, so a re-read after eviction is neither counted nor noted twice. */
  private readonly readOnce = new Set<string>();
  /** Recently parsed files only: a whole monorepo of ASTs does not fit in memory. Views that need every file memoize their facts instead. */
  private readonly parsed = new Map<string, ParsedSource | null>();
  private parsedSourceSize = 0;
  private readonly ownerCache = new Map<string, PackageInfo | undefined>();
  private readonly filesByPath: ReadonlyMap<string, FileEntry>;
  bytesRead = 0;

  private constructor(root: string, files: readonly FileEntry[], notes: Note[], binaryByExtension: number, fs: FileSystem, maxFileSize: number, textCacheChars: number, git: () => Result<GitRepository, GitUnavailable>) {
    this.root = root;
    this.git = git;
    this.maxFileSize = maxFileSize;
    this.textCacheChars = textCacheChars;
    this.files = files;
    this.notes = notes;
    this.binaryByExtension = binaryByExtension;
    this.fs = fs;
    this.filesByPath = new Map(files.map((file) => [file.path, file]));
  }

  static open(root: string, options: ProjectOptions = {}): Result<Project, UserError> {
    // Opened at most once, by the walk (a tracked file an ignore file lists) or later by a rule.
    const git = memo((): Result<GitRepository, GitUnavailable> => GitRepository.open(root, options.env));
    const trackedFiles = (): ReadonlySet<string> | undefined => {
      const repository = git();
      if (!repository.ok) return undefined;
      const tracked = repository.value.trackedFiles();
      return tracked.ok ? tracked.value : undefined;
    };
    const walked = walk(root, { trackedFiles, ...options });
    if (!walked.ok) return walked;
    const { files, notes, binaryByExtension } = walked.value;
    return ok(new Project(walked.value.root, files, [...notes], binaryByExtension, options.fs ?? realFileSystem, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, options.textCacheChars ?? TEXT_CACHE_BUDGET, git));
  }

  /**
   * The git repository holding the root (its top may be above a scanned sub-folder), opened once; the reason
   * when there is none. Git runs read-only and under configuration that starts no program of the repository's.
   */
  readonly git: () => Result<GitRepository, GitUnavailable>;

  /**
   * Whether git tracks `file`: true or false when the root is in a git work tree, undefined when git cannot tell
   * (no repository, no git): callers then judge by the ignore files alone.
   *
   * @example project.isTracked('.env') // false when .env is untracked (and, being walked, not ignored)
   */
  isTracked(file: string): boolean | undefined {
    return this.trackedSet()?.has(file);
  }

  /** The tracked files, read once: rules ask file by file, and building the set costs a pass over the index. */
  private readonly trackedSet = memo((): ReadonlySet<string> | undefined => {
    const repository = this.git();
    if (!repository.ok) return undefined;
    const tracked = repository.value.trackedFiles();
    return tracked.ok ? tracked.value : undefined;
  });

  has(file: string): boolean {
    return this.filesByPath.has(file);
  }

  /**
   * The file's text, read once and cached (see TEXT_CACHE_BUDGET). Binary content (a NUL byte) and unreadable
   * files give undefined with a note; invalid UTF-8 is decoded with replacement characters and noted.
   */
  text(file: string): string | undefined {
    focusFile(file);
    tick();
    const cached = this.texts.get(file);
    if (cached !== undefined) {
      // Re-inserted so the Map's order is least-recently-used order, but only once eviction is near: most
      // repositories never come close, and text() is the hottest call of a scan.
      if (this.textChars > this.textCacheChars / 2) {
        this.texts.delete(file);
        this.texts.set(file, cached);
      }
      return cached;
    }
    if (this.unreadable.has(file) || !this.filesByPath.has(file)) return undefined;
    const firstRead = !this.readOnce.has(file);
    this.readOnce.add(file);
    // Read through readRegularFile and capped at the walk's limit: a file swapped for a FIFO or device after the
    // walk cannot block the scan, and one that grew since cannot make it read without end.
    const read = this.fs.readRegularFile(path.join(this.root, file), this.maxFileSize);
    if (!read.ok) {
      this.notes.push({ kind: 'skipped-file', path: file, message: describeRefusal(read.error) });
      this.unreadable.add(file);
      return undefined;
    }
    const buffer = read.value;
    if (firstRead) this.bytesRead += buffer.length;
    if (buffer.subarray(0, 8000).includes(0)) {
      this.notes.push({ kind: 'skipped-file', path: file, message: 'binary content' });
      this.unreadable.add(file);
      return undefined;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
    } catch {
      text = new TextDecoder('utf-8').decode(buffer);
      if (firstRead) this.notes.push({ kind: 'skipped-file', path: file, message: 'invalid UTF-8; scanned with replacement characters' });
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.texts.set(file, text);
    this.textChars += text.length;
    while (this.textChars > this.textCacheChars && this.texts.size > 1) {
      const oldest = this.texts.entries().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest[0]);
      this.textChars -= oldest[1].length;
    }
    return text;
  }

  /** Every file whose path matches; order is the walk's (sorted, deterministic). */
  filesWhere(predicate: (file: string) => boolean): FileEntry[] {
    return this.files.filter((file) => predicate(file.path));
  }

  /** Parsed TS/JS, cached; undefined (with a note) when the file cannot be read or parsed at all. */
  parseSource(file: string): ParsedSource | undefined {
    // Hidden from a rule that ran out of time on it: no tree, and nothing cached, so other rules still get one.
    if (isHiddenFile(file)) return undefined;
    focusFile(file);
    const cached = this.parsed.get(file);
    if (cached !== undefined) {
      // Re-insert so the Map's insertion order doubles as least-recently-used order.
      this.parsed.delete(file);
      this.parsed.set(file, cached);
      return cached ?? undefined;
    }
    const text = this.text(file);
    if (text === undefined) {
      this.remember(file, null);
      return undefined;
    }
    const tooDeep = tooDeeplyNested(text);
    if (tooDeep !== undefined) {
      this.notes.push({ kind: 'parse-error', path: file, message: `${tooDeep}: not parsed, so checks that read its syntax skipped it` });
      this.remember(file, null);
      return undefined;
    }
    const result = parseSync(file, text, { showSemanticErrors: false });
    const lineIndex = new LineIndex(text);
    const firstError = result.errors[0];
    if (firstError !== undefined) {
      const offset = firstError.labels[0]?.start;
      const where = offset === undefined ? '' : ` at line ${lineIndex.position(offset).line}`;
      this.notes.push({ kind: 'parse-error', path: file, message: `syntax error${where}: ${firstError.message}; checked what could be parsed` });
    }
    const source: ParsedSource = { path: file, text, program: result.program, comments: result.comments, lineIndex };
    rememberProgramFile(source.program, file);
    this.remember(file, source);
    return source;
  }

  private remember(file: string, source: ParsedSource | null): void {
    this.parsed.set(file, source);
    this.parsedSourceSize += source?.text.length ?? 0;
    while (this.parsedSourceSize > AST_CACHE_SOURCE_BUDGET && this.parsed.size > 1) {
      const [oldest, evicted] = this.parsed.entries().next().value ?? [];
      if (oldest === undefined) break;
      this.parsed.delete(oldest);
      this.routesByFile.delete(oldest);
      this.parsedSourceSize -= evicted?.text.length ?? 0;
    }
  }

  readonly sourceFiles = memo(() => this.filesWhere(isSourcePath));

  private readonly roles = new Map<string, FileRole>();

  /**
   * What the file is for (production source, bundle, test, script, seed, migration, docs, example, generated,
   * CI, shipready's output, other), decided once from its path, its content where that decides (minified
   * bundles, generator headers, shipready's report marker) and its package (a test harness, a docs site, an
   * example app). Every rule reads this instead of keeping its own list of names.
   *
   * @example project.fileRole('apps/web/scripts/backfill.ts') // 'script'
   */
  fileRole(file: string): FileRole {
    const cached = this.roles.get(file);
    if (cached !== undefined) return cached;
    const needsText = /\.(?:[cm]?[jt]sx?|css|md|mdx|json|sarif|html)$/i.test(file);
    let role = roleOf(file, needsText ? this.text(file) : undefined);
    if (role === 'source' || role === 'other') {
      const packageRole = this.packageOf(file)?.role;
      if (packageRole === 'test' || packageRole === 'docs' || packageRole === 'example') role = packageRole;
    }
    this.roles.set(file, role);
    return role;
  }

  /** Source files that run in production: tests, scripts, seeds, migrations, examples, docs sites, bundles and generated code excluded. */
  readonly productionSourceFiles = memo(() => this.sourceFiles().filter((file) => this.fileRole(file.path) === 'source'));

  readonly packages = memo((): readonly PackageInfo[] => {
    const manifests = this.filesWhere((file) => basename(file) === 'package.json').flatMap((file) => {
      const text = this.text(file.path);
      return text === undefined ? [] : [{ path: file.path, text }];
    });
    const pnpmFile = this.files.find((file) => file.path === 'pnpm-workspace.yaml');
    const pnpmText = pnpmFile === undefined ? undefined : this.text(pnpmFile.path);
    return buildPackages(manifests, pnpmText === undefined ? undefined : { path: 'pnpm-workspace.yaml', text: pnpmText }, this.notes);
  });

  /** Package directory → package, for `packageOf` lookups that walk up the path instead of scanning all packages. */
  private readonly packagesByDir = memo(() => new Map(this.packages().map((pkg) => [pkg.dir, pkg])));

  /** The innermost package containing `file`, if any. */
  packageOf(file: string): PackageInfo | undefined {
    if (this.ownerCache.has(file)) return this.ownerCache.get(file);
    const owner = this.findOwner(file);
    this.ownerCache.set(file, owner);
    return owner;
  }

  private findOwner(file: string): PackageInfo | undefined {
    const byDir = this.packagesByDir();
    let dir = file;
    for (;;) {
      const slash = dir.lastIndexOf('/');
      dir = slash < 0 ? '' : dir.slice(0, slash);
      const pkg = byDir.get(dir);
      if (pkg !== undefined) return pkg;
      if (dir === '') return undefined;
    }
  }

  private readonly filesByPackage = memo(() => {
    const grouped = new Map<PackageInfo | undefined, FileEntry[]>();
    for (const file of this.files) {
      const owner = this.packageOf(file.path);
      const list = grouped.get(owner) ?? [];
      list.push(file);
      grouped.set(owner, list);
    }
    return grouped;
  });

  /** Files that belong to `pkg` and not to a package nested inside it. */
  filesOfPackage(pkg: PackageInfo): readonly FileEntry[] {
    return this.filesByPackage().get(pkg) ?? [];
  }

  /**
   * Deployed services: packages that run an HTTP server framework (Express, Fastify, NestJS, Hono, Koa, Next,
   * Remix…) from their runtime dependencies and that something starts in production (see `deployedServices`).
   * Libraries they import are judged through them.
   */
  readonly serverPackages = memo(() => deployedServices(this).map((service) => service.pkg));

  readonly dockerfiles = memo((): readonly DockerfileInfo[] =>
    this.filesWhere((file) => DOCKERFILE.test(basename(file))).flatMap((file) => {
      const text = this.text(file.path);
      return text === undefined ? [] : [parseDockerfile(file.path, text)];
    }),
  );

  readonly composeFiles = memo((): readonly YamlFile[] => this.yamlFiles((file) => COMPOSE_FILE.test(basename(file))));

  readonly workflows = memo((): readonly YamlFile[] => this.yamlFiles((file) => WORKFLOW_FILE.test(file)));

  readonly envFiles = memo((): readonly EnvFile[] =>
    this.filesWhere((file) => ENV_FILE.test(basename(file))).flatMap((file) => {
      const text = this.text(file.path);
      return text === undefined ? [] : [parseEnvFile(file.path, text)];
    }),
  );

  readonly sqlFiles = memo(() => this.filesWhere((file) => file.toLowerCase().endsWith('.sql')));

  readonly markdownDocs = memo((): readonly MarkdownDoc[] =>
    this.filesWhere((file) => MARKDOWN_FILE.test(file)).flatMap((file) => {
      const text = this.text(file.path);
      return text === undefined ? [] : [parseMarkdown(file.path, text)];
    }),
  );

  /**
   * Every route declared in production source, across the supported frameworks (see `routes.ts`), without its
   * handler nodes: kept for the whole scan, they would keep every file's syntax tree alive past the tree cache's
   * budget. `routesOf(file)` gives the handlers.
   */
  readonly routes = memo((): readonly RouteSummary[] => this.productionSourceFiles().flatMap((file) => this.routesOf(file.path).map(({ handlers: _handlers, ...summary }) => summary)));

  private readonly routesByFile = new Map<string, readonly RouteDefinition[]>();

  /**
   * The routes one file declares, cached while the file's syntax tree is (their handlers are nodes of it): rules
   * that narrowed their candidates with a text check ask for a few files, and the whole-project view reuses the
   * same extraction.
   */
  routesOf(file: string): readonly RouteDefinition[] {
    if (isHiddenFile(file)) return [];
    const cached = this.routesByFile.get(file);
    if (cached !== undefined) return cached;
    const isRouteFile = nextAppRoutePath(file) !== undefined || nextPagesApiPath(file) !== undefined || remixRoutePath(file) !== undefined;
    const text = this.text(file);
    const source = text !== undefined && (isRouteFile || ROUTE_HINT.test(text)) ? this.parseSource(file) : undefined;
    const routes = source === undefined ? [] : extractRoutes(source, this.packageOf(file)?.frameworks[0] ?? 'unknown');
    this.routesByFile.set(file, routes);
    return routes;
  }

  /** Parses the YAML files matching `predicate`; malformed ones are left out with a note. */
  yamlFiles(predicate: (file: string) => boolean): YamlFile[] {
    return this.filesWhere(predicate).flatMap((file) => {
      const text = this.text(file.path);
      if (text === undefined) return [];
      const parsed = parseYamlFile(file.path, text, this.notes);
      return parsed === undefined ? [] : [parsed];
    });
  }
}
