import { afterEach, describe, expect, it } from 'vitest';
import { send, spaHandler, startServer, type Handler, type TestServer } from '../../test/probe/servers.js';
import type { Report } from '../core/report.js';
import { parseCapture, serialiseCapture } from './capture.js';
import { runProbe, type ProbeOptions } from './index.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const FAST: ProbeOptions = { version: '0.0.0-test', ratePerSecond: Number.POSITIVE_INFINITY, timeoutMs: 3000, now: new Date('2026-01-01T00:00:00Z') };

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

async function probeOk(url: string, options: Partial<ProbeOptions> = {}): Promise<{ report: Report; server?: TestServer }> {
  const run = await runProbe([url], { ...FAST, ...options });
  if (!run.ok) throw new Error(run.error.message);
  return { report: run.value.report };
}

function ids(report: Report, prefix = ''): string[] {
  return [...new Set(report.findings.map((finding) => finding.ruleId).filter((id) => id.startsWith(prefix)))].sort();
}

function findingsOf(report: Report, ruleId: string): Array<{ url: string; severity: string; messageId: string }> {
  return report.findings
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => ({ url: finding.location?.kind === 'url' ? finding.location.url : '', severity: finding.severity, messageId: finding.messageId }));
}

const EXPOSURE_IDS = ['security/directory-listing', 'security/exposed-backups', 'security/exposed-config-files', 'security/exposed-debug-endpoints', 'security/exposed-env-file', 'security/exposed-source-maps', 'security/exposed-vcs'];

describe('probe: soft-404 calibration', () => {
  it('ok.spa-catch-all: an SPA answering 200 everywhere yields no exposure finding', async () => {
    const server = await serve(spaHandler);
    const { report } = await probeOk(server.url);
    expect(ids(report).filter((id) => EXPOSURE_IDS.includes(id))).toEqual([]);
    expect(report.sections[1]?.lines[0]).toContain('server class soft-404');
    expect(server.seen).toContain('GET /.env');
  });

  it('ok.path-reflecting: a catch-all that echoes the path yields no exposure finding', async () => {
    const server = await serve((req, res) => send(res, 200, `<html><body>No page at ${req.url ?? ''}. ref: refs/heads/main? [core]</body></html>`));
    const { report } = await probeOk(server.url);
    expect(ids(report).filter((id) => EXPOSURE_IDS.includes(id))).toEqual([]);
    expect(report.sections[1]?.lines[0]).toContain('path-reflecting');
  });

  it('ok.hard-404: a server answering 404 to unknown paths yields no exposure finding', async () => {
    const server = await serve((req, res) => (req.url === '/' ? send(res, 200, '<html>home</html>') : send(res, 404, 'Not Found', { 'content-type': 'text/plain' })));
    const { report } = await probeOk(server.url);
    expect(ids(report).filter((id) => EXPOSURE_IDS.includes(id))).toEqual([]);
    expect(report.sections[1]?.lines[0]).toContain('hard-404');
  });

  it('ng.exposed-files: .env, .git/HEAD and a source map with sourcesContent holding a secret', async () => {
    const key = 'sk_live_51Hq8Zr2Kx9mWp4Tn7Vb3Lc6Yd';
    const server = await serve((req, res) => {
      switch (req.url) {
        case '/':
          send(res, 200, '<html><script src="/assets/app-3f9a1c2b.js"></script></html>');
          return;
        case '/assets/app-3f9a1c2b.js':
          send(res, 200, 'console.log(1);\n//# sourceMappingURL=app-3f9a1c2b.js.map', { 'content-type': 'application/javascript' });
          return;
        case '/assets/app-3f9a1c2b.js.map':
          send(res, 200, JSON.stringify({ version: 3, sources: ['src/pay.ts'], sourcesContent: [`const stripe = "${key}";`], mappings: 'AAAA' }), { 'content-type': 'application/json' });
          return;
        case '/.env':
          send(res, 200, `NODE_ENV=production\nSTRIPE_KEY=${key}\nDATABASE_URL=postgres://app:Xy7pQ2rT9vLm@db.internal/app\n`, { 'content-type': 'text/plain' });
          return;
        case '/.git/HEAD':
          send(res, 200, 'ref: refs/heads/main\n', { 'content-type': 'text/plain' });
          return;
        default:
          send(res, 404, 'Not Found', { 'content-type': 'text/plain' });
      }
    });
    const { report } = await probeOk(server.url);
    expect(findingsOf(report, 'security/exposed-env-file')).toEqual([{ url: `${server.url}.env`, severity: 'critical', messageId: 'exposed' }]);
    expect(findingsOf(report, 'security/exposed-vcs')).toEqual([{ url: `${server.url}.git/HEAD`, severity: 'high', messageId: 'exposed' }]);
    expect(findingsOf(report, 'security/exposed-source-maps')).toEqual([{ url: `${server.url}assets/app-3f9a1c2b.js.map`, severity: 'high', messageId: 'exposed' }]);
    // The secret itself never reaches the report.
    expect(JSON.stringify(report)).not.toContain(key);
    expect(JSON.stringify(report)).not.toContain('Xy7pQ2rT9vLm');
  });

  it('ng.source-map-without-secrets: sourcesContent alone is medium, a bare map low', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/') send(res, 200, '<html><script src="/a-11aa22bb.js"></script><script src="/b-33cc44dd.js"></script></html>');
      else if (req.url?.endsWith('.js') === true) send(res, 200, 'x()', { 'content-type': 'application/javascript' });
      else if (req.url === '/a-11aa22bb.js.map') send(res, 200, '{"version":3,"sourcesContent":["let a = 1"],"mappings":"AAAA"}', { 'content-type': 'application/json' });
      else if (req.url === '/b-33cc44dd.js.map') send(res, 200, '{"version":3,"sources":["b.ts"],"mappings":"AAAA"}', { 'content-type': 'application/json' });
      else send(res, 404, 'nope', { 'content-type': 'text/plain' });
    });
    const { report } = await probeOk(server.url);
    expect(findingsOf(report, 'security/exposed-source-maps').map((finding) => [finding.url.replace(server.url, '/'), finding.severity])).toEqual([
      ['/a-11aa22bb.js.map', 'medium'],
      ['/b-33cc44dd.js.map', 'low'],
    ]);
  });
});

describe('probe: bounded traffic', () => {
  it('ng.everything-429: stops path probes after repeated 429s and stays far under the cap', async () => {
    const server = await serve((_req, res) => send(res, 429, 'slow down', { 'retry-after': '0' }));
    const run = await runProbe([server.url], { ...FAST });
    expect(run.ok).toBe(true);
    // Home, redirect probe, CORS, calibration and a few more, then path probes stop.
    expect(server.seen.length).toBeLessThan(20);
    if (run.ok) expect(run.value.report.notes.map((note) => note.message).join('\n')).toMatch(/429\/503/);
  });

  it('respects --max-requests', async () => {
    const server = await serve(spaHandler);
    await runProbe([server.url], { ...FAST, maxRequests: 7 });
    expect(server.seen.length).toBeLessThanOrEqual(7);
  });

  it('never contacts a host a redirect points to', async () => {
    const elsewhere = await serve((_req, res) => send(res, 200, 'should not be reached'));
    const server = await serve((_req, res) => send(res, 302, '', { location: `http://localhost:${elsewhere.port}/` }));
    await runProbe([server.url], { ...FAST });
    expect(elsewhere.seen).toEqual([]);
  });
});

describe('probe: frontend, errors, health', () => {
  it('ng.localhost-api-base: a bundle calling http://localhost:3000 is high', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/') send(res, 200, '<html><script src="/assets/index-9f8e7d6c.js"></script></html>');
      else if (req.url === '/assets/index-9f8e7d6c.js') send(res, 200, 'const docs="see http://192.168.1.20/wiki";\n'.repeat(1) + 'x'.repeat(400) + '\nconst API_URL = "http://localhost:3000";\nfetch(API_URL + "/login");', { 'content-type': 'application/javascript' });
      else send(res, 404, 'nf', { 'content-type': 'text/plain' });
    });
    const { report } = await probeOk(server.url);
    const found = findingsOf(report, 'operations/frontend-localhost-default');
    expect(found).toEqual([
      { url: `${server.url}assets/index-9f8e7d6c.js`, severity: 'high', messageId: 'apiBase' },
      { url: `${server.url}assets/index-9f8e7d6c.js`, severity: 'low', messageId: 'mention' },
    ]);
    expect(report.findings.find((finding) => finding.messageId === 'apiBase')?.evidence.detail).toMatch(/^at 3:/);
  });

  it('ng.vite-dev-server: /@vite/client in the page is a dev server in production', async () => {
    const server = await serve((req, res) => (req.url === '/' ? send(res, 200, '<html><script type="module" src="/@vite/client"></script></html>') : send(res, 404, 'nf', { 'content-type': 'text/plain' })));
    const { report } = await probeOk(server.url);
    expect(findingsOf(report, 'operations/frontend-localhost-default').map((finding) => finding.messageId)).toContain('devServer');
  });

  it('ng.stack-trace: an Express-like app that leaks stacks on bad JSON', async () => {
    const server = await serve((req, res, body) => {
      if (req.method === 'POST' && req.headers['content-type'] === 'application/json') {
        try {
          JSON.parse(body);
          send(res, 404, '{}', { 'content-type': 'application/json' });
        } catch (cause) {
          const stack = cause instanceof Error ? (cause.stack ?? '') : '';
          send(res, 400, `<pre>${stack}\n    at parse (/app/node_modules/body-parser/lib/types/json.js:89:19)</pre>`);
        }
        return;
      }
      send(res, req.url === '/' ? 200 : 404, '<html>ok</html>');
    });
    const { report } = await probeOk(server.url);
    expect(findingsOf(report, 'security/error-stack-leak').map((finding) => finding.url.replace(/[0-9a-f]{12}/, 'X'))).toEqual([`${server.url}api/<random>`]);
  });

  it('ok.health-endpoint / ng.no-health-endpoint', async () => {
    const healthy = await serve((req, res) => (req.url === '/healthz' ? send(res, 200, '{"status":"ok"}', { 'content-type': 'application/json' }) : spaHandler(req, res, '')));
    expect(findingsOf((await probeOk(healthy.url)).report, 'reliability/health-endpoint')).toEqual([]);
    const spa = await serve(spaHandler);
    expect(findingsOf((await probeOk(spa.url)).report, 'reliability/health-endpoint')).toEqual([{ url: `${spa.url}healthz`, severity: 'medium', messageId: 'notFound' }]);
  });

  it('login rate limit: pass when throttled, inconclusive when not', async () => {
    let attempts = 0;
    const limited = await serve((req, res) => {
      if (req.url === '/login') {
        attempts += 1;
        send(res, attempts > 3 ? 429 : 401, '{}', { 'content-type': 'application/json' });
      } else spaHandler(req, res, '');
    });
    expect(findingsOf((await probeOk(limited.url, { loginPath: '/login' })).report, 'security/auth-rate-limit')).toEqual([]);
    const open = await serve((req, res) => (req.url === '/login' ? send(res, 401, '{}') : spaHandler(req, res, '')));
    const { report } = await probeOk(open.url, { loginPath: '/login', loginAttempts: 4 });
    expect(report.findings.filter((finding) => finding.ruleId === 'security/auth-rate-limit').map((finding) => finding.inconclusive)).toEqual([true]);
    expect(open.seen.filter((line) => line === 'POST /login')).toHaveLength(4);
  });
});

describe('probe: capture and report', () => {
  it('replays a saved capture offline to the same findings', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/.env') send(res, 200, 'A_KEY=1\nB_KEY=2\n', { 'content-type': 'text/plain' });
      else spaHandler(req, res, '');
    });
    const live = await runProbe([server.url], { ...FAST });
    if (!live.ok) throw new Error(live.error.message);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const parsed = parseCapture(serialiseCapture(live.value.capture), 'capture.json');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const replayed = await runProbe([], { version: '0.0.0-test', fromCapture: parsed.value });
    if (!replayed.ok) throw new Error(replayed.error.message);
    expect(replayed.value.report.findings.map((finding) => finding.fingerprint)).toEqual(live.value.report.findings.map((finding) => finding.fingerprint));
    expect(replayed.value.report.sections[0]).toEqual(live.value.report.sections[0]);
    expect(ids(replayed.value.report)).toContain('security/exposed-env-file');
  });

  it('writes no secret into a capture (exposed files, source maps, cookies), and its replay grades them as the live run did', async () => {
    const key = `sk_live_${'51Hq8Zr2Kx9mWp4Tn7Vb3Lc6Yd'}`;
    const password = 'Xy7p#Q2r$T9vLm';
    const session = 'e9Jk2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd';
    const server = await serve((req, res) => {
      switch (req.url) {
        case '/':
          send(res, 200, '<html><script src="/assets/app-3f9a1c2b.js"></script></html>', { 'set-cookie': `sid=${session}; Path=/` });
          return;
        case '/assets/app-3f9a1c2b.js':
          send(res, 200, 'console.log(1);\n//# sourceMappingURL=app-3f9a1c2b.js.map', { 'content-type': 'application/javascript' });
          return;
        case '/assets/app-3f9a1c2b.js.map':
          send(res, 200, JSON.stringify({ version: 3, sources: ['src/pay.ts'], sourcesContent: [`const stripe = "${key}";`], mappings: 'AAAA' }), { 'content-type': 'application/json' });
          return;
        case '/.env':
          send(res, 200, `NODE_ENV=production\nSTRIPE_KEY=${key}\nDATABASE_URL=postgres://app:${password}@db.internal.example.com/app\n`, { 'content-type': 'text/plain' });
          return;
        default:
          send(res, 404, 'Not Found', { 'content-type': 'text/plain' });
      }
    });
    const live = await runProbe([server.url], { ...FAST });
    if (!live.ok) throw new Error(live.error.message);
    const saved = serialiseCapture(live.value.capture);
    for (const secret of [key, password, session]) {
      for (let at = 0; at + 8 <= secret.length; at++) expect(saved).not.toContain(secret.slice(at, at + 8));
    }
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const parsed = parseCapture(saved, 'capture.json');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const replayed = await runProbe([], { version: '0.0.0-test', fromCapture: parsed.value });
    if (!replayed.ok) throw new Error(replayed.error.message);
    const graded = (report: typeof live.value.report) => report.findings.map((finding) => [finding.ruleId, finding.severity, finding.fingerprint]);
    expect(graded(replayed.value.report)).toEqual(graded(live.value.report));
    expect(findingsOf(replayed.value.report, 'security/exposed-source-maps')).toEqual([{ url: `${server.url}assets/app-3f9a1c2b.js.map`, severity: 'high', messageId: 'exposed' }]);
  });

  it('puts the grade first and fills probe checklist items', async () => {
    const server = await serve(spaHandler);
    const { report } = await probeOk(server.url);
    expect(report.command).toBe('probe');
    expect(report.sections.map((section) => section.id)).toEqual(['probe-grade', 'probe-targets']);
    expect(report.sections[0]?.lines[0]).toMatch(/^[A-F][+-]? \(-?\d+\/100\) http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(report.checklist.find((item) => item.id === 'security-headers')?.status).toBe('fail');
    expect(report.checklist.find((item) => item.id === 'health-check')?.status).toBe('fail');
  });

  it('is an error value when the only target is unreachable or not a URL', async () => {
    const server = await serve(spaHandler);
    const url = server.url;
    await server.close();
    servers.splice(0);
    const down = await runProbe([url], FAST);
    expect(down.ok ? '' : down.error.code).toBe('NETWORK');
    const bad = await runProbe(['ftp://example.com'], FAST);
    expect(bad.ok ? '' : bad.error.code).toBe('USAGE');
  });

  it('reports a host that does not resolve as a finding, not as an unreachable target', async () => {
    const server = await serve(spaHandler);
    const port = new URL(server.url).port;
    await server.close();
    servers.splice(0);
    const nxdomain = (): Promise<never> => Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }));
    const run = await runProbe([`http://localhost:${port}/`], { ...FAST, resolver: { lookup: nxdomain, resolveCname: nxdomain } });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.report.findings.map((finding) => [finding.ruleId, finding.location?.kind === 'url' ? finding.location.url : ''])).toEqual([['reliability/dns-resolution', `http://localhost:${port}/`]]);
    expect(run.value.report.verdict.failed).toBe(true);
    const switchedOff = await runProbe([`http://localhost:${port}/`], { ...FAST, resolver: { lookup: nxdomain, resolveCname: nxdomain }, settings: new Map([['reliability/dns-resolution', { enabled: false }]]) });
    expect(switchedOff.ok ? 'report' : switchedOff.error.code).toBe('NETWORK');
  });

  it('probes several targets in one run with one report', async () => {
    const first = await serve(spaHandler);
    const second = await serve((req, res) => send(res, 200, '<html>two</html>', { 'x-powered-by': 'Express' }));
    const run = await runProbe([first.url, second.url], FAST);
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.report.sections[0]?.data).toHaveLength(2);
    expect(findingsOf(run.value.report, 'security/version-disclosure')).toEqual([{ url: second.url, severity: 'low', messageId: 'header' }]);
  });
});
