/**
 * An MDN HTTP Observatory-compatible grade. Each test, its expectations, score modifiers and the grade
 * boundaries follow @mdn/mdn-http-observatory 1.4.8: src/scanner/index.js (scoring and extra credit),
 * src/grader/charts.js (SCORE_TABLE, GRADE_CHART, MINIMUM_SCORE_FOR_EXTRA_CREDIT) and
 * src/analyzer/tests/*.js plus src/analyzer/cspParser.js (the tests), so a team that already tracks
 * its Observatory grade sees the same letter here. Known differences: docs/probe/differences-from-observatory.md.
 */

import type { ProbeResponse } from './transport.js';

export interface ObservatoryInput {
  readonly hostname: string;
  /** The response the page is graded on: HTTPS when it answered, else HTTP (Observatory's `auto`). */
  readonly auto?: { readonly url: string; readonly response: ProbeResponse };
  /** The final HTTPS response, if HTTPS answered, and whether its chain verified. */
  readonly https?: { readonly response: ProbeResponse; readonly verified: boolean };
  /** The plain-HTTP start: every URL visited from `http://host/` (first entry included); absent when HTTP did not connect. */
  readonly http?: { readonly route: readonly string[]; readonly verified: boolean };
  /** The answer to a GET/OPTIONS carrying a foreign `Origin`. */
  readonly cors?: { readonly response: ProbeResponse; readonly origin: string };
  /** Every Set-Cookie value the session received. */
  readonly setCookies: readonly string[];
}

export interface ObservatoryTestResult {
  readonly test: string;
  readonly result: string;
  readonly modifier: number;
  readonly pass: boolean;
}

export interface ObservatoryGrade {
  readonly grade: string;
  readonly score: number;
  readonly tests: readonly ObservatoryTestResult[];
}

/** Score modifiers, copied from SCORE_TABLE in src/grader/charts.js. */
export const SCORE_MODIFIERS: Readonly<Record<string, number>> = {
  'csp-implemented-with-no-unsafe-default-src-none': 10,
  'csp-implemented-with-no-unsafe': 5,
  'csp-implemented-with-unsafe-inline-in-style-src-only': 0,
  'csp-implemented-with-insecure-scheme-in-passive-content-only': -10,
  'csp-implemented-with-unsafe-eval': -10,
  'csp-implemented-with-unsafe-inline': -20,
  'csp-implemented-with-insecure-scheme': -20,
  'csp-header-invalid': -25,
  'csp-not-implemented': -25,
  'csp-not-implemented-but-reporting-enabled': -25,
  'csp-implemented-but-duplicate-directives': 0,
  'cookies-secure-with-httponly-sessions-and-samesite': 5,
  'cookies-secure-with-httponly-sessions': 0,
  'cookies-not-found': 0,
  'cookies-without-secure-flag-but-protected-by-hsts': -5,
  'cookies-session-without-secure-flag-but-protected-by-hsts': -10,
  'cookies-without-secure-flag': -20,
  'cookies-samesite-flag-invalid': -20,
  'cookies-anticsrf-without-samesite-flag': -20,
  'cookies-session-without-httponly-flag': -30,
  'cookies-session-without-secure-flag': -40,
  'cross-origin-resource-sharing-not-implemented': 0,
  'cross-origin-resource-sharing-implemented-with-public-access': 0,
  'cross-origin-resource-sharing-implemented-with-restricted-access': 0,
  'cross-origin-resource-sharing-implemented-with-universal-access': -50,
  'redirection-all-redirects-preloaded': 0,
  'redirection-to-https': 0,
  'redirection-not-needed-no-http': 0,
  'redirection-off-host-from-http': -5,
  'redirection-not-to-https-on-initial-redirection': -10,
  'redirection-not-to-https': -20,
  'redirection-missing': -20,
  'redirection-invalid-cert': -20,
  'referrer-policy-private': 5,
  'referrer-policy-not-implemented': 0,
  'referrer-policy-unsafe': -5,
  'referrer-policy-header-invalid': -5,
  'hsts-preloaded': 5,
  'hsts-implemented-max-age-at-least-six-months': 0,
  'hsts-implemented-max-age-less-than-six-months': -10,
  'hsts-not-implemented': -20,
  'hsts-header-invalid': -20,
  'hsts-not-implemented-no-https': -20,
  'hsts-invalid-cert': -20,
  'sri-implemented-and-all-scripts-loaded-securely': 5,
  'sri-implemented-and-external-scripts-loaded-securely': 5,
  'sri-not-implemented-response-not-html': 0,
  'sri-not-implemented-but-no-scripts-loaded': 0,
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': 0,
  'sri-not-implemented-but-external-scripts-loaded-securely': -5,
  'sri-implemented-but-external-scripts-not-loaded-securely': -20,
  'sri-not-implemented-and-external-scripts-not-loaded-securely': -50,
  'x-content-type-options-nosniff': 0,
  'x-content-type-options-not-implemented': -5,
  'x-content-type-options-header-invalid': -5,
  'x-frame-options-implemented-via-csp': 5,
  'x-frame-options-sameorigin-or-deny': 0,
  'x-frame-options-allow-from-origin': 0,
  'x-frame-options-not-implemented': -20,
  'x-frame-options-header-invalid': -20,
  'corp-header-invalid': -5,
  'corp-implemented-with-cross-origin': 0,
  'corp-implemented-with-same-origin': 10,
  'corp-implemented-with-same-site': 10,
  'corp-not-implemented': 0,
  'html-not-parseable': -20,
};

/** GRADE_CHART: the score rounded down to a multiple of 5 (capped at 100) names the grade. */
const GRADE_STEPS: ReadonlyArray<readonly [number, string]> = [
  [100, 'A+'], [90, 'A'], [85, 'A-'], [80, 'B+'], [70, 'B'], [65, 'B-'], [60, 'C+'], [50, 'C'], [45, 'C-'], [40, 'D+'], [30, 'D'], [25, 'D-'], [0, 'F'],
];
export const MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90;

/** @example gradeForScore(135) // 'A+' */
export function gradeForScore(score: number): string {
  const key = Math.min(Math.max(score, 0) - (Math.max(score, 0) % 5), 100);
  return GRADE_STEPS.find(([floor]) => key >= floor)?.[1] ?? 'F';
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

function mime(response: ProbeResponse): string {
  return (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

interface HtmlTag {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
}

/** A tolerant tag scanner: enough for <meta> and <script src>, without a DOM dependency. */
export function scanTags(html: string, name: string): HtmlTag[] {
  const tags: HtmlTag[] = [];
  const pattern = new RegExp(`<${name}\\b([^>]*)>`, 'gi');
  for (const match of html.matchAll(pattern)) {
    const attributes = new Map<string, string>();
    for (const attribute of (match[1] ?? '').matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
      const key = attribute[1]?.toLowerCase();
      if (key === undefined || attributes.has(key)) continue;
      attributes.set(key, decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? ''));
    }
    tags.push({ name, attributes });
  }
  return tags;
}

function decodeEntities(text: string): string {
  return text.replace(/&(quot|apos|amp|lt|gt|#39|#34);/g, (_whole, entity: string) => {
    const table: Record<string, string> = { quot: '"', apos: "'", amp: '&', lt: '<', gt: '>', '#39': "'", '#34': '"' };
    return table[entity] ?? '';
  });
}

/** <meta http-equiv="content-security-policy"> and <meta name="referrer">, as parseHttpEquivHeaders reads them. */
function httpEquiv(response: ProbeResponse): { csp: string[]; referrer: string[] } {
  const csp: string[] = [];
  let referrer: string[] = [];
  if (!HTML_TYPES.has(mime(response)) || response.body === '') return { csp, referrer };
  for (const meta of scanTags(response.body, 'meta')) {
    const equiv = meta.attributes.get('http-equiv')?.toLowerCase().trim();
    const content = meta.attributes.get('content');
    if (equiv !== undefined && content !== undefined) {
      if (content !== '' && equiv === 'content-security-policy') csp.push(content);
    } else if (meta.attributes.get('name')?.toLowerCase().trim() === 'referrer') {
      const value = meta.attributes.get('content');
      if (value !== undefined && value !== '') referrer = [value];
    }
  }
  return { csp, referrer };
}

// ---------------------------------------------------------------- CSP (cspParser.js + csp.js)

export type CspPolicy = Map<string, Set<string>>;
const DUPLICATE_WARNINGS = '_duplicates';
const DIRECTIVES_DISALLOWED_IN_META = ['frame-ancestors', 'report-uri', 'sandbox'];

/** Parses one or more policies as the Observatory does; throws on an unparseable or duplicated directive. */
export function parseCsp(policies: readonly string[]): CspPolicy {
  const clean = policies.map((policy) => policy.replace(/[\r\n]/g, '').trim());
  const csp: CspPolicy = new Map();
  if (clean.length === 0) return csp;
  for (const policy of clean) {
    if (policy.length < 'img-src'.length - 1) throw new Error(`invalid policy: ${policy}`);
  }
  const duplicates = new Set<string>();
  interface Source {
    source: string;
    index: number;
    keep: boolean;
  }
  const merged = new Map<string, Source[]>();
  const compare = new Intl.Collator('en').compare;
  for (const [index, policy] of clean.entries()) {
    const seen = new Set<string>();
    for (const [rawDirective, ...values] of policy.split(';').map((entry) => entry.trim().split(/\s+/))) {
      if (rawDirective === undefined || rawDirective === '') continue;
      const directive = rawDirective.toLowerCase();
      if (seen.has(directive)) {
        if (directive === 'report-uri' || directive === 'report-to') duplicates.add(directive);
        else throw new Error(`duplicate directive ${directive}`);
      } else {
        seen.add(directive);
      }
      const keep = index === 0;
      const sources: Source[] = values.map((value) => ({ source: value.trim().toLocaleLowerCase(), index, keep }));
      if (values.length === 0 && directive.endsWith('-src')) sources.push({ source: "'none'", index, keep });
      const combined = index === 0 ? [...sources] : [...(merged.get(directive) ?? []), ...sources];
      combined.sort((a, b) => compare(a.source, b.source));
      for (let position = 1; position < combined.length; position++) {
        const current = combined[position];
        const previous = combined[position - 1];
        if (current === undefined || previous === undefined) continue;
        if (current.index === previous.index && current.source.startsWith(previous.source)) current.keep = false;
        if (current.index !== previous.index && pathPartMatch(previous.source, current.source)) current.keep = true;
      }
      merged.set(directive, combined.filter((source) => source.keep));
      if (index === 0 && clean.length > 1) for (const source of merged.get(directive) ?? []) source.keep = false;
    }
  }
  for (const [directive, sources] of merged) csp.set(directive, sources.length > 0 ? new Set(sources.map((source) => source.source)) : new Set(["'none'"]));
  if (duplicates.size > 0) csp.set(DUPLICATE_WARNINGS, duplicates);
  return csp;
}

function pathPartMatch(a: string, b: string): boolean {
  if (a.length === 0) return true;
  if (a === '/' && b.length === 0) return true;
  const exact = !a.endsWith('/');
  const listA = a.split('/');
  const listB = b.split('/');
  if (listA.length > listB.length) return false;
  if (exact && listA.length !== listB.length) return false;
  if (!exact) listA.pop();
  try {
    return listA.every((piece, index) => decodeURIComponent(piece) === decodeURIComponent(listB[index] ?? ''));
  } catch {
    return false;
  }
}

const DANGEROUSLY_BROAD = new Set(['ftp:', 'http:', 'https:', '*', 'http://*', 'http://*.*', 'https://*', 'https://*.*']);
const UNSAFE_INLINE = new Set(["'unsafe-inline'", 'data:']);
const BROAD_OR_INLINE = new Set([...DANGEROUSLY_BROAD, ...UNSAFE_INLINE]);
const NONCES_HASHES = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

function hasNonceOrHash(sources: Iterable<string>): boolean {
  return [...sources].some((source) => NONCES_HASHES.some((prefix) => source.startsWith(prefix)));
}

export interface CspAnalysis {
  readonly result: string;
  readonly policy?: CspPolicy;
  /** The header-only policy (frame-ancestors counts only there). */
  readonly headerPolicy?: CspPolicy;
}

export function cspTest(input: ObservatoryInput): CspAnalysis {
  const auto = input.auto;
  if (auto === undefined) return { result: 'csp-not-implemented' };
  const headerValues = auto.response.headers['content-security-policy'] === undefined ? [] : [auto.response.headers['content-security-policy']];
  const metaValues = httpEquiv(auto.response).csp;
  let csp: CspPolicy;
  try {
    csp = parseCsp([...headerValues, ...metaValues]);
  } catch {
    return { result: 'csp-header-invalid' };
  }
  let headerOnly: CspPolicy;
  try {
    headerOnly = parseCsp(headerValues);
  } catch {
    headerOnly = new Map();
  }
  let meta: CspPolicy;
  try {
    meta = parseCsp(metaValues);
    for (const directive of DIRECTIVES_DISALLOWED_IN_META) meta.delete(directive);
  } catch {
    meta = new Map();
  }
  if (headerOnly.size + meta.size === 0) {
    const reportOnly = auto.response.headers['content-security-policy-report-only'];
    return { result: reportOnly !== undefined && reportOnly !== '' ? 'csp-not-implemented-but-reporting-enabled' : 'csp-not-implemented' };
  }
  let result: string | undefined;
  const any = (): Set<string> => new Set(['*']);
  const objectSrc = new Set(csp.get('object-src') ?? csp.get('default-src') ?? any());
  const scriptSrc = new Set(csp.get('script-src') ?? csp.get('default-src') ?? any());
  const styleSrc = new Set(csp.get('style-src') ?? csp.get('default-src') ?? any());
  for (const list of [scriptSrc, styleSrc]) if (hasNonceOrHash(list) && list.has("'unsafe-inline'")) list.delete("'unsafe-inline'");
  if (hasNonceOrHash(scriptSrc) && scriptSrc.has("'strict-dynamic'")) {
    for (const source of [...scriptSrc]) {
      if ([...DANGEROUSLY_BROAD].some((broad) => source.startsWith(broad)) || source === "'self'" || source === "'unsafe-inline'") scriptSrc.delete(source);
    }
  } else if (scriptSrc.has("'strict-dynamic'")) {
    result ??= 'csp-header-invalid';
  }
  const passive = new Set(['img-src', 'media-src']);
  const active = [...csp.entries()].filter(([directive]) => !passive.has(directive) && directive !== 'script-src').flatMap(([, list]) => [...list]);
  active.push(...scriptSrc);
  const passiveSources = [...passive].flatMap((directive) => [...(csp.get(directive) ?? csp.get('default-src') ?? new Set<string>())]);
  const isHttps = auto.url.startsWith('https:');
  const insecure = (source: string): boolean => source.startsWith('http:') || source.startsWith('ftp:');
  if ([...scriptSrc].some((source) => BROAD_OR_INLINE.has(source)) || [...objectSrc].some((source) => DANGEROUSLY_BROAD.has(source))) {
    result ??= 'csp-implemented-with-unsafe-inline';
  }
  if (isHttps && active.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme';
  if (scriptSrc.has("'unsafe-eval'") || styleSrc.has("'unsafe-eval'")) result ??= 'csp-implemented-with-unsafe-eval';
  if (isHttps && passiveSources.some(insecure)) result ??= 'csp-implemented-with-insecure-scheme-in-passive-content-only';
  if ([...styleSrc].some((source) => BROAD_OR_INLINE.has(source))) result ??= 'csp-implemented-with-unsafe-inline-in-style-src-only';
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.has("'none'") === true && defaultSrc.size === 1) result ??= 'csp-implemented-with-no-unsafe-default-src-none';
  else result ??= 'csp-implemented-with-no-unsafe';
  const passing = ['csp-implemented-with-no-unsafe', 'csp-implemented-with-no-unsafe-default-src-none', 'csp-implemented-with-unsafe-inline-in-style-src-only', 'csp-implemented-with-insecure-scheme-in-passive-content-only'];
  if (passing.includes(result) && csp.has(DUPLICATE_WARNINGS)) result = 'csp-implemented-but-duplicate-directives';
  csp.delete(DUPLICATE_WARNINGS);
  return { result, policy: csp, headerPolicy: headerOnly };
}

// ---------------------------------------------------------------- the other tests

/** HSTS per strict-transport-security.js; 15552000 s is the "six months" Observatory accepts. */
export function hstsTest(input: ObservatoryInput): string {
  const https = input.https;
  if (https === undefined) return 'hsts-not-implemented-no-https';
  if (!https.verified) return 'hsts-invalid-cert';
  const value = https.response.headers['strict-transport-security'];
  if (value === undefined) return 'hsts-not-implemented';
  const data = value.slice(0, 1024);
  if (data.includes(',')) return 'hsts-header-invalid';
  let maxAge: number | undefined;
  for (const parameter of data.split(';').map((part) => part.trim().toLowerCase())) {
    if (parameter.startsWith('max-age=')) maxAge = Number.parseInt(parameter.slice(8, 128), 10);
  }
  if (maxAge === undefined) return 'hsts-header-invalid';
  // parseInt of a non-number is NaN, and NaN < six months is false in the Observatory too.
  return maxAge < 15_552_000 ? 'hsts-implemented-max-age-less-than-six-months' : 'hsts-implemented-max-age-at-least-six-months';
}

interface ParsedCookie {
  readonly name: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite?: string;
}

export function parseSetCookie(raw: string): ParsedCookie | undefined {
  const [pair, ...attributes] = raw.split(';');
  const name = pair?.split('=')[0]?.trim() ?? '';
  if (name === '' || !pair?.includes('=')) return undefined;
  let secure = false;
  let httpOnly = false;
  let sameSite: string | undefined;
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=').map((part) => part.trim());
    const lower = key.toLowerCase();
    if (lower === 'secure') secure = true;
    else if (lower === 'httponly') httpOnly = true;
    else if (lower === 'samesite' && ['strict', 'lax', 'none'].includes(value.toLowerCase())) sameSite = value.toLowerCase();
  }
  return { name, secure, httpOnly, ...(sameSite === undefined ? {} : { sameSite }) };
}

function hasInvalidSameSite(raw: string): boolean {
  return raw
    .trim()
    .split(';')
    .some((part) => {
      const [key = '', value] = part.trim().split('=');
      if (key.trim().toLowerCase() !== 'samesite') return false;
      return value === undefined || value === '' || !['lax', 'strict', 'none'].includes(value.trim().toLowerCase());
    });
}

const COOKIE_ORDER = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];

function worse(next: string, current: string | undefined): string {
  if (current === undefined) return next;
  return COOKIE_ORDER.indexOf(next) > COOKIE_ORDER.indexOf(current) ? next : current;
}

export function cookiesTest(input: ObservatoryInput, hstsPasses: boolean): string {
  let result: string | undefined;
  for (const raw of input.auto?.response.setCookie ?? []) if (hasInvalidSameSite(raw)) result = worse('cookies-samesite-flag-invalid', result);
  // The Observatory's cookie jar keeps the last cookie of each name.
  const jar = new Map<string, ParsedCookie>();
  for (const raw of input.setCookies) {
    const cookie = parseSetCookie(raw);
    if (cookie !== undefined && cookie.name !== 'heroku-session-affinity') jar.set(cookie.name, cookie);
  }
  if (jar.size === 0) return 'cookies-not-found';
  let missingSameSite = false;
  for (const cookie of jar.values()) {
    const lower = cookie.name.toLowerCase();
    const session = lower.includes('login') || lower.includes('sess');
    if (!cookie.secure && cookie.sameSite === 'none') result = worse('cookies-samesite-flag-invalid', result);
    if (!cookie.secure) result = worse(hstsPasses ? 'cookies-without-secure-flag-but-protected-by-hsts' : 'cookies-without-secure-flag', result);
    if (lower.includes('csrf') && cookie.sameSite === undefined) result = worse('cookies-anticsrf-without-samesite-flag', result);
    if (session && !cookie.secure) result = worse(hstsPasses ? 'cookies-session-without-secure-flag-but-protected-by-hsts' : 'cookies-session-without-secure-flag', result);
    if (session && !cookie.httpOnly) result = worse('cookies-session-without-httponly-flag', result);
    if (cookie.sameSite === undefined) missingSameSite = true;
  }
  return result ?? (missingSameSite ? 'cookies-secure-with-httponly-sessions' : 'cookies-secure-with-httponly-sessions-and-samesite');
}

export function corsTest(input: ObservatoryInput): string {
  const cors = input.cors;
  const allowOrigin = cors?.response.headers['access-control-allow-origin'];
  if (cors === undefined || allowOrigin === undefined || allowOrigin === '') return 'cross-origin-resource-sharing-not-implemented';
  if (allowOrigin.slice(0, 256).trim().toLowerCase() === '*') return 'cross-origin-resource-sharing-implemented-with-public-access';
  const credentials = cors.response.headers['access-control-allow-credentials'];
  if (allowOrigin === cors.origin && credentials?.toLowerCase().trim() === 'true') return 'cross-origin-resource-sharing-implemented-with-universal-access';
  return 'cross-origin-resource-sharing-implemented-with-restricted-access';
}

export function redirectionTest(input: ObservatoryInput): string {
  const http = input.http;
  if (http === undefined) return 'redirection-not-needed-no-http';
  if (!http.verified) return 'redirection-invalid-cert';
  const route = http.route.map((url) => new URL(url));
  const first = route[0];
  const second = route[1];
  const last = route[route.length - 1];
  // No HSTS preload list is bundled: no host counts as preloaded (see the differences document).
  if (route.length <= 1 || first === undefined || second === undefined || last === undefined) return 'redirection-missing';
  if (last.protocol !== 'https:') return 'redirection-not-to-https';
  if (second.protocol === 'http:') return 'redirection-not-to-https-on-initial-redirection';
  if (first.protocol === 'http:' && second.protocol === 'https:' && first.hostname !== second.hostname) return 'redirection-off-host-from-http';
  return 'redirection-to-https';
}

export function referrerPolicyTest(input: ObservatoryInput): string {
  const response = input.auto?.response;
  if (response === undefined) return 'referrer-policy-not-implemented';
  const headerValue = response.headers['referrer-policy'];
  const values = [...(headerValue === undefined ? [] : [headerValue]), ...httpEquiv(response).referrer];
  if (values.length === 0) return 'referrer-policy-not-implemented';
  const good = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
  const bad = ['origin', 'origin-when-cross-origin', 'unsafe-url', 'no-referrer-when-downgrade'];
  const policy = values
    .join(', ')
    .split(',')
    .map((entry) => entry.toLowerCase().trim())
    .filter((entry) => good.includes(entry) || bad.includes(entry))
    .reverse()[0];
  if (policy !== undefined && good.includes(policy)) return 'referrer-policy-private';
  if (policy !== undefined && bad.includes(policy)) return 'referrer-policy-unsafe';
  return 'referrer-policy-header-invalid';
}

/** Registrable-ish domain: the last two labels (the Observatory uses the public suffix list). */
function siteOf(hostname: string): string {
  if (/^[\d.]+$/.test(hostname) || hostname.includes(':')) return hostname;
  return hostname.split('.').slice(-2).join('.');
}

const SRI_ORDER = [
  'sri-implemented-and-all-scripts-loaded-securely',
  'sri-implemented-and-external-scripts-loaded-securely',
  'sri-implemented-but-external-scripts-not-loaded-securely',
  'sri-not-implemented-but-external-scripts-loaded-securely',
  'sri-not-implemented-and-external-scripts-not-loaded-securely',
  'sri-not-implemented-response-not-html',
];

function worseSri(next: string, current: string | undefined): string {
  if (current === undefined) return next;
  return SRI_ORDER.indexOf(next) > SRI_ORDER.indexOf(current) ? next : current;
}

export function sriTest(input: ObservatoryInput): string {
  const auto = input.auto;
  if (auto === undefined) return 'sri-not-implemented-but-no-scripts-loaded';
  if (!HTML_TYPES.has(mime(auto.response))) return 'sri-not-implemented-response-not-html';
  const scripts = scanTags(auto.response.body, 'script');
  let result: string | undefined;
  let foreign = false;
  const pageIsHttps = auto.url.startsWith('https:');
  for (const script of scripts) {
    const src = script.attributes.get('src');
    if (src === undefined || src === '') continue;
    const integrity = script.attributes.get('integrity');
    const hasIntegrity = integrity !== undefined && integrity !== '';
    const relativeProtocol = /^\/\/[^/]/.test(src);
    const absolute = /^https?:\/\//.test(src);
    const relativeOrigin = !relativeProtocol && !absolute;
    let sameSite = relativeProtocol || relativeOrigin;
    if (absolute) {
      try {
        sameSite = siteOf(new URL(src).hostname) === siteOf(input.hostname);
      } catch {
        sameSite = false;
      }
    }
    const secureOrigin = relativeOrigin || (sameSite && !relativeProtocol);
    if (!secureOrigin) foreign = true;
    const secureScheme = (absolute && src.startsWith('https:')) || (relativeOrigin && pageIsHttps);
    if (!secureOrigin) {
      if (hasIntegrity && !secureScheme) result = worseSri('sri-implemented-but-external-scripts-not-loaded-securely', result);
      else if (!hasIntegrity && secureScheme) result = worseSri('sri-not-implemented-but-external-scripts-loaded-securely', result);
      else if (!hasIntegrity) result = worseSri('sri-not-implemented-and-external-scripts-not-loaded-securely', result);
    } else if (hasIntegrity && secureScheme && result === undefined) {
      result = 'sri-implemented-and-all-scripts-loaded-securely';
    }
  }
  if (scripts.length === 0) return 'sri-not-implemented-but-no-scripts-loaded';
  return result ?? (foreign ? 'sri-implemented-and-external-scripts-loaded-securely' : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin');
}

export function xContentTypeOptionsTest(input: ObservatoryInput): string {
  const value = input.auto?.response.headers['x-content-type-options'];
  if (value === undefined || value === '') return 'x-content-type-options-not-implemented';
  return value.slice(0, 256).trim().toLowerCase() === 'nosniff' ? 'x-content-type-options-nosniff' : 'x-content-type-options-header-invalid';
}

export function xFrameOptionsTest(input: ObservatoryInput, csp: CspAnalysis): string {
  if (input.auto === undefined) return 'x-frame-options-not-implemented';
  // frame-ancestors in the CSP wins, even over an invalid X-Frame-Options (as in x-frame-options.js).
  if (csp.policy?.has('frame-ancestors') === true) return 'x-frame-options-implemented-via-csp';
  const value = input.auto.response.headers['x-frame-options'];
  if (value === undefined || value === '') return 'x-frame-options-not-implemented';
  const xfo = value.slice(0, 1024).trim().toLowerCase();
  if (xfo === 'deny' || xfo === 'sameorigin') return 'x-frame-options-sameorigin-or-deny';
  if (xfo.startsWith('allow-from')) return 'x-frame-options-allow-from-origin';
  return 'x-frame-options-header-invalid';
}

export function corpTest(input: ObservatoryInput): string {
  const value = input.auto?.response.headers['cross-origin-resource-policy'];
  if (value === undefined || value === '') return 'corp-not-implemented';
  const corp = value.slice(0, 256).trim().toLowerCase();
  if (corp === 'same-site') return 'corp-implemented-with-same-site';
  if (corp === 'same-origin') return 'corp-implemented-with-same-origin';
  if (corp === 'cross-origin') return 'corp-implemented-with-cross-origin';
  return 'corp-header-invalid';
}

const PASSING: Readonly<Record<string, readonly string[]>> = {
  'content-security-policy': ['csp-implemented-with-no-unsafe', 'csp-implemented-with-no-unsafe-default-src-none', 'csp-implemented-with-unsafe-inline-in-style-src-only', 'csp-implemented-with-insecure-scheme-in-passive-content-only', 'csp-implemented-but-duplicate-directives'],
  cookies: ['cookies-not-found', 'cookies-secure-with-httponly-sessions-and-samesite', 'cookies-secure-with-httponly-sessions'],
  'cross-origin-resource-sharing': ['cross-origin-resource-sharing-implemented-with-public-access', 'cross-origin-resource-sharing-implemented-with-restricted-access', 'cross-origin-resource-sharing-not-implemented'],
  redirection: ['redirection-not-needed-no-http', 'redirection-all-redirects-preloaded', 'redirection-to-https'],
  'referrer-policy': ['referrer-policy-private', 'referrer-policy-not-implemented'],
  'strict-transport-security': ['hsts-implemented-max-age-at-least-six-months', 'hsts-preloaded'],
  'subresource-integrity': ['sri-implemented-and-all-scripts-loaded-securely', 'sri-implemented-and-external-scripts-loaded-securely', 'sri-not-implemented-response-not-html', 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin', 'sri-not-implemented-but-no-scripts-loaded'],
  'x-content-type-options': ['x-content-type-options-nosniff'],
  'x-frame-options': ['x-frame-options-allow-from-origin', 'x-frame-options-sameorigin-or-deny', 'x-frame-options-implemented-via-csp'],
  'cross-origin-resource-policy': ['corp-not-implemented', 'corp-implemented-with-same-site', 'corp-implemented-with-same-origin', 'corp-implemented-with-cross-origin'],
};

/**
 * Runs the ten Observatory tests and scores them: 100 plus every modifier, where positive modifiers
 * (extra credit) count only when the score without them is at least 90.
 *
 * @example
 * const { grade, score } = observatoryGrade(input); // e.g. { grade: 'B', score: 70 }
 */
export function observatoryGrade(input: ObservatoryInput): ObservatoryGrade {
  const csp = cspTest(input);
  const hsts = hstsTest(input);
  const hstsPasses = PASSING['strict-transport-security']?.includes(hsts) === true;
  const results: Array<[string, string]> = [
    ['content-security-policy', csp.result],
    ['cookies', cookiesTest(input, hstsPasses)],
    ['cross-origin-resource-sharing', corsTest(input)],
    ['redirection', redirectionTest(input)],
    ['referrer-policy', referrerPolicyTest(input)],
    ['strict-transport-security', hsts],
    ['subresource-integrity', sriTest(input)],
    ['x-content-type-options', xContentTypeOptionsTest(input)],
    ['x-frame-options', xFrameOptionsTest(input, csp)],
    ['cross-origin-resource-policy', corpTest(input)],
  ];
  const tests = results.map(([test, result]) => ({ test, result, modifier: SCORE_MODIFIERS[result] ?? 0, pass: PASSING[test]?.includes(result) === true }));
  const withExtra = 100 + tests.reduce((sum, test) => sum + test.modifier, 0);
  const uncurved = 100 + tests.reduce((sum, test) => sum + Math.min(0, test.modifier), 0);
  const score = Math.max(0, uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withExtra : uncurved);
  return { grade: gradeForScore(score), score, tests };
}
