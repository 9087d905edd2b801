// Protects against deploys that "start" but never prove they work: no route an orchestrator can poll. Docs: docs/rules/reliability/health-endpoint.md
import { z } from 'zod';
import type { RuleContext } from '../../core/rule.js';
import type { PackageInfo } from '../../project/packages.js';
import { isSourcePath, type Project } from '../../project/project.js';
import { nextAppRoutePath, nextPagesApiPath, remixRoutePath, type RouteDefinition } from '../../project/routes.js';
import { isSelfHosted } from '../../project/services.js';
import { namedFunctions, packageScope, SELF_HOSTED_FRAMEWORKS } from '../../project/code-scope.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';

/** Last path segments that conventionally name a health, liveness or readiness endpoint. */
export const HEALTH_SEGMENTS: ReadonlySet<string> = new Set([
  'health', 'healthz', 'healthcheck', 'health-check', 'health_check', '_health', 'livez', 'live', 'liveness', 'readyz', 'ready', 'readiness', 'status', 'ping', 'heartbeat',
]);

/** Packages that register health routes themselves. */
const HEALTH_LIBRARIES = ['@nestjs/terminus', '@godaddy/terminus', 'lightship', 'express-healthcheck', 'fastify-healthcheck', '@fastify/under-pressure', 'express-actuator', '@hono/health-check'];

/**
 * A path literal only a health check uses (a hand-rolled `req.url === '/healthz'` on node:http has no route call).
 * `/status` and `/ping` are not among them: as literals they are as often a status-update endpoint or a client
 * call; they count only as routes that answer GET.
 */
const HEALTH_LITERAL = /['"`]\/(?:[\w-]+\/)*(?:health|healthz|healthcheck|health-check|livez|readyz|heartbeat)['"`]/;

/**
 * Paths the deployment itself probes: Dockerfile `HEALTHCHECK … curl/wget http://…/path`, compose
 * `healthcheck: test:`, Kubernetes `httpGet: path:`. A path the orchestrator polls is the team's health route,
 * whatever its name (umami's `/api/heartbeat`).
 */
const PROBED_URL = /(?:curl|wget|fetch|http\.get)\b[^\n]*?https?:\/\/[^/\s'"]+(\/[\w./-]*)/g;
const HTTP_GET_PATH = /httpGet:\s*\n\s*path:\s*['"]?(\/[\w./-]+)/g;

const probedCache = new WeakMap<Project, string[]>();

function probedPaths(project: Project): string[] {
  const cached = probedCache.get(project);
  if (cached !== undefined) return cached;
  const paths = new Set<string>();
  const files = project.filesWhere((file) => /(?:^|\/)(?:[^/]*Dockerfile[^/]*|[^/]*\.ya?ml)$/i.test(file) && !['test', 'example', 'docs'].includes(project.fileRole(file)));
  for (const file of files) {
    const text = project.text(file.path) ?? '';
    if (!/HEALTHCHECK|healthcheck|httpGet|Probe/.test(text)) continue;
    for (const pattern of [PROBED_URL, HTTP_GET_PATH]) {
      pattern.lastIndex = 0;
      for (const match of text.matchAll(pattern)) if (match[1] !== undefined) paths.add(match[1].replace(/\/+$/, '') || '/');
    }
  }
  const list = [...paths];
  probedCache.set(project, list);
  return list;
}
const APP_FRAMEWORKS: ReadonlySet<string> = new Set(['nextjs', 'remix', 'react-router']);

/** Methods a load balancer or orchestrator probes with. */
const PROBE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'ALL']);

const options = z.object({ paths: z.array(z.string().startsWith('/')).default([]) }).default({ paths: [] });

type Messages = { missing: { pkg: string } };

function isHealthPath(routePath: string | undefined, configured: readonly string[]): boolean {
  if (routePath === undefined) return false;
  const normalised = routePath.replace(/\/+$/, '') || '/';
  if (configured.includes(normalised)) return true;
  const last = normalised.split('/').pop() ?? '';
  return HEALTH_SEGMENTS.has(last.toLowerCase());
}

const HEALTH_DECORATOR = /@(?:Get|All)\(\s*['"`]\/?(?:[\w-]+\/)*(?:health|healthz|healthcheck|livez|readyz|status|ping)['"`]|@Controller\(\s*['"`]\/?(?:[\w-]+\/)*(?:health|healthz|healthcheck|livez|readyz)['"`]/;

/** A router mounted at a health path (`app.use('/status', statusRouter)`, or a router factory's result: `statusRouter(context)`). */
const HEALTH_MOUNT = /\.use\s*\(\s*['"`]\/(?:[\w-]+\/)*(?:health|healthz|healthcheck|livez|readyz|status|ping|heartbeat)\/?['"`]\s*,\s*[\w$.]+(?:\s*\([^()]*\))?\s*\)/;

/** A Next/Remix file route at a health path that answers GET (an App Router `route.ts` exporting GET, or any pages/Remix handler). */
function isHealthFileRoute(project: Project, file: string): boolean {
  const routePath = nextAppRoutePath(file) ?? nextPagesApiPath(file) ?? remixRoutePath(file);
  if (routePath === undefined || !isHealthPath(routePath, [])) return false;
  if (nextAppRoutePath(file) === undefined) return true;
  return /export\s+(?:async\s+)?(?:function\s+(?:GET|HEAD)\b|const\s+(?:GET|HEAD)\b)|export\s*\{[^}]*\b(?:GET|HEAD)\b/.test(project.text(file) ?? '');
}

function checkPackage(ctx: RuleContext<Project, Messages, z.infer<typeof options>>, pkg: PackageInfo): void {
  const { project } = ctx;
  const scope = packageScope(project, pkg).members;
  if (scope.some((member) => HEALTH_LIBRARIES.some((library) => member.allDependencies.has(library)))) return;
  const sourceFiles = scope.flatMap((member) => project.filesOfPackage(member)).filter((file) => isSourcePath(file.path) && project.fileRole(file.path) === 'source');
  if (sourceFiles.some((file) => isHealthFileRoute(project, file.path))) return;
  // Cheap text evidence first: a health-like path literal (also a hand-rolled `req.url === '/healthz'`
  // on node:http, which has no route call) or a Nest decorator. Only a report needs the parsed routes.
  const configured = [...ctx.options.paths, ...probedPaths(project)];
  const hasHealthText = (text: string): boolean =>
    HEALTH_LITERAL.test(text) || HEALTH_DECORATOR.test(text) || configured.some((route) => text.includes(`'${route}'`) || text.includes(`"${route}"`) || text.includes(`\`${route}\``));
  if (sourceFiles.some((file) => hasHealthText(project.text(file.path) ?? ''))) return;
  const inScope = new Set(sourceFiles.map((file) => file.path));
  const routes = project.routes().filter((route) => inScope.has(route.file));
  if (routes.some((route) => PROBE_METHODS.has(route.method) && isHealthPath(route.path, configured))) return;
  // `app.use('/status', statusRouter)` with `router.get('/', …)`: the router's root answers at the mount path.
  if (routes.some((route) => PROBE_METHODS.has(route.method) && route.path === '/' && route.style === 'method-call') && sourceFiles.some((file) => HEALTH_MOUNT.test(project.text(file.path) ?? ''))) return;
  // A GET route that only asks the database whether it answers (`select now()`, `SELECT 1`, `.ping()`) is a health check under any name.
  if (routes.some((route) => PROBE_METHODS.has(route.method) && project.routesOf(route.file).some((full) => full.line === route.line && full.column === route.column && isDatabasePing(project, full)))) return;
  // The container's own healthcheck polling `/` is a liveness probe of a self-hosted app.
  if (configured.includes('/') && isSelfHosted(project, pkg)) return;
  const scopeNames = scope.map((member) => member.displayName);
  // Vercel and Netlify run a Next/Remix app as functions and probe nothing: a health route there is for uptime monitors, not for the platform.
  const platformRun = pkg.frameworks.some((framework) => APP_FRAMEWORKS.has(framework)) && !pkg.frameworks.some((framework) => SELF_HOSTED_FRAMEWORKS.has(framework)) && !isSelfHosted(project, pkg);
  ctx.report({
    messageId: 'missing',
    data: { pkg: pkg.displayName },
    location: serverAnchor(project, pkg),
    ...(platformRun ? { severity: 'low' as const } : {}),
    detail:
      `Looked in ${routes.length} route definition(s) across ${sourceFiles.length} production source file(s) of ${listText(scopeNames)} ` +
      `for a GET route ending in /health, /healthz, /livez, /readyz, /status or /ping${configured.length > 0 ? ` or ${configured.join(', ')}` : ''}, ` +
      `and for health-check libraries (${HEALTH_LIBRARIES.slice(0, 3).join(', ')}, …); found none.` +
      (platformRun ? ' No container or process platform runs this app (a serverless platform does, which probes no route), so it is low: add one for uptime monitoring.' : ''),
  });
}

const DATABASE_PING = /\bselect\s+(?:1|now\(\))|\.ping\s*\(|\$queryRaw\s*`\s*select\s+1|\bauthenticate\s*\(\s*\)/i;

function isDatabasePing(project: Project, route: RouteDefinition): boolean {
  const source = project.parseSource(route.file);
  const handler = route.handlers[route.handlers.length - 1];
  if (source === undefined || handler === undefined) return false;
  const text = source.text.slice(handler.start, handler.end);
  if (DATABASE_PING.test(text)) return true;
  // A handler passed by name (`router.get('/test/db', testDb)`): its declaration in the same file.
  const name = handler.type === 'Identifier' ? handler.name : undefined;
  const declared = name === undefined ? undefined : namedFunctions(source).get(name);
  return declared !== undefined && DATABASE_PING.test(source.text.slice(declared.start, declared.end));
}

export default defineScanRule({
  id: 'reliability/health-endpoint',
  title: 'HTTP server exposes a health check endpoint',
  description:
    'A long-running HTTP server needs a cheap route (e.g. GET /healthz) that load balancers, orchestrators and deploy scripts poll to tell "it started" from "it works".',
  category: 'reliability',
  severity: 'high',
  checklist: 'health-check',
  docs: 'docs/rules/reliability/health-endpoint.md',
  fix: "Add GET /healthz that returns 200 with a small JSON body (e.g. { status: 'ok' }) without auth, plus /readyz that also checks the database; point the container HEALTHCHECK and the deploy verification at it.",
  options,
  messages: {
    missing: ({ pkg }: Messages['missing']) => `${pkg} runs an HTTP server but defines no health check route`,
  },
  applies: (project: Project) => project.serverPackages().length > 0,
  check(ctx) {
    for (const pkg of ctx.project.serverPackages()) {
      checkPackage(ctx, pkg);
    }
  },
});
