import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './rollback-documented.js';

const fixtures = fileURLToPath(new URL('./fixtures/rollback-documented', import.meta.url));

describe('operations/rollback-documented', () => {
  testRuleFixtures(rule, fixtures);

  it('keeps medium for a self-hosted release and lowers boilerplates, platform-run apps and undeployed prototypes', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.self-hosted-release`)).toEqual({ 'README.md:1': 'medium' });
    expect(await severitiesOf(rule, `${fixtures}/ng.boilerplate`)).toEqual({ 'README.md:1': 'low' });
    expect(await severitiesOf(rule, `${fixtures}/ng.platform-hosted`)).toEqual({ 'README.md:1': 'low' });
    expect(await severitiesOf(rule, `${fixtures}/ng.no-docs`)).toEqual({ 'package.json:1': 'low' });
  });
});
