import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './rollback-documented.js';

const fixtures = fileURLToPath(new URL('./fixtures/rollback-documented', import.meta.url));

describe('operations/rollback-documented', () => {
  testRuleFixtures(rule, fixtures);

  it('keeps medium for a self-hosted release and lowers boilerplates, platform-run apps and undeployed prototypes', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.self-hosted-release`)).toEqual([{ path: 'README.md', line: 1, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.boilerplate`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.platform-hosted`)).toEqual([{ path: 'README.md', line: 1, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.no-docs`)).toEqual([{ path: 'package.json', line: 1, severity: 'low' }]);
  });
});
