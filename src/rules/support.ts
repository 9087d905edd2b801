import { defineRule, type RegisteredRule, type Rule } from '../core/rule.js';
import type { ReportLocation } from '../core/rule.js';
import type { Framework, PackageInfo } from '../project/packages.js';
import { isFileRoute, SELF_HOSTED_FRAMEWORKS } from '../project/code-scope.js';
import { isSelfHosted } from '../project/services.js';
import { lineIndexOf } from '../project/line-index.js';
import { isSourcePath, type Project } from '../project/project.js';

const SERVER_START = /\bexpress\s*\(\s*\)|\b[Ff]astify\s*\(|new\s+(?:Hono|Koa|OpenAPIHono)\s*\(|NestFactory\.create(?:Microservice)?\s*(?:<[^>]*>)?\s*\(|\bcreateServer\s*\(|\.listen\s*\(/;

/**
 * Where to anchor a "this package is missing X" finding: the line that creates or starts the server,
 * else the framework dependency in package.json, else package.json itself.
 */
export function serverAnchor(project: Project, pkg: PackageInfo): ReportLocation {
  for (const file of project.filesOfPackage(pkg)) {
    if (!isSourcePath(file.path) || project.fileRole(file.path) !== 'source') continue;
    const text = project.text(file.path);
    if (text === undefined) continue;
    const match = SERVER_START.exec(text);
    if (match === null) continue;
    const before = text.slice(0, match.index);
    const line = before.split('\n').length;
    return { path: file.path, line, column: match.index - before.lastIndexOf('\n'), endLine: line, endColumn: match.index - before.lastIndexOf('\n') + match[0].length };
  }
  return manifestAnchor(project, pkg, pkg.frameworks[0]);
}

const FRAMEWORK_PACKAGE: Readonly<Record<string, string>> = {
  express: 'express', fastify: 'fastify', nestjs: '@nestjs/core', hono: 'hono', koa: 'koa', nextjs: 'next', remix: '@remix-run/node', 'react-router': '@react-router/node',
};

/** The line of a dependency in package.json (or line 1 when it is not found). */
export function manifestAnchor(project: Project, pkg: PackageInfo, framework: string | undefined): ReportLocation {
  const text = project.text(pkg.manifestPath) ?? '';
  const dependency = framework === undefined ? undefined : (FRAMEWORK_PACKAGE[framework] ?? framework);
  if (dependency !== undefined) {
    const index = text.indexOf(`"${dependency}"`);
    if (index >= 0) {
      const before = text.slice(0, index);
      const line = before.split('\n').length;
      const column = index - before.lastIndexOf('\n');
      return { path: pkg.manifestPath, line, column, endLine: line, endColumn: column + dependency.length + 2 };
    }
  }
  return { path: pkg.manifestPath, line: 1 };
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  return lineIndexOf(text).position(offset);
}

/** Joins names for messages: `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * `defineRule` with the project type fixed to the repository model, so scan rules need no annotations.
 *
 * @example export default defineScanRule({ id: 'team/adr', …, options: noOptions, messages: {…}, check(ctx) { ctx.project.markdownDocs(); } });
 */
export function defineScanRule<Messages extends Record<string, unknown>, Options>(rule: Rule<Project, Messages, Options>): RegisteredRule<Project> {
  return defineRule(rule);
}

/** Frameworks whose server the framework's CLI starts (`next start`, `react-router-serve`, `remix-serve`). */
const APP_FRAMEWORKS: ReadonlySet<Framework> = new Set(['nextjs', 'remix', 'react-router']);

/**
 * Next.js, Remix and React Router apps that the team runs as a long-lived process (a container or a process
 * platform, see `isSelfHosted`) and whose package runs no Express/Fastify/Nest/Hono/Koa server of its own (those
 * are judged as such). On Vercel or Netlify the platform owns logs, request ids and the process; self-hosted,
 * the team does.
 *
 * @example selfHostedAppPackages(project).map((pkg) => pkg.displayName) // ['@umami/web']
 */
export function selfHostedAppPackages(project: Project): PackageInfo[] {
  return project
    .serverPackages()
    .filter((pkg) => pkg.frameworks.some((framework) => APP_FRAMEWORKS.has(framework)) && !pkg.frameworks.some((framework) => SELF_HOSTED_FRAMEWORKS.has(framework)))
    .filter((pkg) => isSelfHosted(project, pkg));
}

const SERVER_SIDE_FILE = /(?:^|\/)(?:middleware|instrumentation(?:\.node)?)\.[jt]s$|\.server\.[jt]sx?$|(?:^|\/)(?:server|services|api)\//;

/**
 * Files of an app framework's package that run on the server: route handlers, `'use server'` modules,
 * middleware, instrumentation, `*.server.*` modules and `server/`, `services/`, `api/` folders. Client
 * components' console output lands in the browser, not in the server's logs.
 *
 * @example serverSideFiles(project, files) // ['app/api/users/route.ts', 'lib/server/db.ts']
 */
export function serverSideFiles(project: Project, files: readonly string[]): string[] {
  return files.filter((file) => {
    if (isFileRoute(file) || SERVER_SIDE_FILE.test(file)) return true;
    const head = (project.text(file) ?? '').slice(0, 200);
    return /^\s*['"]use server['"]/m.test(head);
  });
}
