import { describe, expect, it } from 'vitest';
import type { Hop } from '../context.js';
import { IssueSink } from '../rules.js';
import type { ProbeResponse } from '../transport.js';
import { CORS_PROBE_ORIGIN, runHeaderChecks, type HeaderInput } from './headers.js';

function response(status: number, headers: Record<string, string>, setCookie: string[] = []): ProbeResponse {
  return { status, headers: { 'content-type': 'text/html', ...headers }, setCookie, body: '<html></html>', wireBytes: 13, truncated: false };
}

function hop(url: string, status: number, headers: Record<string, string> = {}): Hop {
  return { url, exchange: { request: { method: 'GET', url, kind: 'page' }, response: response(status, headers), startedAt: '', durationMs: 1 } };
}

const GOOD_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=()',
};

const PAGE = 'https://app.example.com/';

function input(headers: Record<string, string>, extra: Partial<HeaderInput> = {}): HeaderInput {
  const page = { url: PAGE, response: response(200, headers) };
  return {
    page,
    https: page,
    httpHops: [hop('http://app.example.com/', 301, { location: PAGE }), hop(PAGE, 200)],
    setCookies: [],
    ...extra,
  };
}

function run(value: HeaderInput): Array<[string, string, string]> {
  const sink = new IssueSink();
  runHeaderChecks(value, sink);
  return sink.issues.map((issue) => [issue.ruleId, issue.messageId, issue.url]);
}

describe('header checks', () => {
  it('ok.hardened: a well-configured page has no finding', () => {
    expect(run(input(GOOD_HEADERS))).toEqual([]);
  });

  it.each<[string, HeaderInput, [string, string, string]]>([
    ['ng.no-redirect', input(GOOD_HEADERS, { httpHops: [hop('http://app.example.com/', 200)] }), ['security/https-redirect', 'noRedirect', 'http://app.example.com/']],
    ['ng.redirect-off-host', input(GOOD_HEADERS, { httpHops: [hop('http://app.example.com/', 301, { location: 'https://www.example.com/' })] }), ['security/https-redirect', 'offHost', 'http://app.example.com/']],
    ['ng.redirect-to-http', input(GOOD_HEADERS, { httpHops: [hop('http://app.example.com/', 301, { location: 'http://www.example.com/' })] }), ['security/https-redirect', 'notHttps', 'http://app.example.com/']],
    ['ng.hsts-missing', input({ ...GOOD_HEADERS, 'strict-transport-security': '' }), ['security/hsts', 'invalid', PAGE]],
    ['ng.hsts-short', input({ ...GOOD_HEADERS, 'strict-transport-security': 'max-age=600' }), ['security/hsts', 'short', PAGE]],
    ['ng.csp-unsafe-inline', input({ ...GOOD_HEADERS, 'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'; frame-ancestors 'self'" }), ['security/content-security-policy', 'unsafeInline', PAGE]],
    ['ng.xfo-invalid', input({ ...GOOD_HEADERS, 'content-security-policy': "default-src 'self'", 'x-frame-options': 'ALLOWALL' }), ['security/clickjacking', 'invalid', PAGE]],
    ['ng.nosniff-invalid', input({ ...GOOD_HEADERS, 'x-content-type-options': 'sniff' }), ['security/header-hygiene', 'invalidNosniff', PAGE]],
    ['ng.referrer-unsafe', input({ ...GOOD_HEADERS, 'referrer-policy': 'unsafe-url' }), ['security/header-hygiene', 'unsafeReferrer', PAGE]],
    ['ng.version', input({ ...GOOD_HEADERS, server: 'nginx/1.18.0' }), ['security/version-disclosure', 'header', PAGE]],
  ])('%s', (_name, value, expected) => {
    expect(run(value)).toEqual([expected]);
  });

  it('ng.csp-missing and ng.framing: no CSP means two findings', () => {
    const { 'content-security-policy': _csp, ...rest } = GOOD_HEADERS;
    expect(run(input(rest))).toEqual([
      ['security/content-security-policy', 'missing', PAGE],
      ['security/clickjacking', 'missing', PAGE],
    ]);
  });

  it('reports missing hygiene headers at info only', () => {
    const sink = new IssueSink();
    runHeaderChecks(input({ 'strict-transport-security': GOOD_HEADERS['strict-transport-security'], 'content-security-policy': GOOD_HEADERS['content-security-policy'] }), sink);
    expect(sink.issues.map((issue) => [issue.ruleId, issue.severity])).toEqual([['security/header-hygiene', 'info']]);
  });

  it('ng.session-cookie: flags and SameSite, never the cookie value', () => {
    const sink = new IssueSink();
    runHeaderChecks(input(GOOD_HEADERS, { setCookies: ['sessionid=s3cr3tvalue; Path=/', 'theme=dark; Path=/'] }), sink);
    expect(sink.issues.map((issue) => [issue.ruleId, issue.messageId, issue.key])).toEqual([
      ['security/cookie-flags', 'missingFlags', 'sessionid:flags'],
      ['security/cookie-flags', 'noSameSite', 'sessionid:samesite'],
    ]);
    expect(JSON.stringify(sink.issues)).not.toContain('s3cr3tvalue');
  });

  it('ok.session-cookie: Secure; HttpOnly; SameSite=Lax', () => {
    expect(run(input(GOOD_HEADERS, { setCookies: ['sid=abc; Secure; HttpOnly; SameSite=Lax'] }))).toEqual([]);
  });

  it('ng.cors-reflection: an echoed origin with credentials is critical-by-default', () => {
    const cors = { url: PAGE, response: response(200, { 'access-control-allow-origin': CORS_PROBE_ORIGIN, 'access-control-allow-credentials': 'true' }) };
    const sink = new IssueSink();
    runHeaderChecks(input(GOOD_HEADERS, { cors }), sink);
    expect(sink.issues.map((issue) => [issue.ruleId, issue.messageId, issue.severity])).toEqual([['security/cors-reflection', 'reflectedWithCredentials', undefined]]);
  });

  it('ok.cors-public: Access-Control-Allow-Origin: * is not reflection', () => {
    const cors = { url: PAGE, response: response(200, { 'access-control-allow-origin': '*' }) };
    expect(run(input(GOOD_HEADERS, { cors }))).toEqual([]);
  });

  it('ng.plain-http-only: an http:// site without HTTPS', () => {
    const page = { url: 'http://app.example.com/', response: response(200, GOOD_HEADERS) };
    expect(run({ page, httpHops: [hop('http://app.example.com/', 200)], setCookies: [] })).toEqual([['security/https-redirect', 'noHttps', 'http://app.example.com/']]);
  });
});
