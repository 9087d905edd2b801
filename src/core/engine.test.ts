import { describe, expect, it } from 'vitest';
import { runRules } from './engine.js';
import { defineRule, noOptions } from './rule.js';

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
