/**
 * Fixture harness for probe checks: each rule has `fixtures/<rule>/ok.<case>/` and `ng.<case>/` folders
 * (one scenario each). `site.json` describes a deployment, which the harness serves on 127.0.0.1 (port 0)
 * and probes; `ok.*` must give no finding of the rule, `ng.*` exactly the `{ path, severity }` list in
 * its `expected.json`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateCerts, startServer, type Certs, type TestServer } from '../../test/probe/servers.js';
import type { Resolver } from './dns.js';
import type { Report } from '../core/report.js';
import { parseCapture, serialiseCapture, type Capture } from './capture.js';
import type { DeepScanRunner } from './deep.js';
import { runProbe, type ProbeOptions } from './index.js';
import { PROBE_RULES } from './rules.js';

interface Route {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  repeat?: number | undefined;
  gzip?: boolean | undefined;
  reflect?: boolean | undefined;
  reflectOrigin?: boolean | undefined;
  throttleAfter?: number | undefined;
  post?: Route | undefined;
}

const routeSchema: z.ZodType<Route> = z.lazy(() =>
  z.object({
    status: z.number().int().default(200),
    headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
    body: z.string().default(''),
    repeat: z.number().int().positive().optional(),
    gzip: z.boolean().optional(),
    /** Appends the request path to the body (a path-reflecting catch-all). */
    reflect: z.boolean().optional(),
    /** Echoes the request Origin with credentials (CORS reflection). */
    reflectOrigin: z.boolean().optional(),
    /** Answers 429 after this many requests to the route. */
    throttleAfter: z.number().int().positive().optional(),
    post: routeSchema.optional(),
  }),
);

const siteSchema = z
  .object({
    description: z.string(),
    routes: z.record(z.string(), routeSchema).default({}),
    /** Answer for unknown paths; a 404 text/plain when absent. */
    fallback: routeSchema.optional(),
    /** Serve HTTPS with this generated certificate (`plain`: plain HTTP on a port probed as https://). */
    tls: z.enum(['good', 'soon', 'expired', 'wronghost', 'selfsigned', 'nointermediate', 'plain']).optional(),
    tlsMinVersion: z.literal('TLSv1').optional(),
    /** A plain-HTTP listener next to the HTTPS one: redirecting to it, or serving the same site. */
    http: z.enum(['redirect', 'serve']).optional(),
    /** DNS zone for the injected resolver; the target is then `localhost` instead of 127.0.0.1. */
    dns: z.record(z.string(), z.object({ a: z.array(z.string()).optional(), cname: z.string().optional() })).optional(),
    /** testssl.sh JSON for `--deep`. */
    testssl: z.array(z.unknown()).optional(),
    options: z.object({ loginPath: z.string(), loginAttempts: z.number().int(), healthPath: z.string() }).partial().optional(),
  })
  .strict();

type Site = z.infer<typeof siteSchema>;

const expectedSchema = z.array(z.object({ path: z.string(), severity: z.string() })).min(1);

const FIXTURES = join(import.meta.dirname, 'fixtures');
let certs: Certs;
const servers: TestServer[] = [];

beforeAll(() => {
  certs = generateCerts();
});

afterAll(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  certs.cleanup();
});

function handler(site: Site): (req: IncomingMessage, res: ServerResponse) => void {
  const hits = new Map<string, number>();
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const prefix = Object.keys(site.routes).find((key) => key.endsWith('*') && path.startsWith(key.slice(0, -1)));
    let route = site.routes[path] ?? (prefix === undefined ? undefined : site.routes[prefix]) ?? site.fallback ?? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not Found' };
    if (req.method === 'POST' && route.post !== undefined) route = route.post;
    const count = (hits.get(`${req.method ?? ''} ${path}`) ?? 0) + 1;
    hits.set(`${req.method ?? ''} ${path}`, count);
    if (route.throttleAfter !== undefined && count > route.throttleAfter) {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '0' });
      res.end('Too Many Requests');
      return;
    }
    const headers: Record<string, string | string[]> = { 'content-type': 'text/html; charset=utf-8', ...route.headers };
    const origin = req.headers.origin;
    if (route.reflectOrigin === true && origin !== undefined) Object.assign(headers, { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
    let body = route.body.repeat(route.repeat ?? 1) + (route.reflect === true ? ` ${path}` : '');
    if (route.gzip === true) {
      headers['content-encoding'] = 'gzip';
      res.writeHead(route.status, headers);
      res.end(gzipSync(body));
      return;
    }
    if (req.method === 'HEAD') body = '';
    res.writeHead(route.status, headers);
    res.end(body);
  };
}

function zoneResolver(zone: NonNullable<Site['dns']>): Resolver {
  const fail = (code: string): Error => Object.assign(new Error(code), { code });
  return {
    lookup: async (host) => {
      const record = zone[host];
      const target = record?.cname === undefined ? undefined : zone[record.cname];
      const addresses = record?.a ?? target?.a;
      if (addresses === undefined) throw fail('ENOTFOUND');
      return addresses;
    },
    resolveCname: async (host) => {
      const cname = zone[host]?.cname;
      if (cname === undefined) throw fail('ENODATA');
      return [cname];
    },
  };
}

/** A port with nothing listening: the redirect check must not hit whatever runs on 80/443 here. */
async function closedPort(): Promise<number> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.port;
}

async function probeSite(site: Site): Promise<{ origin: string; findings: Array<{ ruleId: string; url: string; severity: string }>; capture: Capture }> {
  const tlsName = site.tls === undefined || site.tls === 'plain' ? undefined : site.tls;
  const main = await startServer(handler(site), tlsName === undefined ? undefined : { ...certs.pair(tlsName), ...(site.tlsMinVersion === undefined ? {} : { minVersion: site.tlsMinVersion, ciphers: 'DEFAULT@SECLEVEL=0' }) });
  servers.push(main);
  const host = site.dns === undefined ? '127.0.0.1' : 'localhost';
  const scheme = site.tls === undefined ? 'http' : 'https';
  const origin = `${scheme}://${host}:${main.port}`;
  let httpPort = await closedPort();
  if (site.http !== undefined) {
    const plain = await startServer(
      site.http === 'serve'
        ? handler(site)
        : (req, res) => {
            res.writeHead(301, { location: `${origin}${req.url ?? '/'}` });
            res.end();
          },
    );
    servers.push(plain);
    httpPort = plain.port;
  }
  const testssl = site.testssl;
  const options: ProbeOptions = {
    version: '0.0.0-test',
    ratePerSecond: Number.POSITIVE_INFINITY,
    timeoutMs: 3000,
    ca: certs.caCert,
    httpPort,
    httpsPort: scheme === 'https' ? main.port : await closedPort(),
    ...(site.dns === undefined ? {} : { resolver: zoneResolver(site.dns) }),
    ...(testssl === undefined ? {} : { deep: true, deepRunner: async () => ({ available: true as const, json: JSON.stringify(testssl) }) }),
    ...site.options,
  };
  const run = await runProbe([`${origin}/`], options);
  if (!run.ok) throw new Error(run.error.message);
  return { origin, findings: findingsOf(run.value.report), capture: run.value.capture };
}

function findingsOf(report: Report): Array<{ ruleId: string; url: string; severity: string }> {
  return report.findings.map((finding) => ({ ruleId: finding.ruleId, url: finding.location?.kind === 'url' ? finding.location.url : '', severity: finding.severity }));
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** `{ path, severity }` of the rule's findings; the path is the URL without scheme, host and port. */
function pathsOf(found: Awaited<ReturnType<typeof probeSite>>, ruleId: string): Array<{ path: string; severity: string }> {
  return found.findings
    .filter((finding) => finding.ruleId === ruleId)
    .map((finding) => ({ path: finding.url.replace(/^[a-z]+:\/\/[^/]+/, ''), severity: finding.severity }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0));
}

describe('probe rule fixtures', () => {
  it('every probe rule has ok.* and ng.* fixtures', () => {
    for (const rule of PROBE_RULES) {
      const dir = join(FIXTURES, rule.id.replace('/', '-'));
      const cases = existsSync(dir) ? readdirSync(dir) : [];
      expect({ rule: rule.id, ok: cases.some((name) => name.startsWith('ok.')), ng: cases.some((name) => name.startsWith('ng.')) }).toEqual({ rule: rule.id, ok: true, ng: true });
    }
  });

  for (const rule of PROBE_RULES) {
    const dir = join(FIXTURES, rule.id.replace('/', '-'));
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const caseDir = join(dir, name);
      it(`${rule.id} ${name}`, async () => {
        const site = siteSchema.parse(readJson(join(caseDir, 'site.json')));
        const found = await probeSite(site);
        if (name.startsWith('ok.')) {
          expect(pathsOf(found, rule.id)).toEqual([]);
        } else {
          expect(pathsOf(found, rule.id)).toEqual(expectedSchema.parse(readJson(join(caseDir, 'expected.json'))));
        }
      });
    }
  }
});

describe('probe --deep and captures', () => {
  /** A testssl.sh stand-in that counts its runs and reports itself missing. */
  function countingRunner(): { runner: DeepScanRunner; runs: () => number } {
    let runs = 0;
    return {
      runner: async () => {
        runs++;
        return { available: false };
      },
      runs: () => runs,
    };
  }

  async function replay(capture: Capture, runner: DeepScanRunner): Promise<Report> {
    const parsed = parseCapture(serialiseCapture(capture), 'capture.json');
    if (!parsed.ok) throw new Error(parsed.error.message);
    const run = await runProbe([], { version: '0.0.0-test', fromCapture: parsed.value, deep: true, deepRunner: runner });
    if (!run.ok) throw new Error(run.error.message);
    return run.value.report;
  }

  it('stores testssl.sh results in the capture and grades them on replay without running it again', async () => {
    const live = await probeSite(siteSchema.parse(readJson(join(FIXTURES, 'security-tls-deep-scan', 'ng.testssl-sslv3', 'site.json'))));
    expect(live.capture.deep?.map((entry) => entry.hostPort)).toEqual([new URL(live.origin).host]);
    const counting = countingRunner();
    const report = await replay(live.capture, counting.runner);
    expect(counting.runs()).toBe(0);
    const deepOf = (findings: ReturnType<typeof findingsOf>): typeof findings => findings.filter((finding) => finding.ruleId === 'security/tls-deep-scan');
    expect(deepOf(findingsOf(report))).toEqual(deepOf(live.findings));
    expect(deepOf(live.findings)).toHaveLength(1);
  });

  it('never runs testssl.sh when replaying a capture made without --deep', async () => {
    const site = siteSchema.parse(readJson(join(FIXTURES, 'security-tls-deep-scan', 'ok.testssl-all-ok', 'site.json')));
    const live = await probeSite({ ...site, testssl: undefined });
    expect(live.capture.deep).toBeUndefined();
    const counting = countingRunner();
    const report = await replay(live.capture, counting.runner);
    expect(counting.runs()).toBe(0);
    expect(report.notes.some((note) => note.message.includes('--deep'))).toBe(true);
  });
});
