import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { send, startServer, type TestServer } from '../../test/probe/servers.js';
import { LiveTransport, userAgent } from './http.js';

const servers: TestServer[] = [];
const transports: LiveTransport[] = [];

afterEach(async () => {
  for (const transport of transports.splice(0)) transport.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function transportFor(hosts: string[], extra: Partial<ConstructorParameters<typeof LiveTransport>[0]> = {}): LiveTransport {
  const transport = new LiveTransport({ allowedHosts: hosts, version: '9.9.9', budget: { ratePerSecond: Number.POSITIVE_INFINITY }, ...extra });
  transports.push(transport);
  return transport;
}

describe('LiveTransport', () => {
  it('refuses a host that is not a target and never connects to it', async () => {
    const other = await startServer((_req, res) => send(res, 200, 'other'));
    servers.push(other);
    const transport = transportFor(['127.0.0.1']);
    // Same machine, different name: the check is by host name, before any socket opens.
    const exchange = await transport.request({ method: 'GET', url: `http://localhost:${other.port}/`, kind: 'page' });
    expect(exchange.error?.code).toBe('REFUSED_HOST');
    expect(exchange.response).toBeUndefined();
    expect(other.seen).toEqual([]);
    expect(transport.budget.stats().used).toBe(0);
  });

  it('sends an identifiable User-Agent and records redirects without following them', async () => {
    let agent = '';
    const server = await startServer((req, res) => {
      agent = req.headers['user-agent'] ?? '';
      send(res, 301, '', { location: '/elsewhere' });
    });
    servers.push(server);
    const exchange = await transportFor(['127.0.0.1']).request({ method: 'GET', url: server.url, kind: 'page' });
    expect(agent).toBe(userAgent('9.9.9'));
    expect(agent).toMatch(/^shipready-probe\/9\.9\.9 \(\+https:\/\/github\.com\/shipready\/shipready\)$/);
    expect(exchange.response?.status).toBe(301);
    expect(exchange.response?.headers['location']).toBe('/elsewhere');
    expect(server.seen).toEqual(['GET /']);
  });

  it('cuts bodies at the cap and decodes gzip', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/big') send(res, 200, 'x'.repeat(10_000), { 'content-type': 'text/plain' });
      else {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync('hello compressed'));
      }
    });
    servers.push(server);
    const transport = transportFor(['127.0.0.1'], { bodyCapBytes: 1000 });
    const big = await transport.request({ method: 'GET', url: `${server.url}big`, kind: 'page' });
    expect(big.response?.truncated).toBe(true);
    expect(big.response?.body).toHaveLength(1000);
    const zipped = await transport.request({ method: 'GET', url: `${server.url}zip`, kind: 'page' });
    expect(zipped.response?.body).toBe('hello compressed');
    expect(zipped.response?.headers['content-encoding']).toBe('gzip');
  });

  it('times out slow servers as a value, not a throw', async () => {
    const server = await startServer(() => {
      // Never answers.
    });
    servers.push(server);
    const exchange = await transportFor(['127.0.0.1'], { timeoutMs: 200 }).request({ method: 'GET', url: server.url, kind: 'page' });
    expect(exchange.error?.code).toBe('TIMEOUT');
  });

  it('reports connection errors by code', async () => {
    const server = await startServer((_req, res) => send(res, 200, ''));
    const url = server.url;
    await server.close();
    const exchange = await transportFor(['127.0.0.1']).request({ method: 'GET', url, kind: 'page' });
    expect(exchange.error).toEqual({ code: 'NETWORK', message: 'ECONNREFUSED' });
  });

  it('stops sending once the budget is spent', async () => {
    const server = await startServer((_req, res) => send(res, 200, 'ok'));
    servers.push(server);
    const transport = transportFor(['127.0.0.1'], { budget: { maxRequests: 2, ratePerSecond: Number.POSITIVE_INFINITY } });
    const results = await Promise.all([1, 2, 3].map(() => transport.request({ method: 'GET', url: server.url, kind: 'page' })));
    expect(results.map((exchange) => exchange.error?.code ?? 'ok').sort()).toEqual(['BUDGET_EXHAUSTED', 'ok', 'ok']);
    expect(server.seen).toHaveLength(2);
  });
});
