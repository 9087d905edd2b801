import { describe, expect, it } from 'vitest';
import { CHECKLIST } from '../core/checklist.js';
import type { Report } from '../core/report.js';
import { buildFixtureReport, FIXTURE_NOTES, FIXTURE_SECTIONS, kitchenSinkProject } from './report-fixture.js';
import { renderText } from './text.js';

const ESC = '\u001b';

async function kitchenSink(): Promise<Report> {
  return buildFixtureReport({
    project: kitchenSinkProject(),
    notes: FIXTURE_NOTES,
    sections: FIXTURE_SECTIONS,
    suppress: (finding) => (finding.location?.kind === 'file' && finding.location.path === 'src/db.ts' ? 'pool is tuned in infra' : undefined),
    baseline: (finding) => (finding.ruleId === 'team/test-setup' && finding.location === undefined ? 'unchanged' : 'new'),
  });
}

function smallReport(): Promise<Report> {
  return buildFixtureReport({
    project: {
      files: { 'src/app.ts': "const app = express();\napp.listen(3000);\n" },
      reports: [{ ruleId: 'reliability/test-health', message: 'no health route', location: { path: 'src/app.ts', line: 2, column: 5, endColumn: 11 }, detail: 'looked for /healthz' }],
    },
  });
}

describe('renderText', () => {
  it('matches the snapshot for a one-finding report', async () => {
    expect(renderText(await smallReport(), { color: false })).toMatchSnapshot();
  });

  it('renders the same report to the same bytes twice', async () => {
    const report = await kitchenSink();
    expect(renderText(report, { color: true })).toBe(renderText(report, { color: true }));
  });

  it('uses ANSI colour only when asked to', async () => {
    const report = await kitchenSink();
    expect(renderText(report, { color: false })).not.toContain(ESC);
    expect(renderText(report, { color: true })).toContain(`${ESC}[`);
  });

  it('prints header, checklist, verdict, findings, sections, notes and footer in that order', async () => {
    const report = await kitchenSink();
    const out = renderText(report, { color: false });
    const lines = out.split('\n');
    expect(lines[0]).toBe('shipready 0.1.0 · scan · examples/app');
    const positions = [
      out.indexOf('Readiness checklist'),
      out.indexOf(report.verdict.summary),
      out.indexOf('Findings ('),
      out.indexOf('Known (in baseline)'),
      out.indexOf('Published ports'),
      out.indexOf('Notes ('),
      out.indexOf('suppressed finding(s)'),
    ];
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('lists all 22 checklist items with their status and finding count', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    for (const item of CHECKLIST) expect(out).toContain(item.title);
    expect(out).toMatch(/^ {2}FAIL {6}Health check endpoint \(2 findings\) — /m);
    expect(out).toMatch(/^ {2}unknown {3}Graceful shutdown — /m);
  });

  it('groups findings by category in CATEGORIES order, most severe first', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    const categories = [...out.matchAll(/^(Reliability|Data|Security|Performance|Operations|Team) \(\d+\)$/gm)].map((match) => match[1]);
    expect(categories).toEqual(['Reliability', 'Security', 'Team']);
    const security = out.slice(out.indexOf('Security ('), out.indexOf('Team ('));
    expect(security.match(/^ {2}CRITICAL {2}security\/test-secret/gm)).toHaveLength(2);
  });

  it('draws a code frame with a gutter, a > marker and carets under the flagged columns', async () => {
    const out = renderText(await smallReport(), { color: false });
    expect(out).toContain('      1 | const app = express();');
    expect(out).toContain('    > 2 | app.listen(3000);');
    // column 5 to endColumn 11 (exclusive): six carets under "listen".
    expect(out).toContain('        |     ^^^^^^\n');
  });

  it('stops the underline at a masked secret, which is shorter than the original value', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    // The flagged span is the quoted key (columns 23–55 in the file); after masking only `"sk_l••••` remains.
    expect(out).toContain('    > 2 | export const stripe = "sk_l••••";\n        | ' + ' '.repeat(22) + '^'.repeat(9) + '\n');
  });

  it('marks every line of a multi-line span and draws no carets for it', async () => {
    const report = await buildFixtureReport({
      project: { files: { 'src/db.ts': 'a\nb\nc\nd\n' }, reports: [{ ruleId: 'reliability/test-health', message: 'span', location: { path: 'src/db.ts', line: 2, column: 1, endLine: 3, endColumn: 2 } }] },
    });
    const out = renderText(report, { color: false });
    expect(out).toContain('    > 2 | b\n    > 3 | c\n      4 | d');
    expect(out).not.toContain('^');
  });

  it('shows location, detail, fix and docs of a finding, and labels inconclusive ones', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    expect(out).toContain('    src/server, main:1.ts:3:1\n');
    expect(out).toContain('    Looked for /health in *.ts | found none\n');
    expect(out).toContain('    Fix: Apply the documented fix.\n');
    expect(out).toContain('    Docs: https://github.com/shipready/shipready/blob/main/docs/rules/security/test-secret.md\n');
    expect(out).toMatch(/^ {2}HIGH \(inconclusive\) {2}reliability\/test-health/m);
  });

  it('counts suppressed findings without listing them, and lists baseline ones under Known', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    expect(out).not.toContain('src/db.ts');
    expect(out).toContain('1 suppressed finding(s) not shown · 1 known finding(s) from the baseline');
    const known = out.slice(out.indexOf('Known (in baseline): 1'), out.indexOf('Published ports'));
    expect(known).toMatch(/^ {2}LOW {2}team\/test-setup {2}\S/m);
  });

  it('shows five notes per kind and counts the rest', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    expect(out).toContain('  skipped-file (7)\n');
    expect(out).toContain('dist/bundle-4.js');
    expect(out).not.toContain('dist/bundle-5.js');
    expect(out).toContain('    … and 2 more\n');
    expect(out).toContain('  parse-error (1)\n');
  });

  it('never prints raw control characters from scanned text', async () => {
    const out = renderText(await kitchenSink(), { color: false });
    expect(out).not.toContain(ESC);
    expect(out).toContain('\\u001b[31mred');
  });
});
