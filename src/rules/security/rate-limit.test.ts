import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './rate-limit.js';

const fixtures = fileURLToPath(new URL('./fixtures/rate-limit', import.meta.url));
const fixture = (name: string): string => `${fixtures}/${name}`;

describe('security/rate-limit', () => {
  testRuleFixtures(rule, fixtures);

  it('rates a write path high and a read-only API low, CORS preflights included', async () => {
    expect(await severitiesOf(rule, fixture('ng.arcjet-without-rate-rule'))).toEqual([{ path: 'package.json', line: 1, severity: 'high' }]);
    expect(await severitiesOf(rule, fixture('ng.get-only-api'))).toEqual([{ path: 'src/index.ts', line: 3, severity: 'low' }]);
    expect(await severitiesOf(rule, fixture('ng.next-get-with-preflight'))).toEqual([{ path: 'package.json', line: 1, severity: 'low' }]);
  });
});
