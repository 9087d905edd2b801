// Shared by security/rate-limit and security/auth-rate-limit: where request limiting can live.
import { findText, isInComment, scopeUses, siteAt, type CodeSite, type PackageScope } from '../../project/code-scope.js';
import type { Project } from '../../project/project.js';

/** Libraries that limit request rates in the application. */
export const RATE_LIMIT_LIBRARIES = [
  'express-rate-limit', 'express-slow-down', 'express-brute', 'rate-limiter-flexible', '@fastify/rate-limit', 'fastify-rate-limit', '@nestjs/throttler',
  'hono-rate-limiter', 'koa-ratelimit', 'koa2-ratelimit', '@upstash/ratelimit', '@arcjet/', '@unkey/ratelimit',
];

/**
 * Limiting set up in code without one of the libraries above: a call to a limiter (`createRateLimitMiddleware(…)`,
 * `rateLimit(…)`, `new RedisRateLimiter(…)`, `slowDown(…)`). Definitions do not count (`async rateLimit(key) {`
 * in a Redis helper nobody calls), so each match is checked by `isCall`.
 */
const RATE_LIMIT_CODE = /\b\w*[Rr]ate_?[Ll]imit\w*\s*\(|new\s+\w*RateLimiter\w*\s*\(|\bslowDown\s*\(|\bRatelimit\b/g;

/** True when the match at `index` calls the limiter rather than declaring it. */
function isCall(text: string, index: number, match: string): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  const before = text.slice(lineStart, index);
  if (/\b(?:function\s*\*?|def)\s*$/.test(before)) return false;
  // A method or object-method definition: `rateLimit(key, limit) {` / `async rateLimit(…): Promise<…> {`.
  if (/^\s*(?:(?:public|private|protected|static|async|export)\s+)*$/.test(before)) {
    const close = text.indexOf(')', index + match.length);
    const after = close < 0 ? '' : text.slice(close + 1, close + 80);
    if (/^\s*(?::[^={;]*)?\{/.test(after)) return false;
  }
  return true;
}

/** Proxy and gateway configuration that limits requests: nginx `limit_req`, ingress-nginx `limit-rps`, Traefik/Caddy/Kong/Envoy `ratelimit`, HAProxy request-rate tables, AWS WAF rate rules and API Gateway throttling (Terraform). */
const PROXY_FILE = /(?:^|\/)(?:[^/]*\.conf|Caddyfile|[^/]*\.ya?ml|haproxy\.cfg|[^/]*\.toml|[^/]*\.tf)$/i;
const PROXY_LIMIT = /\blimit_req(?:_zone)?\b|\brate_?limit\b|\bratelimit\b|\bhttp_req_rate\b|\blocal_ratelimit\b|\blimit-(?:rps|rpm|connections)\b|\brate_based_statement\b|\bthrottling_(?:rate|burst)_limit\b|\bthrottle_settings\b/i;

const ARCJET_RATE_RULE = /\b(?:slidingWindow|fixedWindow|tokenBucket)\s*\(/;

export interface LimitEvidence {
  readonly kind: 'library' | 'code' | 'proxy';
  readonly what: string;
  readonly site?: CodeSite;
}

/** The first piece of rate-limiting evidence for the scope, or undefined. */
export function rateLimitEvidence(project: Project, scope: PackageScope): LimitEvidence | undefined {
  const library = scopeUses(project, scope, RATE_LIMIT_LIBRARIES.filter((name) => name !== '@arcjet/'));
  if (library !== undefined) return { kind: 'library', what: library.name, site: library.site };
  // Arcjet is a security suite: bot detection and shield limit nothing; only its rate-limit rules do.
  const arcjet = scopeUses(project, scope, ['@arcjet/']);
  const arcjetRule = arcjet === undefined ? undefined : findText(project, scope.files, ARCJET_RATE_RULE);
  if (arcjet !== undefined && arcjetRule !== undefined) return { kind: 'library', what: `${arcjet.name} (rate-limit rule)`, site: arcjetRule };
  const code = limiterCall(project, scope.files);
  if (code !== undefined) return { kind: 'code', what: 'a limiter in code', site: code };
  const proxy = proxyLimit(project);
  if (proxy !== undefined) return { kind: 'proxy', what: 'a proxy rate limit', site: proxy };
  return undefined;
}

function limiterCall(project: Project, files: readonly string[]): CodeSite | undefined {
  for (const file of files) {
    const text = project.text(file);
    if (text === undefined || !/[Rr]ate_?[Ll]imit|slowDown/.test(text)) continue;
    RATE_LIMIT_CODE.lastIndex = 0;
    for (const match of text.matchAll(RATE_LIMIT_CODE)) {
      if (!isCall(text, match.index, match[0]) || isInComment(project, file, match.index)) continue;
      return siteAt(file, text, match.index, match.index + match[0].length);
    }
  }
  return undefined;
}

const proxyLimits = new WeakMap<Project, { site: CodeSite | undefined }>();

/** Proxy configs are repository-wide: looked up once per project, not once per package. */
function proxyLimit(project: Project): CodeSite | undefined {
  let cached = proxyLimits.get(project);
  if (cached === undefined) {
    cached = { site: findText(project, project.filesWhere((file) => PROXY_FILE.test(file) && !file.includes('node_modules/')).map((file) => file.path), PROXY_LIMIT) };
    proxyLimits.set(project, cached);
  }
  return cached.site;
}

export const LOOKED_FOR = `${RATE_LIMIT_LIBRARIES.slice(0, 7).join(', ')}, … in package.json, rateLimit()/RateLimiter in code, and limit_req/limit-rps/ratelimit/rate_based_statement/throttling in proxy, ingress and Terraform configs anywhere in the repository`;
