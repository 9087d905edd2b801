import { describe, expect, it } from 'vitest';
import { runRules, toFinding } from './engine.js';
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
