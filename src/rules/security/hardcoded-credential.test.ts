import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './hardcoded-credential.js';

const fixtures = fileURLToPath(new URL('./fixtures/hardcoded-credential', import.meta.url));

describe('security/hardcoded-credential', () => {
  testRuleFixtures(rule, fixtures);

  it('weighs a password fallback beside a localhost host fallback as a local default (high), others critical', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.numeric-password-fallback`)).toEqual([{ path: 'src/database/pool.js', line: 5, severity: 'high' }]);
    expect((await severitiesOf(rule, `${fixtures}/ng.env-fallback`)).map((finding) => finding.severity)).toEqual(['critical']);
  });
});
