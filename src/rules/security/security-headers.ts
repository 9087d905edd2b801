// Protects against clickjacking, MIME sniffing and injected scripts running unchecked: no security headers or CSP. Docs: docs/rules/security/security-headers.md
import { noOptions } from '../../core/rule.js';
import { findAllText, findText, isFileRoute, packageScope, scopeDependsOn, scopeUses, serverPackagesWithCode } from '../../project/code-scope.js';
import { isSelfHosted } from '../../project/services.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';

/**
 * Headers set in application code: helmet and its framework ports, Hono secureHeaders, nosecone, or the header names themselves
 * (Next `headers()`, middleware). Importing the plugin counts: with @fastify/autoload, `export default helmet` is the registration.
 */
const HEADERS_IN_CODE =
  /from\s+['"](?:helmet|@fastify\/helmet|koa-helmet|hono\/secure-headers|@nosecone\/next|nosecone|next-secure-headers)['"]|require\(\s*['"](?:helmet|@fastify\/helmet|koa-helmet)['"]\s*\)|\bhelmet\s*\(|\.register\s*\(\s*(?:helmet|fastifyHelmet|\w*[hH]elmet\w*|import\s*\(\s*['"]@fastify\/helmet['"]\s*\))|\bsecureHeaders\s*\(|\bnosecone\w*\s*\(|createSecureHeaders\s*\(/i;
/** Header names written out: they protect the app only where they are set for every response (see `isAppWideHeaderFile`). */
const HEADER_LITERAL = /['"`](?:Content-Security-Policy|X-Frame-Options)['"`]/i;
/** Header configuration outside the code: nginx/Caddy/Traefik configs, vercel.json, netlify.toml, `_headers`. */
const HEADER_CONFIG_FILE = /(?:^|\/)(?:[^/]*\.conf|Caddyfile|[^/]*\.ya?ml|[^/]*\.toml|vercel\.json|_headers|staticwebapp\.config\.json)$/i;
const HEADER_CONFIG = /Content-Security-Policy|X-Frame-Options|Strict-Transport-Security|\bcontentSecurityPolicy\b|\bframeDeny\b|\bstsSeconds\b/i;
const CSP_CONFIG = /Content-Security-Policy|\bcontentSecurityPolicy\s*[:=]\s*["']/i;
const CSP_DISABLED = /\bcontentSecurityPolicy\s*:\s*false\b/g;
/** A policy written out: helmet's `contentSecurityPolicy: { directives }` or the header itself. */
const CSP_POLICY = /\bcontentSecurityPolicy\s*:\s*\{|['"`]Content-Security-Policy['"`]\s*[,:]/i;
/** Header libraries: a dependency on one is taken as use (plugins are often loaded by name or by autoload). */
const HEADER_LIBRARIES = ['helmet', '@fastify/helmet', 'fastify-helmet', 'koa-helmet', 'next-secure-headers', 'nosecone', '@nosecone/next', '@nestjs/helmet'];

/** Files whose headers apply to every response: Next config and middleware, server hooks, global middleware modules. */
const APP_WIDE_FILE = /(?:^|\/)(?:next\.config\.[cm]?[jt]s|middleware\.[jt]s|_middleware\.[jt]s|hooks\.server\.[jt]s|entry\.server\.[jt]sx?|server\.[cm]?[jt]s|app\.[cm]?[jt]s|main\.[cm]?[jt]s|index\.[cm]?[jt]s)$|(?:^|\/)(?:middlewares?|plugins|hooks)\//;

/**
 * True when a header written in this file reaches every response, not one route's: Next config, middleware and
 * server entry files, or a middleware/plugin module (Hono's `createMiddleware` included). A CSP set by one route handler (a sandboxed download, an
 * embed page) leaves every other page without one.
 */
function isAppWideHeaderFile(project: Project, file: string): boolean {
  if (isFileRoute(file) || project.routesOf(file).length > 0) return APP_WIDE_FILE.test(file) && !isFileRoute(file) && /\.use\s*\(|addHook\s*\(|onRequest|onSend|\bheaders\s*\(/.test(project.text(file) ?? '');
  return APP_WIDE_FILE.test(file) || /\.use\s*\(|addHook\s*\(\s*['"](?:onRequest|onSend|preHandler)|\bNextResponse\.next\s*\(|\bcreateMiddleware\s*[<(]/.test(project.text(file) ?? '');
}

/** Sign-in libraries: with none, a site keeps no session an attacker could ride. */
const AUTH_LIBRARIES = ['next-auth', '@auth/', '@clerk/', 'better-auth', 'lucia', 'iron-session', '@supabase/ssr', '@supabase/auth-helpers-nextjs', '@kinde-oss/', 'passport', '@workos-inc/', 'express-session', 'cookie-session'];
/** The app renders or serves HTML documents: templates, static files, server-side views. */
const SERVES_HTML = /\.render\s*\(\s*['"`]|set\s*\(\s*['"]view engine['"]|express\.static\s*\(|ServeStaticModule|@fastify\/static|serveStatic\s*\(|\.html['"`]/;

type Messages = { missing: { pkg: string }; cspDisabled: Record<string, never> };

export default defineScanRule({
  id: 'security/security-headers',
  title: 'Security headers and a Content Security Policy are set',
  description:
    'Without helmet (or equivalent headers from the framework or the proxy) pages can be framed for clickjacking, responses MIME-sniffed, and an injected script runs with no CSP to stop it.',
  category: 'security',
  severity: 'medium',
  checklist: 'security-headers',
  docs: 'docs/rules/security/security-headers.md',
  fix: 'Add helmet (Express/Nest), @fastify/helmet, koa-helmet or hono/secure-headers with a Content Security Policy; for Next.js return the headers from next.config headers(); or set them in the reverse proxy.',
  options: noOptions,
  messages: {
    missing: ({ pkg }: Messages['missing']) => `${pkg} sets no security headers (helmet or equivalent) and no proxy config in the repository does`,
    cspDisabled: () => 'contentSecurityPolicy: false switches the Content Security Policy off',
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    const configFiles = project.filesWhere((file) => HEADER_CONFIG_FILE.test(file)).map((file) => file.path);
    const proxyHeaders = findText(project, configFiles, HEADER_CONFIG);
    const proxyCsp = findText(project, configFiles, CSP_CONFIG);
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      const where = `${scope.files.length} production source file(s) of ${listText(scope.members.map((member) => member.displayName))}`;
      const appWideFiles = scope.files.filter((file) => isAppWideHeaderFile(project, file));
      const inCode = scopeUses(project, scope, HEADER_LIBRARIES) ?? findText(project, scope.files, HEADERS_IN_CODE) ?? findText(project, appWideFiles, HEADER_LITERAL);
      if (inCode === undefined && proxyHeaders === undefined) {
        // A site a serverless platform runs with no sign-in at all (a marketing site, a public stats API) has no session
        // to frame or script against: the headers are good hygiene there, not a gap at medium.
        const sessionless = !isSelfHosted(project, pkg) && pkg.frameworks.some((framework) => framework === 'nextjs' || framework === 'remix' || framework === 'react-router') && scopeDependsOn(scope, AUTH_LIBRARIES) === undefined;
        ctx.report({
          messageId: 'missing',
          data: { pkg: pkg.displayName },
          location: serverAnchor(project, pkg),
          ...(sessionless ? { severity: 'low' as const } : {}),
          detail:
            `Looked in ${where} for helmet(), @fastify/helmet, koa-helmet, hono secureHeaders(), nosecone, or Content-Security-Policy / X-Frame-Options headers (Next headers(), middleware), ` +
            `and in ${configFiles.length} proxy/hosting config file(s) (nginx, Caddy, Traefik, vercel.json, netlify.toml, _headers) for those headers; found none.` +
            (sessionless ? ' A serverless platform runs it and it has no sign-in library, so no session can be framed or scripted against (low).' : ''),
        });
        continue;
      }
      // A CSP protects documents; a JSON API that renders and serves no HTML (CSP switched off so Swagger UI loads) loses little.
      const servesHtml = findText(project, scope.files, SERVES_HTML) !== undefined || pkg.frameworks.some((framework) => framework === 'nextjs' || framework === 'remix' || framework === 'react-router');
      if (proxyCsp !== undefined) continue;
      // `contentSecurityPolicy: false` as a base setting, with per-app policies set in the same module, switches nothing off.
      const cspSetInFile = (file: string): boolean => CSP_POLICY.test(project.text(file) ?? '');
      for (const site of findAllText(project, scope.files, CSP_DISABLED).filter((found) => !cspSetInFile(found.path))) {
        ctx.report({
          messageId: 'cspDisabled',
          data: {},
          location: site,
          ...(servesHtml ? {} : { severity: 'low' as const }),
          detail: `helmet (or its framework port) is configured with contentSecurityPolicy: false, and no proxy or hosting config in the repository sets Content-Security-Policy (looked in ${configFiles.length} file(s)).`,
        });
      }
    }
  },
});
