import { describe, expect, it } from 'vitest';
import { cspTest, gradeForScore, observatoryGrade, parseCsp, type ObservatoryInput } from './observatory.js';
import type { ProbeResponse } from './transport.js';

function response(headers: Record<string, string>, body = '<html></html>', setCookie: string[] = []): ProbeResponse {
  return { status: 200, headers: { 'content-type': 'text/html', ...headers }, setCookie, body, wireBytes: body.length, truncated: false };
}

const BEST = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'; form-action 'none'",
  'strict-transport-security': 'max-age=63072000',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

function httpsSite(headers: Record<string, string>, extra: Partial<ObservatoryInput> = {}): ObservatoryInput {
  const page = response(headers, extra.auto?.response.body, extra.setCookies === undefined ? [] : [...extra.setCookies]);
  return {
    hostname: 'app.example.com',
    auto: { url: 'https://app.example.com/', response: page },
    https: { response: page, verified: true },
    http: { route: ['http://app.example.com/', 'https://app.example.com/'], verified: true },
    setCookies: [],
    ...extra,
  };
}

describe('gradeForScore (GRADE_CHART)', () => {
  it.each([
    [135, 'A+'], [100, 'A+'], [99, 'A'], [90, 'A'], [89, 'A-'], [85, 'A-'], [80, 'B+'], [79, 'B'], [70, 'B'], [65, 'B-'],
    [60, 'C+'], [55, 'C'], [50, 'C'], [45, 'C-'], [40, 'D+'], [30, 'D'], [25, 'D-'], [24, 'F'], [0, 'F'], [-40, 'F'],
  ])('%i → %s', (score, grade) => {
    expect(gradeForScore(score)).toBe(grade);
  });
});

describe('observatoryGrade', () => {
  it('gives extra credit on a site that is already at 90 or more', () => {
    const result = observatoryGrade(httpsSite(BEST));
    // csp default-src none +10, referrer +5, xfo via csp +5, corp +10 → 130.
    expect(result.score).toBe(130);
    expect(result.grade).toBe('A+');
  });

  it('drops extra credit when penalties take the score under 90', () => {
    const result = observatoryGrade(httpsSite({ ...BEST, 'strict-transport-security': 'max-age=300' }));
    // -10 for the short HSTS → 90: extra credit still applies (>= 90).
    expect(result.score).toBe(120);
    const worse = observatoryGrade(httpsSite({ ...BEST, 'strict-transport-security': 'max-age=300', 'x-content-type-options': 'yes' }));
    expect(worse.score).toBe(85);
    expect(worse.grade).toBe('A-');
  });

  it('grades a bare site D- on HTTPS with a redirect', () => {
    const result = observatoryGrade(httpsSite({}));
    // csp -25, hsts -20, xcto -5, xfo -20.
    expect(result.score).toBe(30);
    expect(result.grade).toBe('D');
  });

  it('penalises reflected CORS with credentials by 50', () => {
    const cors = { response: response({ 'access-control-allow-origin': 'https://evil.invalid', 'access-control-allow-credentials': 'true' }), origin: 'https://evil.invalid' };
    const result = observatoryGrade(httpsSite(BEST, { cors }));
    expect(result.tests.find((test) => test.test === 'cross-origin-resource-sharing')?.result).toBe('cross-origin-resource-sharing-implemented-with-universal-access');
    expect(result.score).toBe(50);
  });

  it('scores session cookies without Secure or HttpOnly', () => {
    const result = observatoryGrade(httpsSite(BEST, { setCookies: ['sessionid=abc; Path=/'] }));
    expect(result.tests.find((test) => test.test === 'cookies')?.result).toBe('cookies-session-without-httponly-flag');
  });

  it('treats a plain-HTTP-only site as missing redirection and HSTS', () => {
    const page = response({});
    const result = observatoryGrade({ hostname: '127.0.0.1', auto: { url: 'http://127.0.0.1/', response: page }, http: { route: ['http://127.0.0.1/'], verified: true }, setCookies: [] });
    expect(result.tests.find((test) => test.test === 'redirection')?.result).toBe('redirection-missing');
    expect(result.tests.find((test) => test.test === 'strict-transport-security')?.result).toBe('hsts-not-implemented-no-https');
  });
});

describe('CSP (cspParser.js, csp.js)', () => {
  const csp = (policy: string, body?: string): string => cspTest(httpsSite({ 'content-security-policy': policy }, body === undefined ? {} : { auto: { url: 'https://app.example.com/', response: response({ 'content-security-policy': policy }, body) } })).result;

  it.each([
    ["default-src 'self'", 'csp-implemented-with-no-unsafe'],
    ["default-src 'none'", 'csp-implemented-with-no-unsafe-default-src-none'],
    ["default-src 'self'; script-src 'self' 'unsafe-inline'", 'csp-implemented-with-unsafe-inline'],
    ["default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'", 'csp-implemented-with-no-unsafe'],
    ["default-src 'self'; script-src 'self' 'unsafe-eval'", 'csp-implemented-with-unsafe-eval'],
    ["default-src 'self'; style-src 'self' 'unsafe-inline'", 'csp-implemented-with-unsafe-inline-in-style-src-only'],
    ["default-src 'self'; img-src http:", 'csp-implemented-with-insecure-scheme-in-passive-content-only'],
    ["default-src 'self' http://cdn.example.com", 'csp-implemented-with-insecure-scheme'],
    ["default-src 'self'; script-src 'strict-dynamic'", 'csp-header-invalid'],
    ["default-src 'self'; default-src 'none'", 'csp-header-invalid'],
    ['upgrade-insecure-requests', 'csp-implemented-with-unsafe-inline'],
  ])('%s → %s', (policy, expected) => {
    expect(csp(policy)).toBe(expected);
  });

  it('reads a <meta http-equiv> policy', () => {
    const result = cspTest({ hostname: 'a.example', auto: { url: 'https://a.example/', response: response({}, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`) }, setCookies: [] });
    expect(result.result).toBe('csp-implemented-with-no-unsafe-default-src-none');
  });

  it('keeps the intersection semantics of several policies', () => {
    const policy = parseCsp(["default-src 'self' https://a.example", "default-src 'self'"]);
    expect([...(policy.get('default-src') ?? [])]).toEqual(["'self'"]);
  });
});
