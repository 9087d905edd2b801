import { describe, expect, it } from 'vitest';
import { runDeepScan } from './deep.js';
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
});
