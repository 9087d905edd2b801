// The HTTP side: does the API or frontend answer, is the answer from the app or from a proxy that cannot reach
// it, and does the API's health route say it is healthy. Redirects are never followed: only the named host is asked.
import { redactText, redactUrl, redactUrlsInText } from '../core/redact.js';
import type { LayerResult } from './types.js';

const HEALTH_PATHS = ['/healthz', '/health', '/api/health', '/readyz', '/status'];

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

async function get(url: URL, timeoutMs: number): Promise<{ status: number; body: string; contentType: string }> {
  const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'shipready-doctor', accept: 'application/json, text/html;q=0.9, */*;q=0.5' } });
  const reader = response.body?.getReader();
  // Health bodies are small; reading at most 16 KiB keeps a streaming endpoint from holding the layer open.
  let body = '';
  if (reader !== undefined) {
    const decoder = new TextDecoder();
    while (body.length < 16 * 1024) {
      const chunk = await reader.read();
      if (chunk.done) break;
      body += decoder.decode(chunk.value, { stream: true });
    }
    await reader.cancel().catch(() => undefined);
  }
  return { status: response.status, body, contentType: response.headers.get('content-type') ?? '' };
}

function failureCode(error: unknown): string {
  const cause = error instanceof Error && typeof error.cause === 'object' && error.cause !== null && 'code' in error.cause ? String(error.cause.code) : undefined;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'ETIMEDOUT';
  return cause ?? 'EHTTP';
}

/** Layer `http`: any answer passes, except 502/503/504 from a proxy, which names the app behind it as unreachable. */
export async function httpLayer(url: URL, timeoutMs: number): Promise<LayerResult> {
  const started = performance.now();
  try {
    const response = await get(url, timeoutMs);
    const ms = elapsed(started);
    if (response.status === 502 || response.status === 504) {
      return { layer: 'http', status: 'fail', code: `HTTP_${response.status}`, output: `HTTP ${response.status}: the proxy answered but cannot reach the app behind it`, ms, hint: 'The proxy (nginx, the platform’s router) is up but its upstream is not: check that the app container runs and listens on the port the proxy forwards to (proxy_pass / the service port).' };
    }
    if (response.status === 503) return { layer: 'http', status: 'fail', code: 'HTTP_503', output: 'HTTP 503: the service says it is unavailable', ms, hint: 'The app or its proxy reports itself unavailable: check the app log and its dependencies (the layers above).' };
    return { layer: 'http', status: 'pass', output: `HTTP ${response.status}`, ms, observedValue: response.status, observedUnit: 'status' };
  } catch (error) {
    const code = failureCode(error);
    return { layer: 'http', status: 'fail', code, output: `no HTTP answer (${code})`, ms: elapsed(started), hint: 'The port is open but no HTTP answer came: is this an HTTP service, and does it answer within the timeout?' };
  }
}

/** A terminus, Actuator or health+json body that reports failure, with what it names as failing. */
function bodyFailure(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('status' in parsed)) return undefined;
  const status = String(parsed.status).toLowerCase();
  if (!['error', 'fail', 'down', 'unhealthy', 'out_of_service'].includes(status)) return undefined;
  const details = 'details' in parsed ? parsed.details : 'error' in parsed ? parsed.error : 'checks' in parsed ? parsed.checks : 'components' in parsed ? parsed.components : undefined;
  const failing = typeof details === 'object' && details !== null ? Object.entries(details).filter(([, value]) => typeof value === 'object' && value !== null && 'status' in value && /down|error|fail/i.test(String(value.status))).map(([name]) => name) : [];
  return failing.length === 0 ? `status "${status}"` : `status "${status}": ${failing.join(', ')} failing`;
}

/** Layer `health`: the API's health route (the first conventional path that exists), its status and what its body says. */
export async function healthLayer(base: URL, timeoutMs: number, healthPath: string | undefined): Promise<LayerResult> {
  const started = performance.now();
  const paths = healthPath === undefined ? HEALTH_PATHS : [healthPath];
  const prefix = base.pathname.replace(/\/+$/, '');
  const candidates = [...new Set(paths.flatMap((candidate) => [prefix === '' ? candidate : `${prefix}${candidate}`, candidate]))];
  try {
    for (const candidate of candidates) {
      const url = new URL(candidate, base.origin);
      const response = await get(url, timeoutMs);
      if (response.status === 404 || response.status === 405) continue;
      const failure = bodyFailure(response.body);
      const excerpt = redactText(response.body.replace(/\s+/g, ' ').slice(0, 160));
      if (response.status >= 500 || failure !== undefined) {
        return { layer: 'health', status: 'fail', code: `HEALTH_${response.status}`, output: `GET ${candidate} → ${response.status}${failure === undefined ? '' : ` (${failure})`}${excerpt === '' ? '' : `: ${excerpt}`}`, ms: elapsed(started), hint: 'The API runs but reports itself unhealthy: the failing dependency is named in its body; the database and cache components above say why.' };
      }
      if (response.status >= 200 && response.status < 400) return { layer: 'health', status: 'pass', output: `GET ${candidate} → ${response.status}`, ms: elapsed(started) };
      return { layer: 'health', status: 'warn', code: `HEALTH_${response.status}`, output: `GET ${candidate} → ${response.status}`, ms: elapsed(started), hint: 'The health route needs authentication or rejects the request: health checks should answer without credentials.' };
    }
    return { layer: 'health', status: 'warn', code: 'NO_HEALTH_ROUTE', output: `no health route answered (${candidates.join(', ')} → 404)`, ms: elapsed(started), hint: 'Add GET /healthz that checks the database, or pass --health-path.' };
  } catch (error) {
    const code = failureCode(error);
    return { layer: 'health', status: 'fail', code, output: `the health route did not answer (${code})`, ms: elapsed(started), hint: 'The API answered once but not its health route in time: it may be overloaded or blocked on a dependency.' };
  }
}

/** Page and script bodies read for the baked-in API base; a bundle bigger than this is read up to it. */
const MAX_PAGE_BYTES = 2 * 1024 * 1024;

async function getText(url: URL, timeoutMs: number): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'user-agent': 'shipready-doctor' } });
  const reader = response.body?.getReader();
  let body = '';
  if (reader !== undefined) {
    const decoder = new TextDecoder();
    while (body.length < MAX_PAGE_BYTES) {
      const chunk = await reader.read();
      if (chunk.done) break;
      body += decoder.decode(chunk.value, { stream: true });
    }
    await reader.cancel().catch(() => undefined);
  }
  return { status: response.status, body };
}

export interface BundleContext {
  /** Compose service names: `http://api:3000` in a browser bundle resolves nowhere outside the compose network. */
  readonly serviceNames: readonly string[];
  /** Hosts of the API components: `http://` to one of them from an https page is mixed content the browser blocks. */
  readonly apiHosts: readonly string[];
}

/**
 * Layer `bundle` (frontend): reads the page and its same-origin scripts for the API base the build baked in —
 * localhost or a private address (probe's reader), a compose service name, or `http://` to the API from an https page.
 */
export async function bundleLayer(url: URL, timeoutMs: number, context: BundleContext): Promise<LayerResult> {
  const started = performance.now();
  const [{ IssueSink }, { sameOriginScripts, scanForLocalUrls }] = await Promise.all([import('../probe/rules.js'), import('../probe/checks/frontend.js')]);
  try {
    const page = await getText(url, timeoutMs);
    const scripts = sameOriginScripts(page.body, url.href);
    const texts: Array<{ url: string; body: string }> = [{ url: url.href, body: page.body }];
    for (const script of scripts) {
      const fetched = await getText(new URL(script), timeoutMs);
      if (fetched.status === 200) texts.push({ url: script, body: fetched.body });
    }
    const sink = new IssueSink();
    for (const text of texts) scanForLocalUrls(text.url, text.body, url.origin, sink);
    const baked = sink.issues.find((issue) => issue.messageId === 'apiBase' || issue.messageId === 'devServer');
    if (baked !== undefined) {
      return { layer: 'bundle', status: 'fail', code: baked.messageId === 'devServer' ? 'DEV_SERVER' : 'LOCALHOST_API_BASE', output: `${redactUrlsInText(baked.message)} (${redactUrl(baked.url)})`, ms: elapsed(started), hint: 'The API base was baked in at build time: set NEXT_PUBLIC_*/VITE_*/REACT_APP_* to the public API URL when the image is built (a build arg), not only at run time, and rebuild.' };
    }
    for (const text of texts) {
      for (const name of context.serviceNames) {
        const found = new RegExp(`\\bhttps?://${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?::\\d{1,5})?(?=[/'"\`]|$)`).exec(text.body)?.[0];
        if (found !== undefined) return { layer: 'bundle', status: 'fail', code: 'SERVICE_NAME_API_BASE', output: `the shipped code calls ${found}: ${name} is a compose service name no browser can resolve (${text.url})`, ms: elapsed(started), hint: 'The browser runs outside the compose network: build the frontend with the public API URL (or a same-origin /api path the proxy forwards).' };
      }
      if (url.protocol === 'https:') {
        for (const host of context.apiHosts) {
          const found = new RegExp(`\\bhttp://${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?::\\d{1,5})?(?=[/'"\`]|$)`).exec(text.body)?.[0];
          if (found !== undefined) return { layer: 'bundle', status: 'fail', code: 'MIXED_CONTENT', output: `the https page calls ${found}: browsers block http:// requests from an https page (${text.url})`, ms: elapsed(started), hint: 'Serve the API over https and build the frontend with its https:// URL.' };
        }
      }
    }
    return { layer: 'bundle', status: 'pass', output: `page and ${texts.length - 1} script(s) read: no local or internal API base baked in`, ms: elapsed(started) };
  } catch (error) {
    const code = failureCode(error);
    return { layer: 'bundle', status: 'fail', code, output: `the page or its scripts did not load (${code})`, ms: elapsed(started), hint: 'The frontend answered once but its page or scripts did not: check the static file server.' };
  }
}

/**
 * Layer `cors` (API, when the frontend is on another origin): the preflight a browser sends before a credentialed
 * POST from the frontend. The origin must be echoed exactly (not `*`) with `Access-Control-Allow-Credentials: true`,
 * or the login request never leaves the browser.
 */
export async function corsLayer(api: URL, frontendOrigin: string, timeoutMs: number, loginPath: string | undefined): Promise<LayerResult> {
  const started = performance.now();
  const target = new URL(loginPath ?? api.pathname, api.origin);
  try {
    const response = await fetch(target, { method: 'OPTIONS', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { origin: frontendOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'user-agent': 'shipready-doctor' } });
    await response.body?.cancel().catch(() => undefined);
    const allowOrigin = response.headers.get('access-control-allow-origin');
    const allowCredentials = response.headers.get('access-control-allow-credentials');
    const what = `OPTIONS ${target.pathname} from ${frontendOrigin} → ${response.status}`;
    if (allowOrigin === null) return { layer: 'cors', status: 'fail', code: 'CORS_ORIGIN_NOT_ALLOWED', output: `${what}, no Access-Control-Allow-Origin`, ms: elapsed(started), hint: `The API does not allow the frontend's origin: add ${frontendOrigin} to its CORS origins (CORS_ORIGIN / cors({ origin })).` };
    if (allowOrigin === '*') return { layer: 'cors', status: 'fail', code: 'CORS_WILDCARD_WITH_CREDENTIALS', output: `${what}, Access-Control-Allow-Origin: * (browsers send no cookies to a wildcard)`, ms: elapsed(started), hint: `Echo the exact origin (${frontendOrigin}) and set credentials: true; a wildcard never carries the session cookie.` };
    if (allowOrigin !== frontendOrigin) return { layer: 'cors', status: 'fail', code: 'CORS_OTHER_ORIGIN', output: `${what}, Access-Control-Allow-Origin: ${allowOrigin}`, ms: elapsed(started), hint: `The API allows ${allowOrigin}, not the frontend's ${frontendOrigin}: fix the CORS origin list (scheme and port count).` };
    if (allowCredentials !== 'true') return { layer: 'cors', status: 'fail', code: 'CORS_NO_CREDENTIALS', output: `${what}, origin allowed but no Access-Control-Allow-Credentials: true`, ms: elapsed(started), hint: 'Without Access-Control-Allow-Credentials: true the browser drops the session cookie: set credentials: true in the CORS middleware.' };
    return { layer: 'cors', status: 'pass', output: `${what}, origin and credentials allowed`, ms: elapsed(started) };
  } catch (error) {
    const code = failureCode(error);
    return { layer: 'cors', status: 'fail', code, output: `the preflight got no answer (${code})`, ms: elapsed(started), hint: 'The API did not answer OPTIONS: a proxy or the framework may drop preflights.' };
  }
}
