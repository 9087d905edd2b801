// Protects against credential stuffing and OTP brute force: login/reset routes left out of the limiter the rest of the API has. Docs: docs/rules/security/auth-rate-limit.md
import { noOptions } from '../../core/rule.js';
import { dottedName } from '../../project/ast.js';
import { findText, isFileRoute, nodeText, packageScope, scopeDependsOn, routesIn, serverPackagesWithCode, type PackageScope } from '../../project/code-scope.js';
import { ROUTE_HINT } from '../../project/routes.js';
import type { Project } from '../../project/project.js';
import type { RouteDefinition } from '../../project/routes.js';
import { defineScanRule } from '../support.js';
import { rateLimitEvidence } from './rate-limit-evidence.js';

/** Path segments of login, signup, password reset and one-time-code routes. */
const AUTH_SEGMENT = /(?:^|\/)(?:login|log-in|signin|sign-in|signup|sign-up|register|password|reset-password|forgot-password|forgot|reset|otp|mfa|2fa|verify-otp|magic-link|token)(?:\/|$)/i;
/** A string literal that may hold an authentication path: the gate before route files are parsed. */
const AUTH_LITERAL = /['"`][^'"`\n]*(?:login|log-in|signin|sign-in|signup|sign-up|register|password|reset|forgot|otp|mfa|2fa|magic-link|token)[^'"`\n]*['"`]/i;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'ALL']);
const LIMITER_NAME = /limit|throttl|slowdown|slow_down|brute/i;
/** A limiter mounted for every route: `app.use(limiter)`, `app.use('/api', rateLimit(…))`, Fastify's global plugin, Nest's global guard. */
const GLOBAL_LIMITER =
  /\.use\s*\(\s*(?:['"`][^'"`]*['"`]\s*,\s*)?[\w$.]*(?:[lL]imit|[tT]hrottl|slowDown|[bB]rute)[\w$]*\s*[(),]|provide\s*:\s*APP_GUARD\s*,\s*useClass\s*:\s*\w*Throttler/;
/** @fastify/rate-limit applies to every route unless registered with `global: false` (also when loaded by @fastify/autoload). */
const FASTIFY_RATE_LIMIT = ['@fastify/rate-limit', 'fastify-rate-limit'];
const NOT_GLOBAL = /\bglobal\s*:\s*false\b/;

type Messages = { uncovered: { method: string; path: string } };

function isCovered(project: Project, scope: PackageScope, route: RouteDefinition): boolean {
  const source = project.parseSource(route.file);
  if (source === undefined) return true;
  const before = route.handlers.slice(0, -1);
  if (before.some((node) => LIMITER_NAME.test(dottedName(node.type === 'CallExpression' ? node.callee : node) ?? nodeText(source, node)))) return true;
  // Fastify per-route `config: { rateLimit }`; Nest `@Throttle()` / `@UseGuards(ThrottlerGuard)` in the controller.
  if (before.some((node) => /\brateLimit\b/.test(nodeText(source, node)))) return true;
  if (route.style === 'nest-decorator' && /@Throttle\s*\(|@UseGuards\s*\([^)]*Throttler/.test(source.text)) return true;
  // Next.js middleware runs before every route of the package.
  if (route.framework === 'nextjs' && findText(project, scope.files.filter((file) => /(?:^|\/)(?:src\/)?middleware\.[cm]?[jt]s$/.test(file)), LIMITER_NAME) !== undefined) return true;
  return false;
}

export default defineScanRule({
  id: 'security/auth-rate-limit',
  title: 'Login, signup, password reset and OTP routes are rate limited',
  description:
    'Credential stuffing, password-reset spam and one-time-code guessing all hit the authentication routes. When the API already limits other routes but not these, the most attacked endpoints are the unprotected ones.',
  category: 'security',
  severity: 'high',
  checklist: 'rate-limiting',
  docs: 'docs/rules/security/auth-rate-limit.md',
  fix: 'Put a strict limiter (e.g. 10 requests per 15 minutes per IP and per account) on every login, signup, password reset and OTP route.',
  options: noOptions,
  messages: {
    uncovered: ({ method, path }: Messages['uncovered']) => `${method} ${path} is an authentication route that no rate limiter covers`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      // No limiting at all is security/rate-limit's finding; this rule is about the gap in an existing setup.
      const evidence = rateLimitEvidence(project, scope);
      if (evidence === undefined || evidence.kind === 'proxy') continue;
      const fastifyGlobal = scopeDependsOn(scope, FASTIFY_RATE_LIMIT) !== undefined && findText(project, scope.files, NOT_GLOBAL) === undefined;
      const globalLimiter = fastifyGlobal || findText(project, scope.files, GLOBAL_LIMITER) !== undefined;
      if (globalLimiter) continue;
      const candidates = scope.files.filter((file) => {
        if (isFileRoute(file)) return AUTH_SEGMENT.test(file.replace(/\.[cm]?[jt]sx?$/, '').replace(/[.]/g, '/'));
        const text = project.text(file) ?? '';
        return ROUTE_HINT.test(text) && AUTH_LITERAL.test(text);
      });
      for (const route of routesIn(project, candidates)) {
        if (!STATE_CHANGING.has(route.method) || route.path === undefined || !AUTH_SEGMENT.test(route.path)) continue;
        if (isCovered(project, scope, route)) continue;
        ctx.report({
          messageId: 'uncovered',
          data: { method: route.method, path: route.path ?? '' },
          location: { path: route.file, line: route.line, column: route.column, endLine: route.endLine, endColumn: route.endColumn },
          detail:
            `The package limits requests (${evidence.what}) but this route is not covered: no limiter among its middleware, no app.use(limiter)/router.use(limiter), ` +
            'no global Fastify rate-limit plugin or Nest ThrottlerGuard, no @Throttle() on its controller, no limiter in Next middleware.',
          key: `${route.method} ${route.path ?? ''}`,
        });
      }
    }
  },
});
