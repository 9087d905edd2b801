import { describe, expect, it } from 'vitest';
import type { Report } from '../core/report.js';
import { escapeMarkdown, MARKDOWN_MAX_CHARS, renderMarkdown } from './markdown.js';
import { buildFixtureReport, FIXTURE_NOTES, FIXTURE_SECTIONS, kitchenSinkProject } from './report-fixture.js';

async function kitchenSink(): Promise<Report> {
  return buildFixtureReport({
    project: kitchenSinkProject(),
    notes: FIXTURE_NOTES,
    sections: FIXTURE_SECTIONS,
    suppress: (finding) => (finding.location?.kind === 'file' && finding.location.path === 'src/db.ts' ? 'pool is tuned in infra' : undefined),
    baseline: (finding) => (finding.location === undefined ? 'unchanged' : 'new'),
    attestations: { 'load-testing': { by: 'ops | <b>lead</b>', date: '2026-10-20', evidence: 'k6 run <script>alert(1)</script>' } },
  });
}

/** The rendered Markdown outside fenced code blocks, where HTML and table syntax would take effect. */
function outsideFences(markdown: string): string {
  return markdown.replace(/^(`{3,})text\n[\s\S]*?\n\1\n/gm, '');
}

describe('escapeMarkdown', () => {
  it('neutralises table pipes, HTML, emphasis, links, mentions and newlines', () => {
    expect(escapeMarkdown('a | b <script>x</script> *y* [l](u) @octocat\nz & `c`')).toBe(
      'a \\| b &lt;script&gt;x&lt;/script&gt; \\*y\\* \\[l\\](u) @&#8203;octocat<br>z &amp; \\`c\\`',
    );
  });
});

describe('renderMarkdown', () => {
  it('matches the snapshot for a one-finding report', async () => {
    const report = await buildFixtureReport({
      project: {
        files: { 'src/app.ts': 'const app = express();\napp.listen(3000);\n' },
        reports: [{ ruleId: 'reliability/test-health', message: 'no health route', location: { path: 'src/app.ts', line: 2, column: 5 }, detail: 'looked for /healthz' }],
      },
    });
    expect(renderMarkdown(report)).toMatchSnapshot();
  });

  it('is deterministic', async () => {
    const report = await kitchenSink();
    expect(renderMarkdown(report)).toBe(renderMarkdown(report));
  });

  it('opens with the verdict and a checklist table whose rows user text cannot break', async () => {
    const report = await kitchenSink();
    const out = renderMarkdown(report);
    expect(out.startsWith(`## shipready: ${report.verdict.summary}\n`)).toBe(true);
    const rows = out.split('\n').filter((line) => /^\| (✅|❌|❔|📝) \|/.test(line));
    expect(rows).toHaveLength(22);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(4);
    const attested = rows.find((row) => row.startsWith('| 📝 |'));
    expect(attested).toContain('ops \\| &lt;b&gt;lead&lt;/b&gt;');
    expect(rows.find((row) => row.includes('Health check endpoint'))).toMatch(/^\| ❌ \| Health check endpoint \(2 findings\) \|/);
  });

  it('never lets <script> from scanned text render outside code blocks', async () => {
    const out = renderMarkdown(await kitchenSink());
    expect(outsideFences(out)).not.toMatch(/<script/i);
    // Inside a fenced block it is shown as code, verbatim.
    expect(out).toContain("> 3 | app.get('/x', (req, res) => res.send('<script>alert(1)</script> | ok'));");
  });

  it('expands critical and high findings, folds the rest, and lists each with rule, location, fix and docs', async () => {
    const out = renderMarkdown(await kitchenSink());
    expect(out).toContain('#### 🟥 Critical (2)\n');
    expect(out).toContain('#### 🟧 High (2)\n');
    expect(out).toContain('<details><summary>🟦 Low (1)</summary>\n');
    expect(out).toContain('**CRITICAL** `security/test-secret` · `config/keys.ts:2` — ');
    expect(out).toContain('**Fix:** Apply the documented fix. · [docs](https://github.com/shipready/shipready/blob/main/docs/rules/security/test-secret.md)');
    expect(out).toContain('_(inconclusive)_');
    expect(out).toContain('<sub>1 suppressed finding(s) not shown · 1 known finding(s) from the baseline not listed');
    expect(out).not.toContain('src/db.ts');
  });

  it('uses a longer fence when a snippet contains backticks', async () => {
    const report = await buildFixtureReport({
      project: { files: { 'a.md': 'before\n```js\nafter\n' }, reports: [{ ruleId: 'team/test-setup', message: 'm', location: { path: 'a.md', line: 2 } }] },
    });
    const out = renderMarkdown(report);
    expect(out).toContain('````text\n  1 | before\n> 2 | ```js\n  3 | after\n````\n');
  });

  it('stays under the size limit and says how many findings it omitted', async () => {
    // Spread over ten files: the engine lists at most 200 findings of one rule per file.
    const count = 2_000;
    const perFile = 200;
    const lines = Array.from({ length: perFile }, (_, index) => `const value${index} = compute(${index}); // some context to make lines long`).join('\n');
    const files = Object.fromEntries(Array.from({ length: count / perFile }, (_, file) => [`src/big${file}.ts`, lines]));
    const reports = Array.from({ length: count }, (_, index) => ({
      ruleId: 'reliability/test-health',
      message: `finding number ${index} with a reasonably long message`,
      location: { path: `src/big${Math.floor(index / perFile)}.ts`, line: (index % perFile) + 1 },
    }));
    const report = await buildFixtureReport({ project: { files, reports } });
    const out = renderMarkdown(report);
    expect(out.length).toBeLessThan(MARKDOWN_MAX_CHARS);
    const shown = out.match(/^\*\*HIGH\*\* /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(10);
    const omitted = /> (\d+) more finding\(s\) omitted/.exec(out)?.[1];
    expect(Number(omitted)).toBe(count - shown);
  });
});
