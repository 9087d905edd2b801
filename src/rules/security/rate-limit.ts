// Protects against one client (a bot, a runaway script) exhausting an API that anyone can call. Docs: docs/rules/security/rate-limit.md
import { noOptions } from '../../core/rule.js';
import { findText, packageFiles, packageScope, routeFiles, routesIn, serverPackagesWithCode } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';
import { defineScanRule, listText, serverAnchor } from '../support.js';
import { LOOKED_FOR, rateLimitEvidence } from './rate-limit-evidence.js';
import { HEALTH_SEGMENTS } from '../reliability/health-endpoint.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const CALLBACK_PATH = /(?:^|\/)(?:webhooks?|hooks|callbacks?|events?-?callback|inbound)(?:\/|$)/i;

function isProbeOnlyRoute(method: string, path: string | undefined): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  const normalised = (path ?? '').replace(/\/+$/, '');
  return normalised === '' || HEALTH_SEGMENTS.has((normalised.split('/').pop() ?? '').toLowerCase());
}

/** `app.set('trust proxy', true)` / `app.enable('trust proxy')`: every hop trusted, so X-Forwarded-For decides req.ip. */
const TRUST_ALL_PROXIES = /\.set\s*\(\s*['"]trust proxy['"]\s*,\s*true\s*\)|\.enable\s*\(\s*['"]trust proxy['"]\s*\)/;

/** Every trust-proxy setting of a file, in order: `set('trust proxy', …)`, `enable(…)`, `disable(…)`. */
const TRUST_PROXY_SETTING = /\.(set|enable|disable)\s*\(\s*['"]trust proxy['"]\s*(?:,\s*([^)]*))?\)/g;

/** A later setting in the same file (`set('trust proxy', 'loopback')` after `enable('trust proxy')`) replaces trust-everything: Express keeps the last. */
function narrowedLater(text: string): boolean {
  const settings = [...text.matchAll(TRUST_PROXY_SETTING)];
  const last = settings[settings.length - 1];
  if (last === undefined) return false;
  const trustsAll = last[1] === 'enable' || (last[1] === 'set' && (last[2] ?? '').trim() === 'true');
  return !trustsAll;
}

type Messages = { missing: { pkg: string; routes: number }; spoofable: { pkg: string } };

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
    spoofable: ({ pkg }: Messages['spoofable']) => `${pkg} trusts every proxy, so clients choose the IP its rate limiter counts`,
  },
  applies: (project: Project) => serverPackagesWithCode(project).length > 0,
  check(ctx) {
    const { project } = ctx;
    for (const pkg of serverPackagesWithCode(project)) {
      const scope = packageScope(project, pkg);
      const evidence = rateLimitEvidence(project, scope);
      if (evidence !== undefined) {
        // With `trust proxy` set to true Express takes req.ip from the left-most X-Forwarded-For entry, which the
        // client writes: a limiter keyed on the IP then counts whatever IP the attacker sends.
        const trustAllSite = evidence.kind !== 'proxy' ? findText(project, scope.files, TRUST_ALL_PROXIES) : undefined;
        // Express keeps the last value set: `enable('trust proxy')` followed by `set('trust proxy', 'loopback')` trusts loopback only.
        const trustAll = trustAllSite !== undefined && !narrowedLater(project.text(trustAllSite.path) ?? '') ? trustAllSite : undefined;
        if (trustAll !== undefined && pkg.frameworks.includes('express')) {
          ctx.report({
            messageId: 'spoofable',
            data: { pkg: pkg.displayName },
            location: trustAll,
            severity: 'medium',
            detail: `The package limits requests (${evidence.what}), keyed on the client IP by default, and sets trust proxy to true: Express then reads req.ip from the left-most X-Forwarded-For value, which any client can set, so each request can claim a new IP (express-rate-limit reports this as ERR_ERL_PERMISSIVE_TRUST_PROXY).`,
            fix: "Trust exactly the proxies in front of the app: app.set('trust proxy', 1) for one load balancer (or the proxy's address/subnet), never true; or key the limiter on something the client cannot forge.",
          });
        }
        continue;
      }
      // A site with pages only (no API routes of its own) is not an API to limit; routes are extracted only now, for the few packages left.
      // A service that answers only its root and a health check (a websocket gateway, a worker) is no API to limit.
      // Webhooks and provider callbacks arrive at the senders' volume: an app-level per-IP limit would drop real events.
      const served = [...routesIn(project, routeFiles(project, packageFiles(project, pkg)))].filter((route) => !isProbeOnlyRoute(route.method, route.path) && !CALLBACK_PATH.test(route.path ?? ''));
      const routes = served.length;
      if (routes === 0) continue;
      // Read-only public endpoints (stats, feeds) are scraped, not abused: worth a limit, less pressing than a write path.
      // OPTIONS is the CORS preflight such public endpoints answer, and like GET and HEAD it is safe (RFC 9110 §9.2.1).
      const readOnly = served.every((route) => SAFE_METHODS.has(route.method));
      ctx.report({
        messageId: 'missing',
        data: { pkg: pkg.displayName, routes },
        location: serverAnchor(project, pkg),
        ...(readOnly ? { severity: 'low' as const } : {}),
        detail: `Looked for ${LOOKED_FOR}, across ${listText(scope.members.map((member) => member.displayName))}; found none.${readOnly ? ' Every route it serves is a GET, HEAD or OPTIONS (low: no write path to flood or guess against, though each request still costs the database).' : ''}`,
      });
    }
  },
});
