import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { renderGithub } from './github.js';
import { renderGitlab } from './gitlab.js';
import { isReportFormat, renderReport, REPORT_FORMATS } from './index.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { buildFixtureReport, FAKE_AWS_KEY_ID, FAKE_STRIPE_KEY, FIXTURE_NOTES, FIXTURE_SECTIONS, kitchenSinkProject } from './report-fixture.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

async function kitchenSink(): Promise<Report> {
  return buildFixtureReport({
    project: kitchenSinkProject(),
    notes: [...FIXTURE_NOTES, { kind: 'info', message: `env had STRIPE_KEY=${FAKE_STRIPE_KEY}` }],
    sections: [...FIXTURE_SECTIONS, { id: 'env', title: 'Environment', lines: [`AWS_ACCESS_KEY_ID=${FAKE_AWS_KEY_ID}`] }],
    target: 'https://deploy:s3cr3tdeploypass@app.example.com/',
    suppress: (finding) => (finding.location?.kind === 'file' && finding.location.path === 'src/db.ts' ? 'pool is tuned in infra' : undefined),
    baseline: (finding) => (finding.location === undefined ? 'unchanged' : 'new'),
  });
}

/** Pieces of a secret that must never appear: the value, anything past its first 4 characters, and its random tail. */
function forbiddenFragments(secret: string): string[] {
  return [secret, secret.slice(0, 5), secret.slice(4), secret.slice(-16)];
}

describe('renderReport', () => {
  it('knows the seven formats', () => {
    expect(REPORT_FORMATS).toEqual(['text', 'json', 'sarif', 'markdown', 'github', 'junit', 'gitlab']);
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('xml')).toBe(false);
  });

  it('dispatches to the reporter of each format', async () => {
    const report = await buildFixtureReport({ project: kitchenSinkProject() });
    expect(renderReport(report, 'text', { color: false })).toBe(renderText(report, { color: false }));
    expect(renderReport(report, 'json', { color: true })).toBe(renderJson(report));
    expect(renderReport(report, 'sarif', { color: true })).toBe(renderSarif(report));
    expect(renderReport(report, 'markdown', { color: true })).toBe(renderMarkdown(report));
    expect(renderReport(report, 'github', { color: true })).toBe(renderGithub(report));
    expect(renderReport(report, 'junit', { color: true })).toBe(renderJunit(report));
    expect(renderReport(report, 'gitlab', { color: true })).toBe(renderGitlab(report));
  });

  it.each(REPORT_FORMATS)('%s output is deterministic', async (format) => {
    const report = await kitchenSink();
    expect(renderReport(report, format, { color: true })).toBe(renderReport(report, format, { color: true }));
  });

  it.each(REPORT_FORMATS)('%s output masks secrets from messages, flagged lines, notes, sections and the target', async (format) => {
    const report = await kitchenSink();
    const out = renderReport(report, format, { color: false });
    for (const secret of [FAKE_STRIPE_KEY, FAKE_AWS_KEY_ID, 's3cr3tdeploypass']) {
      for (const fragment of forbiddenFragments(secret)) expect(out).not.toContain(fragment);
    }
    // The masked form is there, so the finding is still shown (Markdown escapes the underscore).
    expect(out).toMatch(/AKIA••••/);
    expect(out).toMatch(format === 'markdown' ? /sk\\_l••••/ : /sk_l••••/);
  });
});
