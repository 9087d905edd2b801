import { describe, expect, it } from 'vitest';
import { IssueSink } from '../rules.js';
import type { Exchange } from '../transport.js';
import { findStackSignature } from './errors.js';
import { classifyServer, looksLikeBaseline } from './exposure.js';
import { scanForLocalUrls, sameOriginScripts } from './frontend.js';
import { isHealthLike } from './operations.js';

function exchange(path: string, status: number, body: string, headers: Record<string, string> = {}): { path: string; exchange: Exchange } {
  return { path, exchange: { request: { method: 'GET', url: `https://a.example${path}`, kind: 'path' }, response: { status, headers, setCookie: [], body, wireBytes: body.length, truncated: false }, startedAt: '', durationMs: 1 } };
}

describe('classifyServer', () => {
  it.each<[string, Array<{ path: string; exchange: Exchange }>]>([
    ['hard-404', [exchange('/x1', 404, 'nf'), exchange('/.x1', 404, 'nf')]],
    ['soft-404', [exchange('/x1', 200, '<html>app</html>'), exchange('/.x1', 200, '<html>app</html>')]],
    ['path-reflecting', [exchange('/x1', 200, 'no page /x1'), exchange('/.x1', 200, 'no page /.x1')]],
    ['catch-all-redirect', [exchange('/x1', 302, '', { location: '/login' }), exchange('/.x1', 302, '', { location: '/login' })]],
    ['blocked', [exchange('/x1', 403, 'denied'), exchange('/.x1', 401, 'auth')]],
    ['throttled', [exchange('/x1', 429, ''), exchange('/.x1', 503, '')]],
    ['mixed', [exchange('/x1', 404, ''), exchange('/.x1', 200, 'x')]],
  ])('%s', (expected, baselines) => {
    expect(classifyServer(baselines)).toBe(expected);
  });
});

describe('looksLikeBaseline', () => {
  const baseline = exchange('/shipready-abc', 200, '<html><body>Sorry, /shipready-abc was not found (request 123)</body></html>');
  it('matches a reflecting catch-all page for another path', () => {
    const candidate = exchange('/.env', 200, '<html><body>Sorry, /.env was not found (request 987)</body></html>');
    expect(looksLikeBaseline(candidate.exchange.response ?? baselineMissing(), '/.env', baseline)).toBe(true);
  });
  it('does not match a real file', () => {
    const candidate = exchange('/.env', 200, 'DATABASE_URL=postgres://x\nSECRET=1\n');
    expect(looksLikeBaseline(candidate.exchange.response ?? baselineMissing(), '/.env', baseline)).toBe(false);
  });
});

function baselineMissing(): never {
  throw new Error('test exchange has no response');
}

describe('frontend scan', () => {
  const run = (text: string, origin = 'https://app.example.com'): Array<[string, string | undefined]> => {
    const sink = new IssueSink();
    scanForLocalUrls(`${origin}/assets/a.js`, text, origin, sink);
    return sink.issues.map((issue) => [issue.messageId, issue.severity]);
  };
  it('ok.relative-api: a relative API base is fine', () => {
    expect(run('const api = "/api"; fetch(api + "/me")')).toEqual([]);
  });
  it('ok.own-origin: the target itself is not "localhost"', () => {
    expect(run('fetch("http://localhost:8080/api")', 'http://localhost:8080')).toEqual([]);
  });
  it('ng.websocket-private-ip: a WebSocket to 10.0.0.5 is high', () => {
    expect(run('const ws = new WebSocket("ws://10.0.0.5:4000/socket")')).toEqual([['apiBase', 'high']]);
  });
  it('ng.mdns-name: a .local name far from network code is low', () => {
    expect(run(`// printer at http://printer.local/\n${'x'.repeat(500)}`)).toEqual([['mention', 'low']]);
  });
  it('lists same-origin scripts only, at most five', () => {
    const html = ['<script src="https://cdn.example.net/x.js"></script>', ...Array.from({ length: 7 }, (_, index) => `<script src="/s${index}.js"></script>`)].join('');
    expect(sameOriginScripts(html, 'https://app.example.com/')).toEqual(['/s0.js', '/s1.js', '/s2.js', '/s3.js', '/s4.js'].map((path) => `https://app.example.com${path}`));
  });
});

describe('stack signatures and health bodies', () => {
  it.each([
    ['    at Object.parse (/app/node_modules/body-parser/lib/types/json.js:89:19)', 'Node.js stack trace'],
    ['Traceback (most recent call last):\n  File "app.py", line 3', 'Python traceback'],
    ["You're seeing this error because you have <code>DEBUG = True</code>", 'Django debug page'],
    ['goroutine 1 [running]:\nmain.main()', 'Go panic'],
  ])('%s', (body, what) => {
    expect(findStackSignature(body)?.what).toBe(what);
  });
  it('ignores ordinary error pages', () => {
    expect(findStackSignature('<h1>Something went wrong</h1><p>Error 500 at 12:30</p>')).toBeUndefined();
  });
  it('recognises health bodies', () => {
    const body = (text: string, type = 'text/plain'): Parameters<typeof isHealthLike>[0] => ({ status: 200, headers: { 'content-type': type }, setCookie: [], body: text, wireBytes: text.length, truncated: false });
    expect(isHealthLike(body('ok'))).toBe(true);
    expect(isHealthLike(body('{"status":"UP","checks":[]}', 'application/json'))).toBe(true);
    expect(isHealthLike(body('<!doctype html><div id="root"></div>', 'text/html'))).toBe(false);
  });
});
