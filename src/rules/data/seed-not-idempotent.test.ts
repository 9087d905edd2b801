import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './seed-not-idempotent.js';

const fixtures = fileURLToPath(new URL('./fixtures/seed-not-idempotent', import.meta.url));

describe('data/seed-not-idempotent', () => {
  testRuleFixtures(rule, fixtures);

  it('is medium when a release command runs the seed, low when it runs by hand', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.seed-on-release`)).toEqual([{ path: 'prisma/seed.ts', line: 7, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.prisma-create`)).toEqual([{ path: 'prisma/seed.ts', line: 4, severity: 'low' }]);
  });
});
