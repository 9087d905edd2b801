import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { SEVERITIES } from '../core/severity.js';
import { codeQualitySeverity, renderGitlab, toCodeQuality, type CodeQualityIssue } from './gitlab.js';
import { kitchenSinkReport } from './report-fixture.js';
import { compileCodeQualitySchema as compile } from '../../test/schemas/validate.js';

function issueAt(report: Report, path: string): CodeQualityIssue {
  const issue = toCodeQuality(report).find((candidate) => candidate.location.path === path);
  if (issue === undefined) throw new Error(`no issue at ${path}`);
  return issue;
}

describe('renderGitlab', () => {
  it('validates against the Code Quality schema', async () => {
    const validate = compile();
    const valid = validate(JSON.parse(renderGitlab(await kitchenSinkReport())));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: an unknown severity or a missing line is rejected', async () => {
    const validate = compile();
    const text = renderGitlab(await kitchenSinkReport());
    expect(text).toContain('"severity": "blocker"');
    expect(validate(JSON.parse(text.replace('"severity": "blocker"', '"severity": "fatal"')))).toBe(false);
    expect(validate(JSON.parse(text.replace(/"lines": \{\s*"begin": \d+\s*\}/, '"lines": {}')))).toBe(false);
  });

  it('lists every active finding with its severity, rule and line; suppressed ones are left out', async () => {
    const report = await kitchenSinkReport();
    const issues = toCodeQuality(report);
    expect(issues).toHaveLength(report.findings.length - 1);
    expect(issues.some((issue) => issue.location.path === 'src/db.ts')).toBe(false);
    expect(issueAt(report, 'config/keys.ts')).toMatchObject({ check_name: 'security/test-secret', severity: 'blocker', location: { lines: { begin: 2 } } });
    expect(issueAt(report, 'config/keys.ts').description).toMatch(/^Stripe key sk_l•••• is committed Fix: Apply the documented fix\.$/);
    expect(issueAt(report, 'README.md')).toMatchObject({ severity: 'minor', location: { lines: { begin: 1 } } });
    // A live check carries its redacted URL; a finding about the whole project the scanned folder.
    expect(issueAt(report, 'https://admin:hu••••@app.example.com/health?token=abc••••').severity).toBe('critical');
    expect(issueAt(report, '.').check_name).toBe('team/test-setup');
    expect(SEVERITIES.map(codeQualitySeverity)).toEqual(['blocker', 'critical', 'major', 'minor', 'info']);
  });

  it('gives unique fingerprints that are stable across runs and differ per scanned folder', async () => {
    const first = toCodeQuality(await kitchenSinkReport());
    const second = toCodeQuality(await kitchenSinkReport());
    expect(new Set(first.map((issue) => issue.fingerprint)).size).toBe(first.length);
    expect(second.map((issue) => issue.fingerprint)).toEqual(first.map((issue) => issue.fingerprint));
    const report = await kitchenSinkReport();
    const sub = toCodeQuality({ ...report, repositoryPath: 'apps/api' });
    expect(sub.map((issue) => issue.fingerprint).filter((print) => first.some((issue) => issue.fingerprint === print))).toEqual([]);
    expect(sub.find((issue) => issue.check_name === 'security/test-secret')?.location.path).toBe('apps/api/config/keys.ts');
    expect(sub.find((issue) => issue.check_name === 'team/test-setup' && !issue.location.path.endsWith('README.md'))?.location.path).toBe('apps/api');
  });

  it('makes control characters visible and is deterministic', async () => {
    const report = await kitchenSinkReport();
    expect(renderGitlab(report)).toContain('\\\\u001b[31mred');
    expect(renderGitlab(report)).toBe(renderGitlab(report));
  });
});
