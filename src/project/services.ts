import { composeServices, dirOf, serviceDockerfile } from './compose.js';
import { SERVER_FRAMEWORKS, type PackageInfo } from './packages.js';
import type { Project } from './project.js';

/**
 * Why shipready believes a package is started in production: the evidence a reader can check.
 */
export interface DeploymentEvidence {
  readonly kind: 'start-script' | 'container' | 'platform' | 'server-entry' | 'framework-app';
  /** Where the evidence is: a file, and a line when one line says it. */
  readonly file: string;
  readonly line?: number;
  /** One phrase: `npm script "start": node dist/main.js`, `Dockerfile COPY apps/api`, `fly.toml`. */
  readonly what: string;
}

/** A package that something starts in production, with the evidence. */
export interface DeployedService {
  readonly pkg: PackageInfo;
  readonly evidence: DeploymentEvidence;
}

/** Scripts a platform or a container runs to serve the app. `dev`, `watch` and friends are not among them. */
const START_SCRIPT = /^(?:start|serve|prod|production|start[:_-](?:prod|production|server|api|app|web)|serve[:_-]prod)$/;
/** A start script that runs a development tool serves nothing in production. */
const DEV_TOOL = /^\s*(?:vite(?:\s+dev)?|next\s+dev|nodemon|storybook|start-storybook|docusaurus\s+start|astro\s+dev|webpack(?:-dev-server|\s+serve)|tsc\s+(?:-w|--watch)|echo|exit)\b/;
const PLATFORM_FILES = [
  'vercel.json', 'netlify.toml', 'fly.toml', 'render.yaml', 'railway.json', 'railway.toml', 'Procfile', 'app.yaml', 'app.yml', 'wrangler.toml', 'wrangler.json', 'wrangler.jsonc',
  'serverless.yml', 'serverless.yaml', 'nixpacks.toml', 'apprunner.yaml', 'heroku.yml', '.platform.app.yaml', 'zeabur.json', 'koyeb.yaml', 'Dockerfile', 'Containerfile',
];
/** Code that starts a server: `app.listen(…)`, `NestFactory.create`, `serve({ fetch: app.fetch })`, `createServer(…).listen`, `Bun.serve`. */
const SERVER_START = /\.listen\s*\(|NestFactory\.create(?:Microservice)?\s*(?:<[^>]*>)?\s*\(|\bserve\s*\(\s*\{[^}]*\bfetch\b|\bBun\.serve\s*\(|\bDeno\.serve\s*\(|\bcreateServer\s*\([^)]*\)\s*\.listen|export\s+default\s+\{[^}]*\bfetch\b|export\s+default\s+app\b/;
/** Next.js, Remix and React Router apps are started by their CLI from this structure. */
const APP_STRUCTURE = /^(?:src\/)?(?:app|pages)\/.*\.(?:[jt]sx?|mdx)$|^next\.config\.[cm]?[jt]s$|^(?:react-router|remix)\.config\.[cm]?[jt]s$|^app\/root\.[jt]sx?$/;

function lineOf(text: string, needle: string): number | undefined {
  const index = text.indexOf(needle);
  return index < 0 ? undefined : text.slice(0, index).split('\n').length;
}

function underDir(file: string, dir: string): boolean {
  return dir === '' || file === dir || file.startsWith(`${dir}/`);
}

/** The local part of a package path inside its package. */
function localPath(file: string, dir: string): string {
  return dir === '' ? file : file.slice(dir.length + 1);
}

function startScriptEvidence(project: Project, pkg: PackageInfo): DeploymentEvidence | undefined {
  for (const [name, command] of Object.entries(pkg.manifest.scripts)) {
    if (!START_SCRIPT.test(name) || DEV_TOOL.test(command)) continue;
    const line = lineOf(project.text(pkg.manifestPath) ?? '', `"${name}"`);
    return { kind: 'start-script', file: pkg.manifestPath, ...(line === undefined ? {} : { line }), what: `npm script "${name}": ${command}` };
  }
  return undefined;
}

function platformEvidence(project: Project, pkg: PackageInfo): DeploymentEvidence | undefined {
  for (const name of PLATFORM_FILES) {
    const file = pkg.dir === '' ? name : `${pkg.dir}/${name}`;
    if (project.has(file)) return { kind: name === 'Dockerfile' || name === 'Containerfile' ? 'container' : 'platform', file, what: file };
  }
  return undefined;
}

/**
 * Containers built elsewhere that ship the package: a compose service whose build context is the package,
 * or a Dockerfile (anywhere) that copies its folder or builds it by name (`turbo prune api`, `--filter=@acme/api`).
 */
function containerEvidence(project: Project, pkg: PackageInfo): DeploymentEvidence | undefined {
  if (pkg.dir === '') return undefined;
  for (const file of project.composeFiles()) {
    for (const service of composeServices(file)) {
      const dockerfile = serviceDockerfile(service);
      if (dockerfile !== undefined && dirOf(dockerfile) === pkg.dir) return { kind: 'container', file: file.path, ...(service.line === undefined ? {} : { line: service.line }), what: `compose service "${service.name}" builds ${pkg.dir}` };
    }
  }
  const name = pkg.manifest.name;
  for (const info of project.dockerfiles()) {
    if (project.fileRole(info.path) !== 'other' && project.fileRole(info.path) !== 'source') continue;
    const text = project.text(info.path) ?? '';
    // Copying a package into an image proves nothing (a monorepo copies every library it builds with); starting
    // it does: a CMD/ENTRYPOINT that runs a file under its folder, or a build that targets it by name.
    const starts = new RegExp(`^\\s*(?:CMD|ENTRYPOINT)\\b[^\\n]*['"\\s/]${escapeRegExp(pkg.dir)}(?:[/'"\\s]|$)`, 'im').exec(text);
    const byName = name === undefined ? null : new RegExp(`(?:--filter[= ]|--scope[= ]|turbo\\s+prune\\s+(?:--scope[= ])?|\\bworkspace\\s+)['"]?${escapeRegExp(name)}(?:['"\\s.]|$)`, 'm').exec(text);
    const match = starts ?? byName;
    if (match !== null) return { kind: 'container', file: info.path, line: text.slice(0, match.index).split('\n').length + (text[match.index] === '\n' ? 1 : 0), what: `${info.path} ${starts !== null ? `starts ${pkg.dir}` : `builds ${name ?? pkg.dir}`}` };
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function entryEvidence(project: Project, pkg: PackageInfo): DeploymentEvidence | undefined {
  const files = project.filesOfPackage(pkg);
  const isAppFramework = pkg.frameworks.some((framework) => framework === 'nextjs' || framework === 'remix' || framework === 'react-router');
  if (isAppFramework) {
    const structure = files.find((file) => APP_STRUCTURE.test(localPath(file.path, pkg.dir)) && project.fileRole(file.path) !== 'test');
    if (structure !== undefined) return { kind: 'framework-app', file: structure.path, what: `${pkg.frameworks.join('/')} app (${localPath(structure.path, pkg.dir)})` };
  }
  for (const file of files) {
    if (project.fileRole(file.path) !== 'source') continue;
    const text = project.text(file.path);
    if (text === undefined) continue;
    const match = SERVER_START.exec(text);
    if (match !== null) return { kind: 'server-entry', file: file.path, line: text.slice(0, match.index).split('\n').length, what: `${file.path} starts a server (${match[0].trim().slice(0, 40)})` };
  }
  return undefined;
}

/** Platforms that run the app as a serverless function or edge worker: the platform owns process, logs and request ids. */
const SERVERLESS_PLATFORM_FILES = new Set(['vercel.json', 'netlify.toml', 'wrangler.toml', 'wrangler.json', 'wrangler.jsonc', 'serverless.yml', 'serverless.yaml']);

/**
 * True when the package runs as a long-lived process the team operates: a container (its own Dockerfile, a
 * Dockerfile or compose service that ships it) or a process platform (Fly, Render, Railway, Heroku, App Engine,
 * nixpacks). A Next.js app with only `next start` and a vercel.json is the platform's to run. Self-hosted apps
 * own their logs, request ids and process-level error handling.
 *
 * @example isSelfHosted(project, web) // true when apps/web/Dockerfile exists
 */
export function isSelfHosted(project: Project, pkg: PackageInfo): boolean {
  const prefix = pkg.dir === '' ? '' : `${pkg.dir}/`;
  if (PLATFORM_FILES.some((name) => !SERVERLESS_PLATFORM_FILES.has(name) && project.has(`${prefix}${name}`))) return true;
  return containerEvidence(project, pkg) !== undefined || (pkg.dir === '' && project.dockerfiles().some((info) => project.fileRole(info.path) === 'other' && !/(?:^|[./-])(?:dev|development|test|ci|e2e)(?:\.Dockerfile)?$/i.test(info.path)));
}

const cache = new WeakMap<Project, readonly DeployedService[]>();

/**
 * Packages that something starts in production and that run an HTTP server framework from their runtime
 * dependencies: a start script, a container or platform config that ships them, an entry file that starts a
 * server, or a Next.js/Remix/React Router app. Libraries (a router module, an auth or billing package that an
 * app mounts), test harnesses, docs sites, examples and tooling are not services: rules judge a library
 * through the services that import it (`packageScope`).
 *
 * @example deployedServices(project).map((service) => `${service.pkg.displayName}: ${service.evidence.what}`)
 */
export function deployedServices(project: Project): readonly DeployedService[] {
  const cached = cache.get(project);
  if (cached !== undefined) return cached;
  const services: DeployedService[] = [];
  for (const pkg of project.packages()) {
    if (pkg.role !== 'code') continue;
    if (!pkg.frameworks.some((framework) => SERVER_FRAMEWORKS.has(framework))) continue;
    // A workspace root that only hoists dependencies for its members serves nothing itself.
    if (pkg.isWorkspaceRoot && !project.filesOfPackage(pkg).some((file) => project.fileRole(file.path) === 'source')) continue;
    const evidence = startScriptEvidence(project, pkg) ?? platformEvidence(project, pkg) ?? containerEvidence(project, pkg) ?? entryEvidence(project, pkg);
    if (evidence !== undefined) services.push({ pkg, evidence });
  }
  cache.set(project, services);
  return services;
}

/**
 * True when `file` belongs to a deployed service or to a workspace package one of them imports.
 *
 * @example isInDeployedScope(project, 'packages/auth/src/session.ts') // true when apps/web depends on @acme/auth
 */
export function isInDeployedScope(project: Project, file: string): boolean {
  const owner = project.packageOf(file);
  if (owner === undefined) return false;
  return deployedServices(project).some(({ pkg }) => pkg === owner || (owner.manifest.name !== undefined && pkg.allDependencies.has(owner.manifest.name)) || underDir(owner.dir, pkg.dir));
}
