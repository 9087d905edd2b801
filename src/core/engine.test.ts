import { describe, expect, it } from 'vitest';
import { assignFingerprints, runRules, toFinding } from './engine.js';
import { defineRule, noOptions, type RuleMetadata } from './rule.js';

const RULE: RuleMetadata = { id: 'reliability/outbound-timeout', title: 't', description: 'd', category: 'reliability', severity: 'medium', docs: 'd.md', fix: 'f' };

function fingerprintAt(text: string, column: number): { fingerprint: string; contextLength: number } {
  const draft = toFinding(RULE, { messageId: 'm', message: 'fetch without a timeout', location: { path: 'src/bundle.js', line: 1, column } }, { text: () => text }, '');
  const [finding] = assignFingerprints([draft]);
  if (finding === undefined) throw new Error('no finding');
  return { fingerprint: finding.fingerprint, contextLength: draft.fingerprintContext.length };
}

describe('fingerprints on long lines', () => {
  // A minified bundle is one line: hashing all of it per finding made 5,000 findings cost 5,000 × the file.
  const call = (index: number): string => `function f${index}(a){return fetch("/x${index}")}`;
  const line = Array.from({ length: 5000 }, (_, index) => call(index)).join('');
  const column = line.indexOf(call(2500)) + 1;

  it('hashes a window around the column, not the whole line', () => {
    expect(line.length).toBeGreaterThan(100_000);
    expect(fingerprintAt(line, column).contextLength).toBeLessThan(1_100);
  });

  it('keeps the fingerprint when the line changes far from the finding, and tells findings on one line apart', () => {
    const edited = `${line.slice(0, 10)}X${line.slice(11)}`;
    expect(fingerprintAt(edited, column).fingerprint).toBe(fingerprintAt(line, column).fingerprint);
    expect(fingerprintAt(line, line.indexOf(call(4000)) + 1).fingerprint).not.toBe(fingerprintAt(line, column).fingerprint);
  });

  it('hashes an ordinary line whole, so existing baselines keep matching', () => {
    const short = 'const response = await fetch(url);';
    const draft = toFinding(RULE, { messageId: 'm', message: 'x', location: { path: 'a.ts', line: 1, column: 24 } }, { text: () => short }, '');
    expect(draft.fingerprintContext.endsWith(short)).toBe(true);
  });
});

describe('findings per rule and file', () => {
  it('lists the first 200 of a rule in one file and counts the rest in a note', async () => {
    const noisy = defineRule<object, { hit: { index: number } }, undefined>({
      ...RULE,
      options: noOptions,
      messages: { hit: ({ index }) => `hit ${index}` },
      check(ctx) {
        for (let index = 0; index < 250; index++) ctx.report({ messageId: 'hit', data: { index }, location: { path: 'src/generated-client.ts', line: index + 1 } });
        ctx.report({ messageId: 'hit', data: { index: 0 }, location: { path: 'src/app.ts', line: 1 } });
      },
    });
    const outcome = await runRules([noisy], {}, { text: () => undefined }, { docsBaseUrl: '' });
    expect(outcome.findings.filter((finding) => finding.location?.kind === 'file' && finding.location.path === 'src/generated-client.ts')).toHaveLength(200);
    expect(outcome.findings.filter((finding) => finding.location?.kind === 'file' && finding.location.path === 'src/app.ts')).toHaveLength(1);
    expect(outcome.notes.map((note) => [note.kind, note.path])).toEqual([['info', 'src/generated-client.ts']]);
  });
});
