// Protects against one client (a bot, a runaway script) exhausting an API that anyone can call. Docs: docs/rules/security/rate-limit.md
import { noOptions } from '../../core/rule.js';
import { packageFiles, packageScope, routeFiles, routesIn, serverPackagesWithCode } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';
import { LOOKED_FOR, rateLimitEvidence } from './rate-limit-evidence.js';

type Messages = { missing: { pkg: string; routes: number } };

export default defineScanRule({
  id: 'security/rate-limit',
  title: 'HTTP API is rate limited',
  description: 'Without any rate limit, one scraper, credential-stuffing bot or client retry loop can exhaust the database pool and take the API down for everyone.',
  category: 'security',
  severity: 'high',
  checklist: 'rate-limiting',
  docs: 'docs/rules/security/rate-limit.md',
  fix: 'Add a limiter in front of the API (express-rate-limit, @fastify/rate-limit, @nestjs/throttler, hono-rate-limiter, rate-limiter-flexible with a shared store) or at the reverse proxy (nginx limit_req), with a stricter one on login and password reset.',
  options: noOptions,
  messages: {
    missing: ({ pkg, routes }: Messages['missing']) => `${pkg} serves ${routes} route(s) with no rate limiting anywhere`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      if (rateLimitEvidence(project, scope) !== undefined) continue;
      // A site with pages only (no API routes of its own) is not an API to limit; routes are extracted only now, for the few packages left.
      let routes = 0;
      for (const _route of routesIn(project, routeFiles(project, packageFiles(project, pkg)))) routes += 1;
      if (routes === 0) continue;
      ctx.report({
        messageId: 'missing',
        data: { pkg: pkg.displayName, routes },
        location: serverAnchor(project, pkg),
        detail: `Looked for ${LOOKED_FOR}, across ${listText(scope.members.map((member) => member.displayName))}; found none.`,
      });
    }
  },
});
