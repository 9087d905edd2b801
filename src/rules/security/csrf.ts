// Protects against cross-site request forgery: cookie sessions on state-changing routes with no token, SameSite=strict or origin check. Docs: docs/rules/security/csrf.md
import { noOptions } from '../../core/rule.js';
import { findAllText, findText, packageScope, scopeUses, serverPackagesWithCode } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';

/** Session middleware that keeps the session in (or keyed by) a cookie the browser sends on its own. */
const COOKIE_SESSION_LIBRARIES = ['express-session', 'cookie-session', '@fastify/session', '@fastify/secure-session', 'fastify-session', 'koa-session', 'iron-session', 'hono-sessions', '@hono/session'];
const SESSION_CALL = /\b(?:session|cookieSession|expressSession|getIronSession|sessionMiddleware)\s*\(|\.register\s*\(\s*\w*[sS]ession\w*/;
/** CSRF token middleware. */
const CSRF_LIBRARIES = ['csurf', '@dr.pogodin/csurf', 'csrf-csrf', 'csrf-sync', 'tiny-csrf', 'lusca', '@fastify/csrf-protection', 'koa-csrf', '@koa/csrf', '@edge-csrf/', 'csrf'];
const CSRF_CODE = /\bcsrf\s*\(|csrfProtection|doubleCsrf|csrfSync|['"]x-(?:csrf|xsrf)-token['"]|\b_csrf\b/i;
const SAME_SITE_STRICT = /sameSite\s*:\s*(?:['"`]strict['"`]|true)/i;
const SAME_SITE_LAX = /sameSite\s*:\s*['"`]lax['"`]/i;
/** A hand-written origin check: reading Origin/Referer/Sec-Fetch-Site on the request. */
const ORIGIN_CHECK = /(?:get|header)\(\s*['"](?:origin|referer|sec-fetch-site)['"]\s*\)|headers(?:\.origin|\.referer|\[\s*['"](?:origin|referer|sec-fetch-site)['"]\s*\])/i;
/** State-changing route definitions, by text: method calls with a path, Nest decorators, Next/Remix exports, Fastify route objects. */
const STATE_CHANGING_ROUTE =
  /\.(?:post|put|patch|delete|all)\s*\(\s*['"`][/*]|\.on\s*\(\s*['"`](?:POST|PUT|PATCH|DELETE)['"`]|@(?:Post|Put|Patch|Delete|All)\s*\(|export\s+(?:async\s+)?(?:function\s+|const\s+)(?:POST|PUT|PATCH|DELETE|action)\b|method\s*:\s*(?:\[[^\]]*)?['"`](?:POST|PUT|PATCH|DELETE)['"`]/g;

/** Auth carried in a cookie the app sets itself (a JWT in `res.cookie('token', …)`) and reads back from the request. */
const SETS_COOKIE = /\b(?:res|reply|response|ctx)\.(?:cookie|setCookie)\s*\(|\bctx\.cookies\.set\s*\(|\bcookies\(\)\.set\s*\(|\bsetCookie\s*\(\s*c\s*,/;
const READS_AUTH_COOKIE = /\b(?:req|request)\.(?:signedCookies|cookies)\b[\s\S]{0,80}?(?:token|jwt|auth|session|access)|\b(?:getCookie|getSignedCookie)\s*\([^)]*(?:token|jwt|auth|session|access)|\bctx\.cookies\.get\s*\(\s*['"`]\w*(?:token|jwt|auth|session)/i;

type Messages = { unprotected: { pkg: string; routes: number }; laxOnly: { pkg: string } };

export default defineScanRule({
  id: 'security/csrf',
  title: 'Cookie sessions are protected against cross-site request forgery',
  description:
    'With cookie-based sessions the browser attaches the cookie to requests any website triggers. Without a CSRF token, SameSite=strict cookies or an Origin check, a page the user visits can post to the API as them.',
  category: 'security',
  severity: 'high',
  checklist: 'csrf',
  docs: 'docs/rules/security/csrf.md',
  fix: "Set the session cookie to sameSite: 'strict' and reject state-changing requests whose Origin is not yours (or use csrf-csrf / @fastify/csrf-protection tokens).",
  options: noOptions,
  messages: {
    unprotected: ({ pkg, routes }: Messages['unprotected']) => `${pkg} uses cookie sessions on ${routes} state-changing route(s) with no CSRF defence`,
    laxOnly: ({ pkg }: Messages['laxOnly']) => `${pkg} relies on SameSite=lax alone against CSRF`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      // A session library counts only where the code imports it: a dependency left in package.json sets no cookie.
      const sessionLibrary =
        scopeUses(project, scope, COOKIE_SESSION_LIBRARIES)?.name ??
        (findText(project, scope.files, SETS_COOKIE) !== undefined && findText(project, scope.files, READS_AUTH_COOKIE) !== undefined ? 'an auth cookie the app sets and reads back' : undefined);
      if (sessionLibrary === undefined) continue;
      if (scopeUses(project, scope, CSRF_LIBRARIES) !== undefined) continue;
      if ([CSRF_CODE, SAME_SITE_STRICT, ORIGIN_CHECK].some((pattern) => findText(project, scope.files, pattern) !== undefined)) continue;
      const routes = findAllText(project, scope.files, STATE_CHANGING_ROUTE);
      if (routes.length === 0) continue;
      const anchor = findText(project, scope.files, SESSION_CALL) ?? serverAnchor(project, pkg);
      const where = `${scope.files.length} production source file(s) of ${listText(scope.members.map((member) => member.displayName))}`;
      const lax = findText(project, scope.files, SAME_SITE_LAX);
      if (lax !== undefined) {
        ctx.report({
          messageId: 'laxOnly',
          data: { pkg: pkg.displayName },
          location: lax,
          severity: 'low',
          detail: `Sessions come from ${sessionLibrary}; the cookie is SameSite=lax, and ${where} contain no CSRF token middleware and no Origin/Referer check. Lax still sends the cookie on top-level GET navigations and from same-site subdomains.`,
        });
        continue;
      }
      ctx.report({
        messageId: 'unprotected',
        data: { pkg: pkg.displayName, routes: routes.length },
        location: anchor,
        detail:
          `Sessions come from ${sessionLibrary} and ${routes.length} route definition(s) accept POST/PUT/PATCH/DELETE (first at ${routes[0]?.path ?? ''}:${routes[0]?.line ?? ''}). Looked in ${where} for CSRF middleware (${CSRF_LIBRARIES.slice(0, 4).join(', ')}, …), csrf()/x-csrf-token, ` +
          "sameSite: 'strict' on the cookie, and an Origin/Referer/Sec-Fetch-Site check; found none.",
      });
    }
  },
});
