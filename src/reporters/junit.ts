// JUnit XML reporter, for the test-report views of CI systems (GitLab, Jenkins, Azure DevOps, CircleCI). Docs: docs/reporters.md#junit
import { countsTowardExit, isActive, type ChecklistEntry, type Finding, type Report } from '../core/report.js';
import { isAtLeast } from '../core/severity.js';
import { cleanControl, locationText, repositoryRelativePath } from './shared.js';

/** What one test case says: it passed (with what was checked), failed, or was skipped (and why). */
export type JunitOutcome =
  | { readonly kind: 'passed'; readonly output: string }
  | { readonly kind: 'failure'; readonly type: string; readonly message: string; readonly body: string }
  | { readonly kind: 'skipped'; readonly reason: string };

export interface JunitTestCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: JunitOutcome;
}

export interface JunitTestSuite {
  readonly name: string;
  readonly cases: readonly JunitTestCase[];
}

// XML 1.0 cannot hold a lone surrogate or U+FFFE/U+FFFF even as a character reference; C0 controls are made
// visible by cleanControl first, as in every reporter.
const NOT_XML = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/**
 * Escapes text for XML content or (with `attribute`) a double-quoted attribute, where newlines and tabs become
 * character references so a parser's attribute normalisation keeps them.
 *
 * @example escapeXml('a < b & "c"\nd', true) // 'a &lt; b &amp; &quot;c&quot;&#10;d'
 */
export function escapeXml(text: string, attribute = false): string {
  const escaped = cleanControl(text)
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return attribute ? escaped.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : escaped;
}

function whereText(report: Report, finding: Finding): string | undefined {
  const where = locationText(finding);
  return where !== undefined && finding.location?.kind === 'file' ? repositoryRelativePath(report, where) : where;
}

/** The finding in full, as a CI log shows it: what, where, the flagged lines, what was looked for, the fix. */
function findingBody(report: Report, finding: Finding): string {
  const where = whereText(report, finding);
  const snippet = finding.evidence.snippet;
  return [
    `${finding.severity.toUpperCase()} ${finding.ruleId}${finding.inconclusive === true ? ' (inconclusive)' : ''}`,
    finding.message,
    ...(where === undefined ? [] : [`at ${where}`]),
    ...(snippet === undefined ? [] : snippet.lines.map((line, index) => `  ${snippet.startLine + index} | ${line}`)),
    ...(finding.evidence.detail === undefined ? [] : [finding.evidence.detail]),
    `Fix: ${finding.fix}`,
    `Docs: ${finding.docsUrl}`,
  ].join('\n');
}

function findingCase(report: Report, finding: Finding): JunitTestCase {
  const where = whereText(report, finding);
  const name = `${where ?? '(project)'}: ${finding.message}`;
  const failOn = report.verdict.failOn;
  if (!isActive(finding)) return { classname: finding.ruleId, name, outcome: { kind: 'skipped', reason: `suppressed inline: ${finding.suppression?.reason ?? ''}` } };
  if (!countsTowardExit(finding)) return { classname: finding.ruleId, name, outcome: { kind: 'skipped', reason: 'in the baseline: known, does not count toward the exit code' } };
  if (isAtLeast(finding.severity, failOn)) {
    return { classname: finding.ruleId, name, outcome: { kind: 'failure', type: finding.severity, message: finding.message, body: findingBody(report, finding) } };
  }
  // Below the threshold the finding is still listed, so the test report is the whole list, but it does not fail.
  return { classname: finding.ruleId, name, outcome: { kind: 'passed', output: `${findingBody(report, finding)}\n(below --fail-on ${failOn})` } };
}

function checklistCase(entry: ChecklistEntry, byFingerprint: ReadonlyMap<string, Finding>, report: Report): JunitTestCase {
  const base = { classname: 'shipready.checklist', name: `${entry.id}: ${entry.title}` };
  switch (entry.status) {
    case 'fail': {
      const lines = entry.findings.flatMap((print) => {
        const finding = byFingerprint.get(print);
        if (finding === undefined) return [];
        const where = whereText(report, finding);
        return [`- ${finding.severity.toUpperCase()} ${finding.ruleId}${where === undefined ? '' : ` ${where}`}: ${finding.message}`];
      });
      return { ...base, outcome: { kind: 'failure', type: 'checklist', message: entry.reason, body: [entry.reason, ...lines].join('\n') } };
    }
    case 'unknown':
      return { ...base, outcome: { kind: 'skipped', reason: entry.reason } };
    case 'attested':
    case 'pass':
      return { ...base, outcome: { kind: 'passed', output: entry.reason } };
  }
}

/**
 * The report as two JUnit test suites: one test case per readiness checklist item (failing items fail,
 * unknown items are skipped) and one per finding (failing when it is active, new and at or above `--fail-on`;
 * suppressed and baseline findings are skipped; those below the threshold pass, with their details as output).
 *
 * @example toJunitSuites(report).map((suite) => suite.cases.length) // [22, report.findings.length]
 */
export function toJunitSuites(report: Report): JunitTestSuite[] {
  const byFingerprint = new Map(report.findings.map((finding) => [finding.fingerprint, finding]));
  return [
    { name: `shipready ${report.command}: readiness checklist`, cases: report.checklist.map((entry) => checklistCase(entry, byFingerprint, report)) },
    { name: `shipready ${report.command}: findings`, cases: report.findings.map((finding) => findingCase(report, finding)) },
  ];
}

function caseXml(testCase: JunitTestCase): string {
  const open = `    <testcase classname="${escapeXml(testCase.classname, true)}" name="${escapeXml(testCase.name, true)}">`;
  const outcome = testCase.outcome;
  switch (outcome.kind) {
    case 'skipped':
      // The common (Jenkins/Ant) schema declares <skipped> as text only, without attributes: the reason is its text.
      return `${open}\n      <skipped>${escapeXml(outcome.reason)}</skipped>\n    </testcase>`;
    case 'failure':
      return `${open}\n      <failure type="${escapeXml(outcome.type, true)}" message="${escapeXml(outcome.message, true)}">${escapeXml(outcome.body)}</failure>\n    </testcase>`;
    case 'passed':
      return `${open}\n      <system-out>${escapeXml(outcome.output)}</system-out>\n    </testcase>`;
  }
}

function count(cases: readonly JunitTestCase[], kind: JunitOutcome['kind']): number {
  return cases.filter((testCase) => testCase.outcome.kind === kind).length;
}

/**
 * JUnit XML for `--format junit`, valid against the common Jenkins/Ant JUnit schema (test/schemas/junit.xsd):
 * CI systems show each checklist item and finding as a test, with the failing ones first.
 *
 * @example writeFileSync('shipready-junit.xml', renderJunit(report));
 */
export function renderJunit(report: Report): string {
  const suites = toJunitSuites(report);
  const properties: Array<[string, string]> = [
    ['shipready.version', report.tool.version],
    ['command', report.command],
    ['target', report.target],
    ['verdict', report.verdict.label],
    ['score', report.verdict.score === null ? 'none' : String(report.verdict.score)],
    ['fail-on', report.verdict.failOn],
    ...(report.repositoryPath === undefined ? [] : [['repository-path', report.repositoryPath] satisfies [string, string]]),
  ];
  const propertiesXml = ['    <properties>', ...properties.map(([name, value]) => `      <property name="${escapeXml(name, true)}" value="${escapeXml(value, true)}"/>`), '    </properties>'];
  const suitesXml = suites.map((suite) =>
    [
      `  <testsuite name="${escapeXml(suite.name, true)}" tests="${suite.cases.length}" failures="${count(suite.cases, 'failure')}" errors="0" skipped="${count(suite.cases, 'skipped')}">`,
      ...propertiesXml,
      ...suite.cases.map(caseXml),
      `    <system-out>${escapeXml(report.verdict.summary)}</system-out>`,
      '  </testsuite>',
    ].join('\n'),
  );
  const tests = suites.reduce((sum, suite) => sum + suite.cases.length, 0);
  const failures = suites.reduce((sum, suite) => sum + count(suite.cases, 'failure'), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${escapeXml(`shipready ${report.command}`, true)}" tests="${tests}" failures="${failures}" errors="0">`,
    ...suitesXml,
    '</testsuites>',
    '',
  ].join('\n');
}
