import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './deploy-verification.js';

const fixtures = fileURLToPath(new URL('./fixtures/deploy-verification', import.meta.url));

describe('operations/deploy-verification', () => {
  testRuleFixtures(rule, fixtures);

  it('rates an unverified static-bundle deploy low and a server deploy at the rule severity', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.static-bundle-netlify`)).toEqual([{ path: '.github/workflows/web-deploy.yml', line: 12, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.ssh-compose-up`)).toEqual([{ path: '.github/workflows/deploy.yml', line: 13, severity: 'high' }]);
  });
});
