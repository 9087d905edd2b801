import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDeepScan, testsslRunner } from './deep.js';
import { IssueSink } from './rules.js';

const TARGET = new URL('https://app.example.com/');

describe('--deep (testssl.sh)', () => {
  it('folds testssl.sh severities in and skips OK/INFO entries', async () => {
    const json = JSON.stringify([
      { id: 'SSLv3', ip: '203.0.113.7/203.0.113.7', port: '443', severity: 'CRITICAL', finding: 'offered' },
      { id: 'BEAST', ip: '203.0.113.7', port: '443', severity: 'LOW', finding: 'VULNERABLE', cve: 'CVE-2011-3389' },
      { id: 'TLS1_3', ip: '203.0.113.7', port: '443', severity: 'OK', finding: 'offered' },
      { id: 'cert_trust', ip: '203.0.113.7', port: '443', severity: 'INFO', finding: 'Ok via SAN' },
    ]);
    const sink = new IssueSink();
    const notes: string[] = [];
    let asked = '';
    await runDeepScan(TARGET, async (hostPort) => {
      asked = hostPort;
      return { available: true, json };
    }, sink, notes);
    expect(asked).toBe('app.example.com:443');
    expect(sink.issues.map((issue) => [issue.ruleId, issue.key, issue.severity])).toEqual([
      ['security/tls-deep-scan', 'SSLv3', 'critical'],
      ['security/tls-deep-scan', 'BEAST', 'low'],
    ]);
    expect(notes).toEqual([]);
  });

  it('skips cleanly with a note when testssl.sh is absent', async () => {
    const sink = new IssueSink();
    const notes: string[] = [];
    await runDeepScan(TARGET, async () => ({ available: false }), sink, notes);
    expect(sink.issues).toEqual([]);
    expect(sink.applied.size).toBe(0);
    expect(notes).toHaveLength(1);
  });

  it('finds Debian\'s `testssl` when no `testssl.sh` is on PATH', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'shipready-fake-testssl-'));
    // A stand-in that writes the JSON file it is asked for, as testssl does with --jsonfile.
    writeFileSync(join(bin, 'testssl'), '#!/bin/sh\nprintf \'[{"id":"SSLv3","severity":"CRITICAL","finding":"offered"}]\' > "$2"\n');
    chmodSync(join(bin, 'testssl'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = bin;
    try {
      const result = await testsslRunner('127.0.0.1:443');
      expect(result).toEqual({ available: true, json: '[{"id":"SSLv3","severity":"CRITICAL","finding":"offered"}]' });
      process.env.PATH = join(bin, 'nowhere');
      expect(await testsslRunner('127.0.0.1:443')).toEqual({ available: false });
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
