import { describe, expect, it } from 'vitest';
import { assignFingerprints, toFinding, type SourceText } from './engine.js';
import type { RuleMetadata } from './rule.js';
import { applySuppressions, findSuppressions } from './suppressions.js';

const RULE: RuleMetadata = { id: 'security/x', title: 't', description: 'd', category: 'security', severity: 'high', docs: 'd.md', fix: 'f' };

describe('findSuppressions', () => {
  it('applies a standalone comment to the next code line, stacking several', () => {
    const text = ['// shipready-ignore security/x -- test key', '# shipready-ignore security/y -- generated', 'const k = 1;'].join('\n');
    expect(findSuppressions('a.ts', text).map((entry) => [entry.ruleId, entry.line, entry.targetLine])).toEqual([
      ['security/x', 1, 3],
      ['security/y', 2, 3],
    ]);
  });

  it('applies a trailing comment to its own line, in any comment syntax', () => {
    expect(findSuppressions('a.sql', 'DROP TABLE t; -- shipready-ignore security/x -- retired table')[0]?.targetLine).toBe(1);
    expect(findSuppressions('a.yml', 'ports: ["5432:5432"] # shipready-ignore security/x -- dev only')[0]?.reason).toBe('dev only');
    expect(findSuppressions('README.md', '<!-- shipready-ignore security/x -- docs example -->\nkey')[0]?.targetLine).toBe(2);
  });

  it('ignores the marker inside a string literal and outside HTML comments in Markdown', () => {
    expect(findSuppressions('a.ts', "const s = '// shipready-ignore security/x -- no';")).toEqual([]);
    expect(findSuppressions('README.md', '// shipready-ignore security/x -- prose')).toEqual([]);
  });

  it('uses comment spans from the parser when given, so a spaced marker in a string is not a directive', () => {
    const text = "const s = 'a // shipready-ignore security/x -- no';\n// shipready-ignore security/x -- yes\nx();";
    const comment = text.indexOf('// shipready-ignore security/x -- yes');
    expect(findSuppressions('a.ts', text, [{ start: comment, end: comment + 37 }]).map((entry) => entry.line)).toEqual([2]);
  });

  it('skips suppressions shown in fenced code blocks of Markdown', () => {
    const text = ['```html', '<!-- shipready-ignore security/x -- example -->', '```', '<!-- shipready-ignore security/x -- real -->', 'key'].join('\n');
    expect(findSuppressions('README.md', text).map((entry) => entry.line)).toEqual([4]);
    expect(findSuppressions('README.md', 'Write `<!-- shipready-ignore security/x -- why -->` above it.')).toEqual([]);
  });
});

describe('applySuppressions', () => {
  const text = ['line one', 'secret here // shipready-ignore security/x -- rotated, kept for the demo', '// shipready-ignore security/x', 'other', '// shipready-ignore security/nope -- typo'].join('\n');
  const sources: SourceText = { text: () => text };
  const findings = assignFingerprints([toFinding(RULE, { messageId: 'm', message: 'found', location: { path: 'a.ts', line: 2 } }, sources, '')]);
  const outcome = applySuppressions(findings, findSuppressions('a.ts', text), {
    knownRuleIds: new Set(['security/x']),
    ranRuleIds: new Set(['security/x']),
    sources,
    docsBaseUrl: '',
  });

  it('marks the finding with the reason', () => {
    expect(outcome.findings[0]?.suppression).toEqual({ kind: 'inline', reason: 'rotated, kept for the demo', path: 'a.ts', line: 2 });
  });

  it('reports a suppression without reason and an unknown rule as info', () => {
    expect(outcome.problems.map((finding) => [finding.messageId, finding.severity, finding.location?.kind === 'file' ? finding.location.line : 0])).toEqual([
      ['missingReason', 'info', 3],
      ['unknownRule', 'info', 5],
    ]);
  });

  it('reports an unused suppression of a rule that ran', () => {
    const unused = applySuppressions([], findSuppressions('a.ts', text), { knownRuleIds: new Set(['security/x']), ranRuleIds: new Set(['security/x']), sources, docsBaseUrl: '' });
    expect(unused.problems.some((finding) => finding.messageId === 'unused')).toBe(true);
  });
});
