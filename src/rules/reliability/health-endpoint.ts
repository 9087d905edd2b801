// Protects against deploys that "start" but never prove they work: no route an orchestrator can poll. Docs: docs/rules/reliability/health-endpoint.md
import { z } from 'zod';
import type { RuleContext } from '../../core/rule.js';
import type { PackageInfo } from '../../project/packages.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor, workspaceDependencies } from '../support.js';

/** Last path segments that conventionally name a health, liveness or readiness endpoint. */
export const HEALTH_SEGMENTS: ReadonlySet<string> = new Set([
  'health', 'healthz', 'healthcheck', 'health-check', 'health_check', '_health', 'livez', 'live', 'liveness', 'readyz', 'ready', 'readiness', 'status', 'ping',
]);

/** Packages that register health routes themselves. */
const HEALTH_LIBRARIES = ['@nestjs/terminus', '@godaddy/terminus', 'lightship', 'express-healthcheck', 'fastify-healthcheck', '@fastify/under-pressure', 'express-actuator', '@hono/health-check'];

const HEALTH_LITERAL = /['"`]\/(?:[\w-]+\/)*(?:health|healthz|healthcheck|livez|readyz|status|ping)['"`]/;

const options = z.object({ paths: z.array(z.string().startsWith('/')).default([]) }).default({ paths: [] });

type Messages = { missing: { pkg: string } };

function isHealthPath(routePath: string | undefined, configured: readonly string[]): boolean {
  if (routePath === undefined) return false;
  const normalised = routePath.replace(/\/+$/, '') || '/';
  if (configured.includes(normalised)) return true;
  const last = normalised.split('/').pop() ?? '';
  return HEALTH_SEGMENTS.has(last.toLowerCase());
}

function checkPackage(ctx: RuleContext<Project, Messages, z.infer<typeof options>>, pkg: PackageInfo): void {
  const { project } = ctx;
  const scope = [pkg, ...workspaceDependencies(project, pkg)];
  const inScope = (file: string): boolean => {
    const owner = project.packageOf(file);
    return owner !== undefined && scope.includes(owner);
  };
  const routes = project.routes().filter((route) => inScope(route.file));
  if (routes.some((route) => isHealthPath(route.path, ctx.options.paths))) return;
  if (scope.some((member) => HEALTH_LIBRARIES.some((library) => member.allDependencies.has(library)))) return;
  // A hand-rolled `if (req.url === '/healthz')` on node:http has no route call; a health-like path literal counts.
  const sourceFiles = project.productionSourceFiles().filter((file) => inScope(file.path));
  if (sourceFiles.some((file) => HEALTH_LITERAL.test(project.text(file.path) ?? ''))) return;
  const scopeNames = scope.map((member) => member.displayName);
  ctx.report({
    messageId: 'missing',
    data: { pkg: pkg.displayName },
    location: serverAnchor(project, pkg),
    detail:
      `Looked in ${routes.length} route definition(s) across ${sourceFiles.length} production source file(s) of ${listText(scopeNames)} ` +
      `for a route ending in /health, /healthz, /livez, /readyz, /status or /ping${ctx.options.paths.length > 0 ? ` or ${ctx.options.paths.join(', ')}` : ''}, ` +
      `and for health-check libraries (${HEALTH_LIBRARIES.slice(0, 3).join(', ')}, …); found none.`,
  });
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
      // A workspace root that only hoists dependencies serves nothing itself.
      if (pkg.isWorkspaceRoot && ctx.project.productionSourceFiles().every((file) => ctx.project.packageOf(file.path) !== pkg)) continue;
      checkPackage(ctx, pkg);
    }
  },
});
