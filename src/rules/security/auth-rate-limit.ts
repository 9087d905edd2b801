// Protects against credential stuffing and OTP brute force: login/reset routes left out of the limiter the rest of the API has. Docs: docs/rules/security/auth-rate-limit.md
import { noOptions } from '../../core/rule.js';
import { dottedName } from '../../project/ast.js';
import { findText, isFileRoute, nodeText, packageScope, scopeDependsOn, routesIn, serverPackagesWithCode, type PackageScope } from '../../project/code-scope.js';
import { ROUTE_HINT } from '../../project/routes.js';
import type { Project } from '../../project/project.js';
import type { RouteDefinition } from '../../project/routes.js';
import { defineScanRule } from '../support.js';
import { rateLimitEvidence } from './rate-limit-evidence.js';

/** Segments that name a route an attacker guesses or floods on its own: logging in, signing up, one-time codes. */
const GUESSABLE_SEGMENT = /^(?:login|log-in|signin|sign-in|signup|sign-up|forgot-password|reset-password|forgot|otp|mfa|2fa|totp|verify-otp|verify-2fa|magic-link|passwordless|sessions?|credentials|callback\/credentials)$/i;
/** What may come before `register` when it registers an account (not `/domains/register`, `/passkeys/register`). */
const ACCOUNT_PARENT = /^(?:|api|v\d+|auth|authentication|users?|accounts?|public|members?|customers?)$/i;

/**
 * True for a path whose POST an attacker can guess against or flood: login, signup, account registration,
 * password reset/forgot requests, one-time codes, a credentials session. Not: a change-password route of a
 * logged-in user, OAuth/SAML callbacks and token exchanges (their codes are high-entropy), `…/reset` of a
 * website or an invite, `…/register` of a domain or a passkey.
 *
 * @example isAuthPath('/api/auth/forgot-password') // true
 * @example isAuthPath('/domains/register') // false
 * @example isAuthPath('/configs/oidc/session', 'PATCH') // false
 */
export function isAuthPath(path: string, method = 'POST'): boolean {
  const segments = path.toLowerCase().split('/').filter((segment) => segment !== '' && !/^[:[{(]/.test(segment));
  // Only a POST creates a session; PATCH or DELETE of one edits its settings or logs out (`PATCH /configs/oidc/session`).
  const guessable = (segment: string): boolean => GUESSABLE_SEGMENT.test(segment) && (method.toUpperCase() === 'POST' || !/^sessions?$/.test(segment));
  if (segments.some(guessable)) return true;
  const hasPassword = segments.some((segment) => /^passwords?$/.test(segment));
  if (hasPassword && segments.some((segment) => /^(?:reset|forgot|recover|recovery|request-reset)$/.test(segment))) return true;
  return segments.some((segment, index) => segment === 'register' && segments.slice(0, index).every((parent) => ACCOUNT_PARENT.test(parent)));
}
/** A limiter or an attempts counter written in the handler itself: `assertRateLimit(…)`, `ratelimit(10, '1 h').limit(ip)`, a lockout after N failures. */
const INLINE_LIMIT = /\w*[Rr]ate_?[Ll]imit\w*\s*\(|\.limit\s*\(\s*[\w$.`'"]|\bthrottle\w*\s*\(|failed(?:Login)?Attempts|lockedUntil|lockout|MAX_(?:LOGIN|FAILED)_ATTEMPTS|accountLocked|blockedUntil/;
/** A string literal that may hold an authentication path: the gate before route files are parsed. */
const AUTH_LITERAL = /['"`][^'"`\n]*(?:login|log-in|signin|sign-in|signup|sign-up|register|password|reset|forgot|otp|mfa|2fa|magic-link|session|credentials)[^'"`\n]*['"`]/i;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'ALL']);
const LIMITER_NAME = /limit|throttl|slowdown|slow_down|brute/i;
/** A limiter mounted for every route: `app.use(limiter)`, `app.use('/api', rateLimit(…))`, Fastify's global plugin, Nest's global guard. */
const GLOBAL_LIMITER =
  /\.use\s*\(\s*(?:['"`][^'"`]*['"`]\s*,\s*)?[\w$.]*(?:[lL]imit|[tT]hrottl|slowDown|[bB]rute)[\w$]*\s*[(),]|provide\s*:\s*APP_GUARD\s*,\s*useClass\s*:\s*\w*Throttler/;
/** @fastify/rate-limit applies to every route unless registered with `global: false` (also when loaded by @fastify/autoload). */
const FASTIFY_RATE_LIMIT = ['@fastify/rate-limit', 'fastify-rate-limit'];
const NOT_GLOBAL = /\bglobal\s*:\s*false\b/;

type Messages = { uncovered: { method: string; path: string } };

const NEXT_AUTH_ROUTE = /(?:^|\/)(?:pages\/api|app\/api)\/(?:[\w-]+\/)*auth\/\[\.\.\.nextauth\](?:\.[cm]?[jt]sx?|\/route\.[cm]?[jt]sx?)$/;
/** Providers whose sign-in an attacker can repeat: passwords and e-mailed links (OAuth providers redirect to the IdP). */
const GUESSABLE_PROVIDER = /\b(CredentialsProvider|Credentials|EmailProvider|Email|Nodemailer|Resend)\s*\(\s*\{/;

function nextAuthBase(file: string): string {
  const match = /(?:pages|app)(\/api\/(?:[\w-]+\/)*auth)\//.exec(file);
  return match?.[1] ?? '/api/auth';
}

function isCovered(project: Project, scope: PackageScope, route: RouteDefinition): boolean {
  const source = project.parseSource(route.file);
  if (source === undefined) return true;
  const before = route.handlers.slice(0, -1);
  if (before.some((node) => LIMITER_NAME.test(dottedName(node.type === 'CallExpression' ? node.callee : node) ?? nodeText(source, node)))) return true;
  // Fastify per-route `config: { rateLimit }`; Nest `@Throttle()` / `@UseGuards(ThrottlerGuard)` in the controller.
  if (before.some((node) => /\brateLimit\b/.test(nodeText(source, node)))) return true;
  if (route.style === 'nest-decorator' && /@Throttle\s*\(|@UseGuards\s*\([^)]*Throttler/.test(source.text)) return true;
  // A limit or lockout inside the handler (Next route handlers, Nest use cases called from it) covers it too.
  const handler = route.handlers[route.handlers.length - 1];
  const handlerText = isFileRoute(route.file) ? source.text : handler === undefined ? '' : nodeText(source, handler);
  if (INLINE_LIMIT.test(handlerText)) return true;
  const called = /\b(?:this\.)?(\w+(?:UseCase|Usecase|Service))\s*\.\s*execute\b|\bthis\.(\w+)\.(?:login|signIn|register|signUp|resetPassword|forgotPassword|requestPasswordReset)\s*\(/.exec(handlerText);
  if (called !== null && findText(project, scope.files.filter((file) => /(?:use-?case|service)/i.test(file)), INLINE_LIMIT) !== undefined && scope.files.some((file) => INLINE_LIMIT.test(project.text(file) ?? '') && /login|password|auth/i.test(file))) return true;
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
        if (isFileRoute(file)) return isAuthPath(file.replace(/\.[cm]?[jt]sx?$/, '').replace(/[.]/g, '/'));
        const text = project.text(file) ?? '';
        return ROUTE_HINT.test(text) && AUTH_LITERAL.test(text);
      });
      const authRoutes = [...routesIn(project, candidates)].filter((route) => STATE_CHANGING.has(route.method) && route.path !== undefined && isAuthPath(route.path, route.method));
      // NextAuth/Auth.js serves password and magic-link sign-in from its catch-all route: `POST …/callback/credentials`
      // and `POST …/signin/email` are login routes whenever those providers are configured.
      for (const file of scope.files.filter((candidate) => NEXT_AUTH_ROUTE.test(candidate))) {
        const text = project.text(file) ?? '';
        const provider = GUESSABLE_PROVIDER.exec(text);
        if (provider === null || INLINE_LIMIT.test(text)) continue;
        if (findText(project, scope.files.filter((candidate) => /(?:^|\/)(?:src\/)?middleware\.[cm]?[jt]s$/.test(candidate)), LIMITER_NAME) !== undefined) continue;
        const line = text.slice(0, provider.index).split('\n').length;
        ctx.report({
          messageId: 'uncovered',
          data: { method: 'POST', path: `${nextAuthBase(file)}/${provider[1]?.toLowerCase().startsWith('email') === true ? 'signin/email' : 'callback/credentials'}` },
          location: { path: file, line },
          detail: `The package limits requests (${evidence.what}) but NextAuth's ${provider[1] ?? 'credentials'} provider, configured here, signs users in through the catch-all route with no limiter in it, in its callbacks or in Next middleware.`,
          key: `nextauth ${provider[1] ?? ''}`,
        });
      }
      for (const route of authRoutes) {
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
