import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { runRules } from '../core/engine.js';
import type { RegisteredRule } from '../core/rule.js';
import { Project } from '../project/project.js';

/** What an `ng.*` fixture declares in its `expected.json`: one entry per finding of the rule. */
interface ExpectedFinding {
  readonly path: string;
  readonly line?: number;
}

function isExpectedList(value: unknown): value is ExpectedFinding[] {
  return (
    Array.isArray(value) &&
    value.every((entry: unknown) => typeof entry === 'object' && entry !== null && 'path' in entry && typeof entry.path === 'string')
  );
}

/** Runs one rule over a fixture folder (its own project root) and returns `{ path, line }` of each finding. */
export async function findingsOf(rule: RegisteredRule<Project>, dir: string, options?: unknown): Promise<ExpectedFinding[]> {
  const opened = Project.open(dir, { ignore: ['expected.json', 'options.json'] });
  if (!opened.ok) throw new Error(opened.error.message);
  const outcome = await runRules([rule], opened.value, opened.value, {
    docsBaseUrl: '',
    settings: new Map([[rule.id, { enabled: true, options }]]),
  });
  return outcome.findings
    .filter((finding) => finding.ruleId === rule.id)
    .map((finding) => (finding.location?.kind === 'file' ? { path: finding.location.path, ...(finding.location.line === undefined ? {} : { line: finding.location.line }) } : { path: '' }));
}

/**
 * Runs one rule over a fixture folder and returns `{ path, line, severity }` of each finding: for rules whose
 * severity depends on context (request path or script, automatic or manual run).
 *
 * @example expect(await severitiesOf(rule, dir)).toEqual([{ path: 'prisma/seed.ts', line: 7, severity: 'medium' }]);
 */
export async function severitiesOf(rule: RegisteredRule<Project>, dir: string): Promise<Array<ExpectedFinding & { severity: string }>> {
  const opened = Project.open(dir, { ignore: ['expected.json', 'options.json'] });
  if (!opened.ok) throw new Error(opened.error.message);
  const outcome = await runRules([rule], opened.value, opened.value, { docsBaseUrl: '', settings: new Map([[rule.id, { enabled: true, options: undefined }]]) });
  return outcome.findings
    .filter((finding) => finding.ruleId === rule.id)
    .map((finding) => ({ path: finding.location?.kind === 'file' ? finding.location.path : '', ...(finding.location?.kind === 'file' && finding.location.line !== undefined ? { line: finding.location.line } : {}), severity: finding.severity }));
}

/**
 * Registers one test per fixture folder: `ok.<case>` must give no finding of the rule, `ng.<case>` exactly
 * the findings in its `expected.json` (path and line). A fixture may carry `options.json` for the rule.
 */
export function testRuleFixtures(rule: RegisteredRule<Project>, fixturesDir: string): void {
  const cases = readdirSync(fixturesDir).sort();
  it('has at least two ok and two ng fixtures', () => {
    expect(cases.filter((name) => name.startsWith('ok.')).length).toBeGreaterThanOrEqual(2);
    expect(cases.filter((name) => name.startsWith('ng.')).length).toBeGreaterThanOrEqual(2);
  });
  for (const name of cases) {
    const dir = path.join(fixturesDir, name);
    const optionsFile = path.join(dir, 'options.json');
    const options: unknown = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : undefined;
    if (name.startsWith('ok.')) {
      it(`${name}: no ${rule.id} finding`, async () => {
        expect(await findingsOf(rule, dir, options)).toEqual([]);
      });
    } else if (name.startsWith('ng.')) {
      it(`${name}: reports ${rule.id} where expected.json says`, async () => {
        const expected: unknown = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
        if (!isExpectedList(expected) || expected.length === 0) throw new Error(`${name}/expected.json must list at least one { path, line }`);
        expect(await findingsOf(rule, dir, options)).toEqual(expected);
      });
    }
  }
}
