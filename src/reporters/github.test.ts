import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { escapeData, escapeProperty, renderGithub } from './github.js';
import { buildFixtureReport, kitchenSinkReport } from './report-fixture.js';

const kitchenSink = kitchenSinkReport;

describe('escapeData / escapeProperty', () => {
  it('escape %, CR and LF in data, as @actions/core does', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
  });

  it('additionally escape : and , in property values', () => {
    expect(escapeProperty('src/a,b:c%\n.ts')).toBe('src/a%2Cb%3Ac%25%0A.ts');
  });
});

describe('renderGithub', () => {
  it('emits one command per active, non-baseline finding and ends with the verdict notice', async () => {
    const report = await kitchenSink();
    const lines = renderGithub(report).trimEnd().split('\n');
    // 7 findings: 1 suppressed and 1 baseline-unchanged are left out.
    expect(lines).toHaveLength(5 + 1);
    expect(lines.every((line) => /^::(error|warning|notice) /.test(line))).toBe(true);
    expect(lines.at(-1)).toBe(`::notice title=shipready::${report.verdict.summary}`);
    expect(lines.some((line) => line.includes('src/db.ts'))).toBe(false);
  });

  it('maps severities to commands and writes the location as properties', async () => {
    const lines = renderGithub(await kitchenSink()).split('\n');
    expect(lines[0]).toMatch(/^::error file=config\/keys\.ts,line=2,col=23,endColumn=55,title=security\/test-secret::/);
    expect(lines.find((line) => line.includes('title=team/test-setup'))).toMatch(/^::notice file=README\.md,title=team\/test-setup::/);
  });

  it('escapes %, newlines, : and , so user text cannot break out of a command', async () => {
    const line = renderGithub(await kitchenSink())
      .split('\n')
      .find((candidate) => candidate.includes('file=src/server'));
    expect(line).toBeDefined();
    expect(line).toContain('file=src/server%2C main%3A1.ts,line=3,');
    expect(line).toContain('100%25 raw, a:b%0Asecond line');
    expect(line).toContain('\\u001b[31mred');
    expect(line?.endsWith(' Fix: Apply the documented fix.')).toBe(true);
  });

  it('puts the URL of a URL finding in the message and gives it no file property', async () => {
    const line = renderGithub(await kitchenSink())
      .split('\n')
      .find((candidate) => candidate.includes('app.example.com'));
    expect(line).toBe('::error title=reliability/test-health::https://admin:hu••••@app.example.com/health?token=abc••••: Health URL answered 500 Fix: Apply the documented fix.');
  });

  it('uses warning for medium findings and is deterministic', async () => {
    const report = await buildFixtureReport({
      project: { files: { 'a.ts': 'x\n' }, reports: [{ ruleId: 'reliability/test-health', message: 'm', location: { path: 'a.ts', line: 1 } }] },
    });
    const medium: Report = { ...report, findings: report.findings.map((finding) => ({ ...finding, severity: 'medium' })) };
    expect(renderGithub(medium).split('\n')[0]).toBe('::warning file=a.ts,line=1,title=reliability/test-health::m Fix: Apply the documented fix.');
    expect(renderGithub(medium)).toBe(renderGithub(medium));
  });
});
