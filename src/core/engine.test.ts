import { describe, expect, it } from 'vitest';
import { assignFingerprints, runRules, toFinding } from './engine.js';
import { defineRule, noOptions, type RawReport, type RuleMetadata } from './rule.js';

const RULE: RuleMetadata = { id: 'test/secret', title: 't', description: 'd', category: 'security', severity: 'high', docs: 'docs/x.md', fix: 'f' };
const BODY = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj',
  'MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu',
  'NMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8sQ3v9Lk2Xp7Rw4TtY',
];

function finding(text: string, raw: Omit<RawReport, 'message'>): ReturnType<typeof toFinding> {
  return toFinding(RULE, { message: 'm', ...raw }, { text: (path) => (path === 'key.ts' ? text : undefined) }, '');
}

describe('code frames of secrets', () => {
  it('never shows a line of a private key body, whatever line the finding is on', () => {
    const text = ['const key = `-----BEGIN RSA PRIVATE KEY-----', ...BODY, '-----END RSA PRIVATE KEY-----`;', 'export default key;'].join('\n');
    for (const line of [1, 2, 3, 5]) {
      const frame = finding(text, { messageId: 'x', location: { path: 'key.ts', line } }).evidence.snippet?.lines.join('\n') ?? '';
      for (const bodyLine of BODY) expect(frame).not.toContain(bodyLine.slice(4, 16));
      expect(frame).not.toContain('-----END');
    }
  });

  it('masks the span a rule gives, whatever characters the value has', () => {
    const value = `p#s's"w\\rd $x@%20 ü`;
    const text = `const config = { password: "${value}" };`;
    const column = text.indexOf(value) + 1;
    const result = finding(text, {
      messageId: 'x',
      location: { path: 'key.ts', line: 1 },
      detail: `value ${value} seen`,
      secretSpans: [{ line: 1, column, endLine: 1, endColumn: column + value.length }],
    });
    expect(result.evidence.snippet?.lines[0]).toBe('const config = { password: "p#s\'••••" };');
    expect(result.evidence.detail).not.toContain(value.slice(4));
    expect(result.fingerprintContext).not.toContain(value.slice(4));
  });
});

const sharedFileRule = defineRule<undefined, { missing: { pkg: string } }, undefined>({
  id: 'reliability/test-shared',
  title: 't',
  description: 'd',
  category: 'reliability',
  severity: 'high',
  docs: 'd.md',
  fix: 'f',
  options: noOptions,
  messages: { missing: ({ pkg }) => `${pkg} lacks it` },
  check(ctx) {
    // Two services import the same library file: both judge it and point at the same line.
    for (const pkg of ['api', 'worker']) ctx.report({ messageId: 'missing', data: { pkg }, location: { path: 'packages/http/src/index.ts', line: 3, column: 1 } });
    ctx.report({ messageId: 'missing', data: { pkg: 'api' }, location: { path: 'packages/http/src/index.ts', line: 9, column: 1 } });
  },
});

describe('runRules', () => {
  it('reports a shared file once per rule, message and place, whichever service judged it', async () => {
    const outcome = await runRules([sharedFileRule], undefined, { text: () => undefined }, { docsBaseUrl: '' });
    expect(outcome.findings.map((finding) => finding.location?.kind === 'file' && finding.location.line)).toEqual([3, 9]);
  });
});


const TIMEOUT_RULE: RuleMetadata = { id: 'reliability/outbound-timeout', title: 't', description: 'd', category: 'reliability', severity: 'medium', docs: 'd.md', fix: 'f' };

function fingerprintAt(text: string, column: number): { fingerprint: string; contextLength: number } {
  const draft = toFinding(TIMEOUT_RULE, { messageId: 'm', message: 'fetch without a timeout', location: { path: 'src/bundle.js', line: 1, column } }, { text: () => text }, '');
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
    const draft = toFinding(TIMEOUT_RULE, { messageId: 'm', message: 'x', location: { path: 'a.ts', line: 1, column: 24 } }, { text: () => short }, '');
    expect(draft.fingerprintContext.endsWith(short)).toBe(true);
  });
});

describe('findings per rule and file', () => {
  it('lists the first 200 of a rule in one file and counts the rest in a note', async () => {
    const noisy = defineRule<object, { hit: { index: number } }, undefined>({
      ...TIMEOUT_RULE,
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
