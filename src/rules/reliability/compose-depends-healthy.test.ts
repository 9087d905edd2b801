import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './compose-depends-healthy.js';

const fixtures = fileURLToPath(new URL('./fixtures/compose-depends-healthy', import.meta.url));

describe('reliability/compose-depends-healthy', () => {
  testRuleFixtures(rule, fixtures);

  it('is low when the client waits for the database or compose restarts a fail-fast start, medium when a migration is chained with ;', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.client-waits`)).toEqual([{ path: 'docker-compose.yml', line: 5, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.restarts-and-fails-fast`)).toEqual([{ path: 'docker-compose.yml', line: 10, severity: 'low' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.migration-then-semicolon`)).toEqual([{ path: 'docker-compose.yml', line: 11, severity: 'medium' }]);
  });
});
