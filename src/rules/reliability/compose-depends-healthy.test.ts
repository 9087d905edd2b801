import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './compose-depends-healthy.js';

const fixtures = fileURLToPath(new URL('./fixtures/compose-depends-healthy', import.meta.url));

describe('reliability/compose-depends-healthy', () => {
  testRuleFixtures(rule, fixtures);

  it('is low when the client waits for the database or compose restarts a fail-fast start, medium when a migration is chained with ;', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.client-waits`)).toEqual({ 'docker-compose.yml:5': 'low' });
    expect(await severitiesOf(rule, `${fixtures}/ng.restarts-and-fails-fast`)).toEqual({ 'docker-compose.yml:10': 'low' });
    expect(await severitiesOf(rule, `${fixtures}/ng.migration-then-semicolon`)).toEqual({ 'docker-compose.yml:11': 'medium' });
  });
});
