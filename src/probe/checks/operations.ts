/**
 * Live operations checks: health endpoint, compression, asset caching, and the opt-in login
 * rate-limit probe (hard-capped, inconclusive when no throttling is observed).
 */

import { contentType, excerpt, type ProbeClient } from '../context.js';
import type { IssueSink } from '../rules.js';
import type { Exchange, ProbeResponse } from '../transport.js';
import { MAX_LOGIN_ATTEMPTS } from '../defaults.js';
import { looksLikeBaseline, type Calibration } from './exposure.js';

export { DEFAULT_LOGIN_ATTEMPTS, MAX_LOGIN_ATTEMPTS } from '../defaults.js';

export const CONVENTIONAL_HEALTH_PATHS = ['/healthz', '/health', '/readyz', '/livez', '/api/health', '/status'] as const;
/** An orchestrator gives up on slow probes; 2 s is well under every default timeout. */
export const HEALTH_MAX_MS = 2000;

export function isHealthLike(response: ProbeResponse): boolean {
  const body = response.body.trim();
  if (body.length > 4096) return false;
  if (/^(?:ok|okay|healthy|up|pass|alive|ready|live|green|fine|true)\.?$/i.test(body)) return true;
  if (contentType(response).includes('json') || body.startsWith('{')) {
    return /"(?:status|state|health|healthy|ok|alive|ready|up|uptime|checks)"\s*:/i.test(body);
  }
  return /^(?:status|health)\s*[:=]\s*\w+/i.test(body);
}

export async function runHealthCheck(client: ProbeClient, origin: string, configured: string | undefined, calibration: Calibration, sink: IssueSink): Promise<void> {
  sink.ran('reliability/health-endpoint');
  const paths = configured === undefined ? [...CONVENTIONAL_HEALTH_PATHS] : [configured.startsWith('/') ? configured : `/${configured}`];
  const tried: string[] = [];
  for (const path of paths) {
    const exchange = await client.get(origin + path, 'path');
    const response = exchange.response;
    if (response === undefined) {
      tried.push(`${path} → ${exchange.error?.code ?? 'no answer'}`);
      if (exchange.error?.code === 'THROTTLED' || exchange.error?.code === 'BUDGET_EXHAUSTED') break;
      continue;
    }
    const ok = response.status >= 200 && response.status < 300;
    const fast = exchange.durationMs <= HEALTH_MAX_MS;
    const catchAll = looksLikeBaseline(response, path, calibration.baselines.get('plain'));
    if (ok && fast && isHealthLike(response) && !catchAll) return;
    const why = !ok ? '' : catchAll ? ' (the catch-all page)' : !fast ? ` (took ${exchange.durationMs} ms)` : ' (body is not health-like)';
    tried.push(`${path} → ${response.status}${why}: ${excerpt(response.body, 40)}`);
  }
  sink.report({
    ruleId: 'reliability/health-endpoint',
    messageId: configured === undefined ? 'notFound' : 'configuredFailed',
    message: configured === undefined ? 'no conventional health path answers 2xx with a health-like body' : `the health path ${configured} does not answer 2xx quickly with a health-like body`,
    url: origin + (paths[0] ?? '/'),
    detail: `tried ${tried.join('; ')}`,
    ...(configured === undefined ? {} : { severity: 'high' as const }),
  });
}

const COMPRESSIBLE = /^(?:text\/(?:html|css|javascript|plain)|application\/(?:javascript|json|xml|x-javascript))$/;
const MIN_COMPRESSIBLE_BYTES = 1024;

export function runCompressionCheck(resources: ReadonlyArray<{ url: string; exchange: Exchange }>, sink: IssueSink): void {
  sink.ran('performance/compression');
  for (const { url, exchange } of resources) {
    const response = exchange.response;
    if (response === undefined || response.status !== 200 || response.truncated) continue;
    if (!COMPRESSIBLE.test(contentType(response)) || response.wireBytes < MIN_COMPRESSIBLE_BYTES) continue;
    const encoding = response.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') continue;
    sink.report({ ruleId: 'performance/compression', messageId: 'uncompressed', message: `${contentType(response)} of ${response.wireBytes} bytes is served uncompressed`, url, detail: `GET ${url} with Accept-Encoding: gzip, deflate, br → no Content-Encoding, ${response.wireBytes} bytes on the wire`, key: url });
  }
}

/** A content hash in the file name (app.3f9a1c2b.js, index-B7xKq9_a.js) makes the URL immutable. */
const HASHED = /[.-](?=[A-Za-z0-9_]*\d)[A-Za-z0-9_]{8,}\.(?:js|mjs|css|woff2?|png|svg|jpg|webp)$/;
const LONG_CACHE_S = 30 * 86_400;

function maxAge(cacheControl: string | undefined): number | undefined {
  const match = /(?:^|,)\s*(?:s-)?max-age\s*=\s*(\d+)/i.exec(cacheControl ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function runCachingCheck(page: { url: string; response: ProbeResponse }, assets: ReadonlyArray<{ url: string; exchange: Exchange }>, sink: IssueSink): void {
  sink.ran('performance/asset-caching');
  const htmlCache = page.response.headers['cache-control'];
  const htmlAge = maxAge(htmlCache);
  if (htmlAge !== undefined && htmlAge > 600 && !/no-cache|no-store|must-revalidate/i.test(htmlCache ?? '')) {
    sink.report({ ruleId: 'performance/asset-caching', messageId: 'htmlCached', message: `the HTML page is cached for ${htmlAge} s, so a deploy reaches users late (old asset URLs)`, url: page.url, detail: `Cache-Control: ${htmlCache ?? ''}`, key: 'html' });
  }
  for (const { url, exchange } of assets) {
    const response = exchange.response;
    if (response === undefined || response.status !== 200 || !HASHED.test(new URL(url).pathname)) continue;
    const cacheControl = response.headers['cache-control'];
    const age = maxAge(cacheControl);
    if ((age !== undefined && age >= LONG_CACHE_S) || /immutable/i.test(cacheControl ?? '')) continue;
    sink.report({ ruleId: 'performance/asset-caching', messageId: 'hashedShortCache', message: 'a content-hashed asset is not cached long', url, detail: `Cache-Control: ${cacheControl ?? '(none)'}${response.headers['etag'] === undefined ? '' : `, ETag ${response.headers['etag']}`}`, key: url });
  }
}


/** Sequential failed logins with a made-up account until throttled or the cap is reached. */
export async function runLoginRateLimit(client: ProbeClient, origin: string, loginPath: string, attempts: number, sink: IssueSink): Promise<void> {
  sink.ran('security/auth-rate-limit');
  const url = origin + (loginPath.startsWith('/') ? loginPath : `/${loginPath}`);
  const cap = Math.min(Math.max(1, attempts), MAX_LOGIN_ATTEMPTS);
  const statuses: number[] = [];
  for (let attempt = 0; attempt < cap; attempt++) {
    const body = JSON.stringify({ email: 'shipready-probe@example.invalid', username: 'shipready-probe', password: client.token(`login-${attempt}`) });
    const exchange = await client.send('POST', url, 'page', { 'content-type': 'application/json' }, body);
    const response = exchange.response;
    if (response === undefined) break;
    statuses.push(response.status);
    const remaining = response.headers['ratelimit-remaining'] ?? response.headers['x-ratelimit-remaining'];
    if (response.status === 429 || (response.status === 503 && response.headers['retry-after'] !== undefined) || remaining === '0') return;
  }
  sink.report({
    ruleId: 'security/auth-rate-limit',
    messageId: 'notObserved',
    message: `no throttling observed after ${statuses.length} failed login attempt(s)`,
    url,
    detail: `POST ${url} (JSON, made-up account) ${statuses.length} times → statuses ${statuses.join(', ') || '(none)'}; no 429, Retry-After or RateLimit-Remaining: 0. A limiter with a higher threshold may exist`,
    inconclusive: true,
  });
}
