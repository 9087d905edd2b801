/**
 * Header checks on the home page: HTTPS redirect, HSTS, CSP, framing, hygiene headers, cookie flags,
 * CORS reflection and version disclosure. See docs/probe.md#header-checks.
 */

import { describeHops, isHtml, isRedirect, resolveLocation, type Hop } from '../context.js';
import { cspTest, parseSetCookie } from '../observatory.js';
import type { IssueSink } from '../rules.js';
import type { ProbeResponse } from '../transport.js';

export const CORS_PROBE_ORIGIN = 'https://shipready-probe.invalid';

export interface HeaderInput {
  /** The page graded (final response of the target chain). */
  readonly page: { readonly url: string; readonly response: ProbeResponse };
  /** Final HTTPS response when HTTPS answered. */
  readonly https?: { readonly url: string; readonly response: ProbeResponse };
  /** Chain starting at http://host/; absent when plain HTTP did not connect (or was not tried). */
  readonly httpHops?: readonly Hop[];
  readonly cors?: { readonly url: string; readonly response: ProbeResponse };
  readonly setCookies: readonly string[];
}

const SIX_MONTHS = 15_552_000;

export function checkHttpsRedirect(input: HeaderInput, sink: IssueSink): void {
  const hops = input.httpHops;
  const first = hops?.[0];
  if (hops === undefined || first === undefined || first.exchange.response === undefined) {
    // Nothing listens on plain HTTP: nothing to redirect (the Observatory scores this the same way).
    if (input.page.url.startsWith('https:')) sink.ran('security/https-redirect');
    else sink.report({ ruleId: 'security/https-redirect', messageId: 'noHttps', message: 'the site is served over plain HTTP only', url: input.page.url, detail: `GET ${input.page.url} answered over http:// and no HTTPS response was received`, severity: 'high' });
    return;
  }
  sink.ran('security/https-redirect');
  const response = first.exchange.response;
  const location = resolveLocation(first.url, response.headers['location']);
  const from = new URL(first.url);
  const evidence = describeHops(hops);
  if (!isRedirect(response.status) || location === undefined) {
    if (input.https === undefined) {
      sink.report({ ruleId: 'security/https-redirect', messageId: 'noHttps', message: 'the site is served over plain HTTP only', url: first.url, detail: `${evidence}; no HTTPS response was received`, severity: 'high' });
    } else {
      sink.report({ ruleId: 'security/https-redirect', messageId: 'noRedirect', message: `${first.url} answers ${response.status} over plain HTTP instead of redirecting to HTTPS`, url: first.url, detail: evidence });
    }
    return;
  }
  const to = new URL(location);
  if (to.protocol !== 'https:') {
    sink.report({ ruleId: 'security/https-redirect', messageId: 'notHttps', message: `the first redirect from ${first.url} goes to ${to.protocol}// instead of HTTPS`, url: first.url, detail: evidence, severity: 'medium' });
  } else if (to.hostname !== from.hostname) {
    sink.report({ ruleId: 'security/https-redirect', messageId: 'offHost', message: `the first redirect from ${first.url} leaves the host (${to.hostname}), so HSTS for ${from.hostname} is never set`, url: first.url, detail: evidence, severity: 'low' });
  }
}

export function checkHsts(input: HeaderInput, sink: IssueSink): void {
  const https = input.https;
  if (https === undefined) return;
  sink.ran('security/hsts');
  const value = https.response.headers['strict-transport-security'];
  const url = https.url;
  if (value === undefined) {
    sink.report({ ruleId: 'security/hsts', messageId: 'missing', message: 'HTTPS responses do not send Strict-Transport-Security', url, detail: `GET ${url} → ${https.response.status} without a Strict-Transport-Security header` });
    return;
  }
  const maxAge = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(value)?.[1];
  if (maxAge === undefined || value.includes(',')) {
    sink.report({ ruleId: 'security/hsts', messageId: 'invalid', message: 'Strict-Transport-Security cannot be parsed (no max-age, or sent twice)', url, detail: `Strict-Transport-Security: ${value}` });
  } else if (Number(maxAge) < SIX_MONTHS) {
    sink.report({ ruleId: 'security/hsts', messageId: 'short', message: `HSTS max-age is ${maxAge} s, under six months`, url, detail: `Strict-Transport-Security: ${value}`, severity: 'low' });
  }
}

export function checkCsp(input: HeaderInput, sink: IssueSink): void {
  const { url, response } = input.page;
  if (!isHtml(response)) return;
  sink.ran('security/content-security-policy', 'security/clickjacking');
  const analysis = cspTest({ hostname: new URL(url).hostname, auto: input.page, setCookies: [] });
  const header = response.headers['content-security-policy'];
  const shown = header === undefined ? 'no Content-Security-Policy header (and no <meta http-equiv>)' : `Content-Security-Policy: ${header}`;
  switch (analysis.result) {
    case 'csp-not-implemented':
    case 'csp-not-implemented-but-reporting-enabled':
      sink.report({ ruleId: 'security/content-security-policy', messageId: 'missing', message: analysis.result.endsWith('reporting-enabled') ? 'the page only has a report-only CSP, which blocks nothing' : 'the page sends no Content-Security-Policy', url, detail: `GET ${url} → ${response.status}: ${shown}` });
      break;
    case 'csp-header-invalid':
      sink.report({ ruleId: 'security/content-security-policy', messageId: 'invalid', message: 'the Content-Security-Policy cannot be parsed (duplicate directive, too short, or strict-dynamic without a nonce)', url, detail: shown });
      break;
    case 'csp-implemented-with-unsafe-inline':
      sink.report({ ruleId: 'security/content-security-policy', messageId: 'unsafeInline', message: "the CSP allows inline or arbitrary scripts ('unsafe-inline', data:, *, https: in script-src/object-src, or none set)", url, detail: shown, severity: 'low' });
      break;
    case 'csp-implemented-with-unsafe-eval':
      sink.report({ ruleId: 'security/content-security-policy', messageId: 'unsafeEval', message: "the CSP allows 'unsafe-eval'", url, detail: shown, severity: 'low' });
      break;
    case 'csp-implemented-with-insecure-scheme':
      sink.report({ ruleId: 'security/content-security-policy', messageId: 'insecureScheme', message: 'the CSP of an HTTPS page allows http: sources for active content', url, detail: shown, severity: 'low' });
      break;
    default:
      break;
  }
  const frameAncestors = analysis.headerPolicy?.get('frame-ancestors');
  const xfo = response.headers['x-frame-options']?.trim().toLowerCase();
  if (frameAncestors !== undefined) {
    if ([...frameAncestors].some((source) => source === '*' || source === 'https:' || source === 'http:')) {
      sink.report({ ruleId: 'security/clickjacking', messageId: 'broadAncestors', message: 'CSP frame-ancestors allows any site to frame the page', url, detail: shown });
    }
    return;
  }
  if (xfo === undefined) {
    sink.report({ ruleId: 'security/clickjacking', messageId: 'missing', message: 'the page can be framed by any site (no frame-ancestors, no X-Frame-Options)', url, detail: `GET ${url} → ${response.status}: no X-Frame-Options and no CSP frame-ancestors` });
  } else if (xfo !== 'deny' && xfo !== 'sameorigin') {
    sink.report({ ruleId: 'security/clickjacking', messageId: 'invalid', message: `X-Frame-Options "${xfo}" is not DENY or SAMEORIGIN, so browsers ignore it`, url, detail: `X-Frame-Options: ${xfo}` });
  }
}

const REFERRER_VALID = ['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url'];
const REFERRER_UNSAFE = ['unsafe-url', 'no-referrer-when-downgrade'];

export function checkHygiene(input: HeaderInput, sink: IssueSink): void {
  const { url, response } = input.page;
  sink.ran('security/header-hygiene');
  const missing: string[] = [];
  const xcto = response.headers['x-content-type-options'];
  if (xcto === undefined) missing.push('X-Content-Type-Options');
  else if (xcto.trim().toLowerCase() !== 'nosniff') {
    sink.report({ ruleId: 'security/header-hygiene', messageId: 'invalidNosniff', message: `X-Content-Type-Options is "${xcto}", not nosniff, so MIME sniffing stays on`, url, detail: `X-Content-Type-Options: ${xcto}`, key: 'x-content-type-options' });
  }
  const referrer = response.headers['referrer-policy'];
  if (referrer === undefined) missing.push('Referrer-Policy');
  else {
    const tokens = referrer.split(',').map((token) => token.trim().toLowerCase()).filter((token) => token !== '');
    const effective = [...tokens].reverse().find((token) => REFERRER_VALID.includes(token));
    if (effective === undefined) {
      sink.report({ ruleId: 'security/header-hygiene', messageId: 'invalidReferrer', message: `Referrer-Policy "${referrer}" names no valid policy`, url, detail: `Referrer-Policy: ${referrer}`, key: 'referrer-policy' });
    } else if (REFERRER_UNSAFE.includes(effective)) {
      sink.report({ ruleId: 'security/header-hygiene', messageId: 'unsafeReferrer', message: `Referrer-Policy ${effective} sends full URLs (paths, query tokens) to other sites`, url, detail: `Referrer-Policy: ${referrer}`, key: 'referrer-policy' });
    }
  }
  if (response.headers['permissions-policy'] === undefined) missing.push('Permissions-Policy');
  const coop = response.headers['cross-origin-opener-policy'];
  if (coop !== undefined && !['unsafe-none', 'same-origin-allow-popups', 'same-origin', 'noopener-allow-popups'].includes(coop.split(';')[0]?.trim().toLowerCase() ?? '')) {
    sink.report({ ruleId: 'security/header-hygiene', messageId: 'invalidCoop', message: `Cross-Origin-Opener-Policy "${coop}" is not a valid value`, url, detail: `Cross-Origin-Opener-Policy: ${coop}`, key: 'coop' });
  }
  const corp = response.headers['cross-origin-resource-policy'];
  if (corp !== undefined && !['same-site', 'same-origin', 'cross-origin'].includes(corp.trim().toLowerCase())) {
    sink.report({ ruleId: 'security/header-hygiene', messageId: 'invalidCorp', message: `Cross-Origin-Resource-Policy "${corp}" is not a valid value`, url, detail: `Cross-Origin-Resource-Policy: ${corp}`, key: 'corp' });
  }
  const coep = response.headers['cross-origin-embedder-policy'];
  if (coep !== undefined && !['unsafe-none', 'require-corp', 'credentialless'].includes(coep.split(';')[0]?.trim().toLowerCase() ?? '')) {
    sink.report({ ruleId: 'security/header-hygiene', messageId: 'invalidCoep', message: `Cross-Origin-Embedder-Policy "${coep}" is not a valid value`, url, detail: `Cross-Origin-Embedder-Policy: ${coep}`, key: 'coep' });
  }
  if (missing.length > 0) {
    sink.report({ ruleId: 'security/header-hygiene', messageId: 'missing', message: `not sent: ${missing.join(', ')}`, url, detail: `GET ${url} → ${response.status} had no ${missing.join(', ')} header`, severity: 'info', key: 'missing' });
  }
}

/** Names that usually carry a session or auth token. */
const SESSION_NAME = /sess|sid\b|^sid|auth|token|jwt|login|remember|connect\.sid|__host-|__secure-/i;

export function checkCookies(input: HeaderInput, sink: IssueSink): void {
  if (input.setCookies.length === 0) return;
  sink.ran('security/cookie-flags');
  const url = input.page.url;
  const overHttps = url.startsWith('https:');
  for (const raw of input.setCookies) {
    const cookie = parseSetCookie(raw);
    if (cookie === undefined || !SESSION_NAME.test(cookie.name)) continue;
    // The cookie value is a credential: never shown, only the attributes are.
    const attributes = raw.split(';').slice(1).map((part) => part.trim()).join('; ');
    const detail = `Set-Cookie: ${cookie.name}=…${attributes === '' ? ' (no attributes)' : `; ${attributes}`}`;
    const missing = [!cookie.httpOnly ? 'HttpOnly' : undefined, overHttps && !cookie.secure ? 'Secure' : undefined].filter((flag): flag is string => flag !== undefined);
    if (missing.length > 0) {
      sink.report({ ruleId: 'security/cookie-flags', messageId: 'missingFlags', message: `session-like cookie ${cookie.name} is set without ${missing.join(' and ')}`, url, detail, key: `${cookie.name}:flags` });
    }
    if (cookie.sameSite === undefined) {
      sink.report({ ruleId: 'security/cookie-flags', messageId: 'noSameSite', message: `session-like cookie ${cookie.name} has no valid SameSite attribute`, url, detail, severity: 'low', key: `${cookie.name}:samesite` });
    } else if (cookie.sameSite === 'none' && !cookie.secure) {
      sink.report({ ruleId: 'security/cookie-flags', messageId: 'noneWithoutSecure', message: `cookie ${cookie.name} is SameSite=None without Secure (browsers reject it)`, url, detail, severity: 'medium', key: `${cookie.name}:samesite` });
    }
  }
}

export function checkCors(input: HeaderInput, sink: IssueSink): void {
  const cors = input.cors;
  if (cors === undefined) return;
  sink.ran('security/cors-reflection');
  const allowOrigin = cors.response.headers['access-control-allow-origin']?.trim();
  const credentials = cors.response.headers['access-control-allow-credentials']?.trim().toLowerCase() === 'true';
  const detail = `GET ${cors.url} with Origin: ${CORS_PROBE_ORIGIN} → Access-Control-Allow-Origin: ${allowOrigin ?? '(none)'}, Access-Control-Allow-Credentials: ${cors.response.headers['access-control-allow-credentials'] ?? '(none)'}`;
  if (allowOrigin === CORS_PROBE_ORIGIN && credentials) {
    sink.report({ ruleId: 'security/cors-reflection', messageId: 'reflectedWithCredentials', message: 'any website can make credentialed requests and read the answers: the Origin is echoed with Allow-Credentials: true', url: cors.url, detail });
  } else if (allowOrigin === 'null' && credentials) {
    sink.report({ ruleId: 'security/cors-reflection', messageId: 'nullWithCredentials', message: 'Access-Control-Allow-Origin: null with credentials lets sandboxed pages of any site read answers', url: cors.url, detail, severity: 'high' });
  } else if (allowOrigin === CORS_PROBE_ORIGIN) {
    sink.report({ ruleId: 'security/cors-reflection', messageId: 'reflected', message: 'an arbitrary Origin is echoed in Access-Control-Allow-Origin (without credentials)', url: cors.url, detail, severity: 'low' });
  }
}

const VERSIONED = /\d+\.\d+/;

export function checkVersionDisclosure(input: HeaderInput, sink: IssueSink): void {
  const { url, response } = input.page;
  sink.ran('security/version-disclosure');
  for (const name of ['server', 'x-powered-by', 'x-aspnet-version', 'x-aspnetmvc-version', 'x-generator']) {
    const value = response.headers[name];
    if (value === undefined) continue;
    // A bare product name (Server: nginx) tells little; a version number hands out the CVE list.
    const disclosing = name === 'x-aspnet-version' || name === 'x-aspnetmvc-version' || VERSIONED.test(value) || name === 'x-powered-by';
    if (!disclosing) continue;
    sink.report({ ruleId: 'security/version-disclosure', messageId: 'header', message: `${name} announces "${value}"`, url, detail: `GET ${url} → ${name}: ${value}`, key: name });
  }
}

export function runHeaderChecks(input: HeaderInput, sink: IssueSink): void {
  checkHttpsRedirect(input, sink);
  checkHsts(input, sink);
  checkCsp(input, sink);
  checkHygiene(input, sink);
  checkCookies(input, sink);
  checkCors(input, sink);
  checkVersionDisclosure(input, sink);
}
