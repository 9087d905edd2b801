import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { escapeXml, renderJunit, toJunitSuites, type JunitTestCase } from './junit.js';
import { buildFixtureReport, kitchenSinkReport } from './report-fixture.js';

import { validateJunit as validate } from '../../test/schemas/validate.js';

function caseNamed(report: Report, suite: number, predicate: (testCase: JunitTestCase) => boolean): JunitTestCase {
  const found = toJunitSuites(report)[suite]?.cases.find(predicate);
  if (found === undefined) throw new Error('no such test case');
  return found;
}

describe('renderJunit', () => {
  it('validates against the JUnit XSD with failing, skipped, passing, URL and location-less cases', async () => {
    const report = await kitchenSinkReport();
    const outcome = await validate(renderJunit(report));
    expect(outcome.errors).toEqual([]);
    expect(outcome.valid).toBe(true);
    const kinds = new Set(toJunitSuites(report).flatMap((suite) => suite.cases.map((testCase) => testCase.outcome.kind)));
    expect([...kinds].sort()).toEqual(['failure', 'passed', 'skipped']);
  });

  it('validates for a report with no findings and no checklist', async () => {
    const report = await buildFixtureReport({ project: { files: {}, reports: [] } });
    const empty: Report = { ...report, checklist: [] };
    expect((await validate(renderJunit(empty))).valid).toBe(true);
    expect(renderJunit(empty)).toContain('tests="0" failures="0" errors="0" skipped="0"');
  });

  it('the XSD check can fail: a <skipped> with an attribute, or a testcase without a name, is rejected', async () => {
    const text = renderJunit(await kitchenSinkReport());
    expect((await validate(text.replace('<skipped>', '<skipped message="x">'))).valid).toBe(false);
    expect((await validate(text.replace(/<testcase classname="([^"]*)" name="[^"]*">/, '<testcase classname="$1">'))).valid).toBe(false);
  });

  it('has one test case per checklist item and per finding, failing as the report does', async () => {
    const report = await kitchenSinkReport();
    const [checklist, findings] = toJunitSuites(report);
    expect(checklist?.cases).toHaveLength(report.checklist.length);
    expect(findings?.cases).toHaveLength(report.findings.length);
    // --fail-on high: the critical key fails, the low whole-file finding passes with its details as output.
    const key = caseNamed(report, 1, (testCase) => testCase.name.startsWith('config/keys.ts:2:23'));
    expect(key.classname).toBe('security/test-secret');
    expect(key.outcome).toMatchObject({ kind: 'failure', type: 'critical' });
    const low = caseNamed(report, 1, (testCase) => testCase.name.startsWith('README.md:'));
    expect(low.outcome.kind).toBe('passed');
    expect(low.outcome.kind === 'passed' ? low.outcome.output : '').toMatch(/\(below --fail-on high\)$/);
    expect(caseNamed(report, 1, (testCase) => testCase.name.startsWith('src/db.ts')).outcome).toEqual({ kind: 'skipped', reason: 'suppressed inline: pool is tuned in infra' });
    expect(caseNamed(report, 1, (testCase) => testCase.name.startsWith('(project)')).outcome.kind).toBe('skipped');
    // A checklist item with findings fails and lists them; one no rule decided is skipped with the reason.
    const secrets = caseNamed(report, 0, (testCase) => testCase.name.startsWith('secrets:'));
    expect(secrets.outcome.kind).toBe('failure');
    expect(secrets.outcome.kind === 'failure' ? secrets.outcome.body : '').toContain('- CRITICAL security/test-secret config/keys.ts:2:23:');
    expect(caseNamed(report, 0, (testCase) => testCase.name.startsWith('load-testing:')).outcome.kind).toBe('skipped');
    const text = renderJunit(report);
    const failures = toJunitSuites(report).flatMap((suite) => suite.cases).filter((testCase) => testCase.outcome.kind === 'failure').length;
    expect(text).toContain(`<testsuites name="shipready scan" tests="${report.checklist.length + report.findings.length}" failures="${failures}" errors="0">`);
    expect(text.match(/<failure /g)).toHaveLength(failures);
  });

  it('fails no finding with --fail-on none, and paths are from the repository root for a sub-folder scan', async () => {
    const report = await kitchenSinkReport();
    const relaxed: Report = { ...report, repositoryPath: 'apps/api', verdict: { ...report.verdict, failOn: 'none' } };
    expect(toJunitSuites(relaxed)[1]?.cases.some((testCase) => testCase.outcome.kind === 'failure')).toBe(false);
    expect(caseNamed(relaxed, 1, (testCase) => testCase.name.includes('keys.ts')).name).toMatch(/^apps\/api\/config\/keys\.ts:2:23: /);
    expect(renderJunit(relaxed)).toContain('<property name="repository-path" value="apps/api"/>');
  });

  it('escapes markup, quotes, newlines and control characters from the repository', async () => {
    const text = renderJunit(await kitchenSinkReport());
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('\\u001b[31mred');
    expect(text).not.toContain('\u001b');
    expect(escapeXml('a < b & "c"\nd\te', true)).toBe('a &lt; b &amp; &quot;c&quot;&#10;d&#9;e');
    expect(escapeXml('lone \uD800 and \uFFFF, pair \uD83D\uDE00')).toBe('lone \uFFFD and \uFFFD, pair \uD83D\uDE00');
  });

  it('is deterministic', async () => {
    const report = await kitchenSinkReport();
    expect(renderJunit(report)).toBe(renderJunit(report));
  });
});
