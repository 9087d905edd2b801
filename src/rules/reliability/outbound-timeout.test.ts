import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { severitiesOf, testRuleFixtures } from '../fixture-harness.js';
import rule from './outbound-timeout.js';

const fixtures = fileURLToPath(new URL('./fixtures/outbound-timeout', import.meta.url));

describe('reliability/outbound-timeout', () => {
  testRuleFixtures(rule, fixtures);

  it('is medium for clients that wait forever, low for fetch with undici’s 300 s defaults', async () => {
    expect(await severitiesOf(rule, `${fixtures}/ng.express-axios`)).toEqual([{ path: 'src/crm.ts', line: 6, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.node-fetch`)).toEqual([{ path: 'src/geo.ts', line: 4, severity: 'medium' }]);
    expect(await severitiesOf(rule, `${fixtures}/ng.express-fetch`)).toEqual([{ path: 'src/payments.ts', line: 2, severity: 'low' }]);
  });
});
