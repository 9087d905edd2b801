import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './backup-documented.js';

const fixtures = fileURLToPath(new URL('./fixtures/backup-documented', import.meta.url));

describe('data/backup-documented', () => {
  testRuleFixtures(rule, fixtures);

  it('keeps medium for a self-hosted database and lowers a platform-run app on a managed database and an undeployed prototype', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.self-hosted-database`)).toEqual([{ path: 'README.md', line: 1, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.platform-managed-database`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.readme-only`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
  });
});
