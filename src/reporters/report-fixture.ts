// Test support for the reporter tests: builds Reports through the real engine path (defineRule → runRules →
// buildReport) over an in-memory file set, so reporters are tested on data shaped exactly as commands make it.
import { runRules, type SourceText } from '../core/engine.js';
import type { Finding, Note, Report, ReportSection } from '../core/report.js';
import { defineRule, noOptions, type RegisteredRule, type ReportLocation } from '../core/rule.js';
import { buildReport } from '../core/verdict.js';
import { DOCS_BASE_URL } from '../core/meta.js';

/** Built at runtime so this source file never holds a literal key that a secret scanner would flag. */
export const FAKE_STRIPE_KEY = ['sk', 'live', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('_');
export const FAKE_AWS_KEY_ID = `${'AKIA'}Q3ZJ7WXKD2MRPL5T`;

export interface FixtureProject {
  readonly files: Readonly<Record<string, string>>;
  /** What each test rule reports: one entry per finding. */
  readonly reports: ReadonlyArray<{
    readonly ruleId: string;
    readonly message: string;
    readonly location?: ReportLocation;
    readonly detail?: string;
    readonly inconclusive?: boolean;
    readonly key?: string;
  }>;
}

function reportingRule(
  id: string,
  category: 'reliability' | 'security' | 'team',
  severity: 'critical' | 'high' | 'medium' | 'low',
  checklist: 'secrets' | 'health-check' | 'local-setup',
): RegisteredRule<FixtureProject> {
  return defineRule({
    id,
    title: `Test rule ${id}`,
    description: `Reports whatever the fixture project lists for ${id}.`,
    category,
    severity,
    checklist,
    docs: `docs/rules/${id}.md`,
    fix: 'Apply the documented fix.',
    options: noOptions,
    messages: { found: ({ text }: { text: string }) => text },
    check(ctx) {
      for (const entry of ctx.project.reports.filter((report) => report.ruleId === id)) {
        ctx.report({
          messageId: 'found',
          data: { text: entry.message },
          ...(entry.location === undefined ? {} : { location: entry.location }),
          ...(entry.detail === undefined ? {} : { detail: entry.detail }),
          ...(entry.inconclusive === true ? { inconclusive: true } : {}),
          ...(entry.key === undefined ? {} : { key: entry.key }),
        });
      }
    },
  });
}

export const FIXTURE_RULES: readonly RegisteredRule<FixtureProject>[] = [
  reportingRule('security/test-secret', 'security', 'critical', 'secrets'),
  reportingRule('reliability/test-health', 'reliability', 'high', 'health-check'),
  reportingRule('team/test-setup', 'team', 'low', 'local-setup'),
];

export interface FixtureOptions {
  readonly project: FixtureProject;
  /** Returns the inline suppression reason for a finding that a `shipready-ignore` comment silences. */
  readonly suppress?: (finding: Finding) => string | undefined;
  /** Marks every finding `new` or `unchanged`, as a baseline comparison would. */
  readonly baseline?: (finding: Finding) => 'new' | 'unchanged';
  readonly sections?: readonly ReportSection[];
  readonly notes?: readonly Note[];
  readonly target?: string;
  readonly attestations?: Parameters<typeof buildReport>[0]['attestations'];
}

/** Runs the fixture rules through the engine and assembles the report, as `scan` would. */
export async function buildFixtureReport(options: FixtureOptions): Promise<Report> {
  const sources: SourceText = { text: (path) => options.project.files[path] };
  const outcome = await runRules(FIXTURE_RULES, options.project, sources, { docsBaseUrl: DOCS_BASE_URL });
  const findings = outcome.findings.map((finding): Finding => {
    const reason = options.suppress?.(finding);
    const location = finding.location?.kind === 'file' ? finding.location : undefined;
    return {
      ...finding,
      ...(reason === undefined ? {} : { suppression: { kind: 'inline', reason, path: location?.path ?? '', line: location?.line ?? 1 } }),
      ...(options.baseline === undefined ? {} : { baseline: options.baseline(finding) }),
    };
  });
  return buildReport({
    command: 'scan',
    target: options.target ?? 'examples/app',
    version: '0.1.0',
    findings,
    rules: outcome.rules,
    applied: outcome.applied,
    now: new Date('2026-11-01T00:00:00Z'),
    failOn: 'high',
    ...(options.attestations === undefined ? {} : { attestations: options.attestations }),
    ...(options.sections === undefined ? {} : { sections: options.sections }),
    ...(options.notes === undefined ? {} : { notes: options.notes }),
    stats: { files: Object.keys(options.project.files).length },
  });
}

/**
 * The kitchen-sink project: a secret on a flagged line and in a message, a one-line column span, a
 * multi-line span, a whole-file finding, a URL finding with credentials, a location-less finding, an
 * inconclusive one, and user text full of Markdown, HTML, workflow-command and terminal specials.
 */
export function kitchenSinkProject(): FixtureProject {
  return {
    files: {
      'config/keys.ts': `// keys\nexport const stripe = "${FAKE_STRIPE_KEY}";\nexport const aws = "${FAKE_AWS_KEY_ID}";\n`,
      'src/server, main:1.ts': "import express from 'express';\nconst app = express();\napp.get('/x', (req, res) => res.send('<script>alert(1)</script> | ok'));\napp.listen(3000);\n",
      'src/db.ts': 'export const pool = createPool({\n  max: 100,\n  idle: 0,\n});\n',
      'README.md': '# app\n',
    },
    reports: [
      { ruleId: 'security/test-secret', message: `Stripe key ${FAKE_STRIPE_KEY} is committed`, location: { path: 'config/keys.ts', line: 2, column: 23, endColumn: 55 } },
      { ruleId: 'security/test-secret', message: `AWS key id ${FAKE_AWS_KEY_ID} is committed`, location: { path: 'config/keys.ts', line: 3, column: 20, endColumn: 40 } },
      {
        ruleId: 'reliability/test-health',
        message: 'Route sends <script>alert(1)</script> | 100% raw, a:b\nsecond line @octocat \u001b[31mred',
        location: { path: 'src/server, main:1.ts', line: 3, column: 1, endColumn: 8 },
        detail: 'Looked for /health in *.ts | found none',
      },
      { ruleId: 'reliability/test-health', message: 'Pool spans lines', location: { path: 'src/db.ts', line: 1, endLine: 4 } },
      { ruleId: 'reliability/test-health', message: 'Health URL answered 500', location: { url: 'https://admin:hunter2pass@app.example.com/health?token=abcdef123456' }, inconclusive: true },
      { ruleId: 'team/test-setup', message: 'No one-command setup', location: { path: 'README.md' } },
      { ruleId: 'team/test-setup', message: 'No setup script anywhere' },
    ],
  };
}

/** Seven skipped-file notes (more than the five shown) and one of another kind. */
export const FIXTURE_NOTES: readonly Note[] = [
  ...Array.from({ length: 7 }, (_, index): Note => ({ kind: 'skipped-file', path: `dist/bundle-${index}.js`, message: 'over 1 MiB' })),
  { kind: 'parse-error', path: 'docker/Dockerfile', message: 'unexpected instruction' },
];

export const FIXTURE_SECTIONS: readonly ReportSection[] = [{ id: 'ports', title: 'Published ports', lines: ['5432 → db (all interfaces)', '6379 → cache (127.0.0.1)'] }];

/** The kitchen-sink project as a report with a suppressed finding (src/db.ts) and a baseline-unchanged one (no location). */
export function kitchenSinkReport(): Promise<Report> {
  return buildFixtureReport({
    project: kitchenSinkProject(),
    suppress: (finding) => (finding.location?.kind === 'file' && finding.location.path === 'src/db.ts' ? 'pool is tuned in infra' : undefined),
    baseline: (finding) => (finding.location === undefined ? 'unchanged' : 'new'),
  });
}
