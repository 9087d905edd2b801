import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCerts, send, startServer, type Certs, type TestServer } from '../../test/probe/servers.js';
import type { TlsObservation } from './capture.js';
import { IssueSink } from './rules.js';
import { runProbe } from './index.js';
import { checkTls, LiveTlsInspector } from './tls.js';

let certs: Certs;
const servers: TestServer[] = [];

beforeAll(() => {
  certs = generateCerts();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  certs.cleanup();
});

async function inspect(name: Parameters<Certs['pair']>[0], extra: { minVersion?: 'TLSv1'; ciphers?: string } = {}): Promise<{ observations: TlsObservation[]; issues: Array<[string, string]> }> {
  const server = await startServer((_req, res) => send(res, 200, 'ok'), { ...certs.pair(name), ...extra });
  servers.push(server);
  const observations = await new LiveTlsInspector({ timeoutMs: 3000, ca: certs.caCert }).inspect('127.0.0.1', server.port);
  const sink = new IssueSink();
  checkTls(server.url, observations, new Date(), sink);
  return { observations, issues: sink.issues.map((issue) => [issue.ruleId, issue.severity ?? 'default']) };
}

describe('TLS checks (certificates generated with openssl)', () => {
  it('ok.valid-chain: a leaf served with its intermediate, trusted via --ca', async () => {
    const { issues, observations } = await inspect('good');
    expect(issues).toEqual([]);
    expect(observations[0]?.chain?.map((link) => link.subject)).toEqual(['good', 'Shipready Test Intermediate', 'Shipready Test Root']);
  });

  it('ng.expired: critical', async () => {
    expect((await inspect('expired')).issues).toEqual([['operations/tls-certificate-expiry', 'critical']]);
  });

  it('ng.expires-in-5-days: high', async () => {
    expect((await inspect('soon')).issues).toEqual([['operations/tls-certificate-expiry', 'high']]);
  });

  it('ng.wrong-hostname', async () => {
    expect((await inspect('wronghost')).issues).toEqual([['security/tls-hostname', 'default']]);
  });

  it('ng.self-signed: names DEPTH_ZERO_SELF_SIGNED_CERT', async () => {
    const { observations, issues } = await inspect('selfsigned');
    expect(observations[0]?.facts?.authorizationError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(issues).toEqual([['security/tls-certificate-chain', 'high']]);
  });

  it('ng.missing-intermediate: names UNABLE_TO_VERIFY_LEAF_SIGNATURE', async () => {
    const { observations, issues } = await inspect('nointermediate');
    expect(observations[0]?.facts?.authorizationError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(issues).toEqual([['security/tls-certificate-chain', 'default']]);
  });

  it('ng.tls10-enabled: a server accepting TLS 1.0 and 1.1', async () => {
    // Node 20's OpenSSL only negotiates TLS 1.0/1.1 at security level 0, on both ends.
    const { issues, observations } = await inspect('good', { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect(observations.filter((observation) => observation.attempt !== 'default').map((observation) => [observation.attempt, observation.facts?.protocol])).toEqual([
      ['TLSv1', 'TLSv1'],
      ['TLSv1.1', 'TLSv1.1'],
    ]);
    expect(issues).toEqual([
      ['security/tls-legacy-protocols', 'default'],
      ['security/tls-legacy-protocols', 'default'],
    ]);
  });

  it('ng.handshake-failure: plain HTTP on the port', async () => {
    const server = await startServer((_req, res) => send(res, 200, 'ok'));
    servers.push(server);
    const observations = await new LiveTlsInspector({ timeoutMs: 3000 }).inspect('127.0.0.1', server.port);
    const sink = new IssueSink();
    checkTls(server.url, observations, new Date(), sink);
    expect(sink.issues.map((issue) => issue.ruleId)).toEqual(['security/tls-handshake']);
  });

  it('runs inside a full probe over HTTPS with --ca, and a capture replays the TLS facts', async () => {
    const server = await startServer((_req, res) => send(res, 200, '<html>ok</html>', { 'strict-transport-security': 'max-age=31536000' }), certs.pair('soon'));
    servers.push(server);
    const live = await runProbe([server.url], { version: '0.0.0-test', ca: certs.caCert, ratePerSecond: Number.POSITIVE_INFINITY });
    if (!live.ok) throw new Error(live.error.message);
    const tlsFindings = (report: typeof live.value.report): string[] => report.findings.filter((finding) => finding.checklist === 'tls').map((finding) => `${finding.ruleId}:${finding.severity}`);
    expect(tlsFindings(live.value.report)).toEqual(['operations/tls-certificate-expiry:high']);
    expect(live.value.report.findings.map((finding) => finding.ruleId)).not.toContain('security/hsts');
    const replayed = await runProbe([], { version: '0.0.0-test', fromCapture: live.value.capture });
    if (!replayed.ok) throw new Error(replayed.error.message);
    expect(tlsFindings(replayed.value.report)).toEqual(['operations/tls-certificate-expiry:high']);
  });

  it('reports a failed handshake on the target as a finding, not as unreachable', async () => {
    const server = await startServer((_req, res) => send(res, 200, 'plain http'));
    servers.push(server);
    const run = await runProbe([`https://127.0.0.1:${server.port}/`], { version: '0.0.0-test', ratePerSecond: Number.POSITIVE_INFINITY });
    if (!run.ok) throw new Error(run.error.message);
    expect(run.value.report.findings.map((finding) => `${finding.ruleId}:${finding.severity}`)).toEqual(['security/tls-handshake:critical']);
  });
});
