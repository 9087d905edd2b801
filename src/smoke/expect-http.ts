// The expectations of an HTTP step (docs/smoke.md#expect): each one that does not hold becomes a FailedCheck
// that names what was checked, what was expected and what came. The cookie checks read what a browser would
// keep, so "the login answered 302 but the session cookie never sticks" fails at the login step.
import { SessionJar, toView, type CookieView, type SetCookieRecord } from './cookies.js';
import { elementAttr, elementText, jsonPath, ResponseView } from './extract.js';
import { send, type HttpResponse } from './http.js';
import { describeMatcher, matches, show, statusMatches } from './matchers.js';
import type { CookieExpect, CorsExpect, HttpExpect, Matcher } from './schema.js';
import type { FailedCheck } from './types.js';

export interface ExpectContext {
  readonly jar: SessionJar;
  readonly allowed: ReadonlySet<string>;
  readonly timeoutMs: number;
  readonly now: Date;
  /** JSON Schema validation of the body, compiled when the flow was loaded. */
  readonly validateSchema?: (value: unknown) => string[];
  readonly userAgent: string;
}

function check(failures: FailedCheck[], what: string, actual: unknown, matcher: Matcher): void {
  const result = matches(actual, matcher);
  if (!result.ok) failures.push({ what, expected: describeMatcher(matcher), actual: show(actual) });
}

function statusText(expected: NonNullable<HttpExpect['status']>): string {
  return Array.isArray(expected) ? expected.join(' or ') : typeof expected === 'object' ? describeMatcher(expected) : String(expected);
}

async function cookieChecks(failures: FailedCheck[], name: string, expected: CookieExpect, set: readonly SetCookieRecord[], response: HttpResponse, jar: SessionJar): Promise<void> {
  const last = [...set].reverse().find((record) => record.name === name);
  const shouldExist = expected.exists ?? true;
  if (last?.rejected !== undefined) {
    // The server set it, but the session cannot keep it: every later request goes without it.
    if (shouldExist) failures.push({ what: `cookie ${name}`, expected: 'kept by the session', actual: `set but refused: ${last.rejected}` });
    return;
  }
  let cookie: CookieView | undefined = last === undefined ? undefined : toView(last.cookie);
  // A cookie set by this response and deleted by it (Max-Age=0, a past Expires) is gone.
  if (cookie !== undefined && cookie.expires !== -1 && cookie.expires * 1000 <= Date.now()) cookie = undefined;
  cookie ??= last === undefined ? (await jar.cookiesFor(response.url)).find((candidate) => candidate.name === name) : undefined;
  if (!shouldExist) {
    if (cookie !== undefined) failures.push({ what: `cookie ${name}`, expected: 'absent', actual: 'present' });
    return;
  }
  if (cookie === undefined) {
    failures.push({ what: `cookie ${name}`, expected: 'set', actual: set.length === 0 ? 'no Set-Cookie in the response and none in the session' : `not set (the response set ${[...new Set(set.map((record) => record.name))].join(', ')})` });
    return;
  }
  cookieAttributeChecks(failures, name, expected, cookie);
}

/** Attribute checks on a cookie as the session (or the browser) holds it; shared with browser steps. */
export function cookieAttributeChecks(failures: FailedCheck[], name: string, expected: CookieExpect, cookie: CookieView): void {
  if (expected.value !== undefined) failures.push(...(matches(cookie.value, expected.value).ok ? [] : [{ what: `cookie ${name} value`, expected: describeMatcher(expected.value), actual: '(the value, not shown)' }]));
  if (expected.secure !== undefined && cookie.secure !== expected.secure) failures.push({ what: `cookie ${name}.secure`, expected: String(expected.secure), actual: String(cookie.secure) });
  if (expected.http_only !== undefined && cookie.httpOnly !== expected.http_only) failures.push({ what: `cookie ${name}.http_only`, expected: String(expected.http_only), actual: String(cookie.httpOnly) });
  if (expected.same_site !== undefined && (cookie.sameSite ?? '').toLowerCase() !== expected.same_site.toLowerCase()) failures.push({ what: `cookie ${name}.same_site`, expected: expected.same_site, actual: cookie.sameSite ?? '(not set: browsers default to Lax)' });
  if (expected.domain !== undefined) check(failures, `cookie ${name}.domain`, cookie.domain, expected.domain);
  if (expected.path !== undefined) check(failures, `cookie ${name}.path`, cookie.path, expected.path);
}

function headerList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
}

/**
 * A CORS preflight from `origin`, as a browser sends it before a credentialed cross-origin call: no cookies,
 * `Access-Control-Request-*` headers. What the browser then requires of the answer is checked item by item.
 */
async function corsChecks(failures: FailedCheck[], url: URL, method: string, cors: CorsExpect, context: ExpectContext): Promise<void> {
  const requested = (cors.method ?? method).toUpperCase();
  const headers: Record<string, string> = { origin: cors.origin, 'access-control-request-method': requested, 'user-agent': context.userAgent };
  if (cors.headers !== undefined && cors.headers.length > 0) headers['access-control-request-headers'] = cors.headers.join(', ').toLowerCase();
  // A preflight never carries the session: a fresh jar keeps the flow's cookies out of it.
  const result = await send({ method: 'OPTIONS', url, headers, followRedirects: false, timeoutMs: context.timeoutMs }, new SessionJar(), context.allowed);
  if (!result.ok) {
    failures.push({ what: 'cors preflight', expected: 'an answer', actual: `${result.error.code}: ${result.error.message}` });
    return;
  }
  const view = new ResponseView(result.value);
  const status = result.value.status;
  if (status < 200 || status > 299) failures.push({ what: 'cors preflight status', expected: '2xx', actual: String(status) });
  const allowOrigin = view.header('access-control-allow-origin');
  const credentials = cors.credentials ?? false;
  if (allowOrigin === undefined) failures.push({ what: 'cors access-control-allow-origin', expected: show(cors.origin), actual: '(absent)' });
  else if (allowOrigin !== cors.origin && !(allowOrigin === '*' && !credentials)) failures.push({ what: 'cors access-control-allow-origin', expected: credentials ? `${show(cors.origin)} (not "*": the request carries credentials)` : show(cors.origin), actual: show(allowOrigin) });
  if (credentials && view.header('access-control-allow-credentials') !== 'true') failures.push({ what: 'cors access-control-allow-credentials', expected: '"true"', actual: show(view.header('access-control-allow-credentials')) });
  const methods = headerList(view.header('access-control-allow-methods'));
  const simple = ['GET', 'HEAD', 'POST'].includes(requested);
  if (!simple && !methods.includes(requested.toLowerCase()) && !(methods.includes('*') && !credentials)) failures.push({ what: 'cors access-control-allow-methods', expected: `includes ${requested}`, actual: show(view.header('access-control-allow-methods')) });
  const allowedHeaders = headerList(view.header('access-control-allow-headers'));
  for (const header of cors.headers ?? []) {
    const lower = header.toLowerCase();
    if (!allowedHeaders.includes(lower) && !(allowedHeaders.includes('*') && !credentials)) failures.push({ what: 'cors access-control-allow-headers', expected: `includes ${lower}`, actual: show(view.header('access-control-allow-headers')) });
  }
}

/**
 * Every expectation of `expect` against one response; an empty list means the step passed.
 *
 * @example await checkHttp(response, { status: 302, headers: { location: '/dashboard' } }, 'POST', context) // []
 */
export async function checkHttp(response: HttpResponse, expect: HttpExpect, method: string, context: ExpectContext): Promise<FailedCheck[]> {
  const failures: FailedCheck[] = [];
  const view = new ResponseView(response);
  if (expect.status !== undefined && !statusMatches(response.status, expect.status)) failures.push({ what: 'status', expected: statusText(expect.status), actual: String(response.status) });
  if (expect.url !== undefined) check(failures, 'url', response.url.href, expect.url);
  for (const [name, matcher] of Object.entries(expect.headers ?? {})) check(failures, `header ${name.toLowerCase()}`, view.header(name), matcher);
  for (const [name, expected] of Object.entries(expect.cookies ?? {})) await cookieChecks(failures, name, expected, response.setCookies, response, context.jar);
  const jsonChecks = Object.entries(expect.json ?? {});
  if (jsonChecks.length > 0 || expect.schema !== undefined) {
    const body = view.jsonBody();
    if (!body.ok) failures.push({ what: 'json', expected: 'a JSON body', actual: `${view.header('content-type') ?? 'no content-type'}, ${response.body.length} characters that do not parse as JSON` });
    else {
      for (const [path, matcher] of jsonChecks) {
        const found = jsonPath(body.value, path);
        check(failures, `json ${path}`, found.length <= 1 ? found[0] : found, matcher);
      }
      for (const problem of context.validateSchema?.(body.value) ?? []) failures.push({ what: 'schema', expected: 'the body matches the JSON Schema', actual: problem });
    }
  }
  for (const [selector, expected] of Object.entries(expect.css ?? {})) {
    const elements = view.select(selector);
    if ((expected.exists ?? true) !== elements.length > 0) failures.push({ what: `css ${selector}`, expected: expected.exists === false ? 'no match' : 'at least one match', actual: `${elements.length} match(es)` });
    if (expected.count !== undefined) check(failures, `css ${selector} count`, elements.length, expected.count);
    const first = elements[0];
    if (first !== undefined && expected.text !== undefined) check(failures, `css ${selector} text`, elementText(first), expected.text);
    for (const [attr, matcher] of Object.entries(expected.attr ?? {})) check(failures, `css ${selector} @${attr}`, first === undefined ? undefined : elementAttr(first, attr), matcher);
  }
  if (expect.body !== undefined) {
    const toList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
    for (const needle of toList(expect.body.contains)) if (!response.body.includes(needle)) failures.push({ what: 'body contains', expected: show(needle), actual: 'not found in the body' });
    for (const needle of toList(expect.body.not_contains)) if (response.body.includes(needle)) failures.push({ what: 'body not_contains', expected: `no ${show(needle)}`, actual: `found at character ${response.body.indexOf(needle)}` });
    if (expect.body.matches !== undefined) check(failures, 'body', response.body, { matches: expect.body.matches });
  }
  for (const [phase, matcher] of Object.entries(expect.timing ?? {})) {
    if (matcher === undefined) continue;
    const key = phase === 'total' || phase === 'dns' || phase === 'tcp' || phase === 'tls' || phase === 'ttfb' ? phase : 'total';
    check(failures, `timing ${phase} (ms)`, response.timing[key], matcher);
  }
  if (expect.tls?.days_left !== undefined) {
    const daysLeft = response.tls === undefined ? undefined : Math.floor((response.tls.validTo.getTime() - context.now.getTime()) / 86_400_000);
    check(failures, 'tls days_left', daysLeft, expect.tls.days_left);
  }
  if (expect.cors !== undefined) await corsChecks(failures, response.url, method, expect.cors, context);
  return failures;
}
