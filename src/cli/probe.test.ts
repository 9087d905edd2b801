import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spaHandler, startServer, type TestServer } from '../../test/probe/servers.js';
import type { CommandInput, OptionValues } from './command.js';
import { probeCommand } from './probe.js';
import { parseTimeout } from './probe-run.js';

let dir: string;
const servers: TestServer[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipready-cli-probe-'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

function input(positionals: string[], values: OptionValues = {}): CommandInput {
  return {
    positionals,
    values,
    common: { format: 'json', debug: false, color: false },
    io: { cwd: dir, env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => new Date('2026-01-01T00:00:00Z') },
  };
}

describe('probe command', () => {
  it('rejects a bad URL as a usage error (exit 2), not a stack', async () => {
    const result = await probeCommand.run(input(['ht!tp://nope']));
    expect(result.ok ? '' : result.error.code).toBe('USAGE');
  });

  it('reports an unreachable host as a NETWORK user error', async () => {
    const server = await startServer(spaHandler);
    const url = server.url;
    await server.close();
    const result = await probeCommand.run(input([url], { timeout: '2' }));
    expect(result.ok ? '' : result.error.code).toBe('NETWORK');
  });

  it('saves a capture and grades it offline with --from-capture', async () => {
    const server = await startServer(spaHandler);
    servers.push(server);
    writeFileSync(join(dir, 'targets.txt'), `# staging\n${server.url}\n`);
    const live = await probeCommand.run(input([], { targets: 'targets.txt', 'save-capture': 'cap.json', 'max-requests': '60' }));
    if (!live.ok || live.value.kind !== 'report') throw new Error('live probe failed');
    const capture: unknown = JSON.parse(readFileSync(join(dir, 'cap.json'), 'utf8'));
    expect(capture).toMatchObject({ format: 'shipready-probe-capture', targets: [server.url] });
    await server.close();
    servers.splice(0);
    const offline = await probeCommand.run(input([], { 'from-capture': 'cap.json' }));
    if (!offline.ok || offline.value.kind !== 'report') throw new Error('offline grading failed');
    expect(offline.value.report.findings.map((finding) => finding.fingerprint)).toEqual(live.value.report.findings.map((finding) => finding.fingerprint));
  });

  it('rejects a file that is not a capture', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"hello":1}');
    const result = await probeCommand.run(input([], { 'from-capture': 'bad.json' }));
    expect(result.ok ? '' : result.error.code).toBe('INPUT_INVALID');
  });

  it('validates numeric flags', async () => {
    const result = await probeCommand.run(input(['https://example.invalid'], { 'max-requests': '0' }));
    expect(result.ok ? '' : result.error.code).toBe('USAGE');
    expect(parseTimeout('1500ms')).toEqual({ ok: true, value: 1500 });
    expect(parseTimeout('10')).toEqual({ ok: true, value: 10_000 });
    expect(parseTimeout('forever').ok).toBe(false);
  });

  it('honours config: a rule switched off, a severity override, and an unknown rule id rejected', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-powered-by': 'Express' });
      res.end('<html>ok</html>');
    });
    servers.push(server);
    writeFileSync(join(dir, 'shipready.config.json'), JSON.stringify({ rules: { 'security/version-disclosure': 'off', 'security/content-security-policy': 'low' } }));
    const result = await probeCommand.run(input([server.url]));
    if (!result.ok || result.value.kind !== 'report') throw new Error('probe failed');
    const { report } = result.value;
    expect(report.findings.map((finding) => finding.ruleId)).not.toContain('security/version-disclosure');
    expect(report.findings.filter((finding) => finding.ruleId === 'security/content-security-policy').map((finding) => finding.severity)).toEqual(['low']);
    writeFileSync(join(dir, 'shipready.config.json'), JSON.stringify({ rules: { 'security/hstss': 'off' } }));
    const bad = await probeCommand.run(input([server.url]));
    expect(bad.ok ? '' : bad.error.code).toBe('CONFIG_INVALID');
  });
});
