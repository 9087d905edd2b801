import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './outbound-timeout.js';

describe('reliability/outbound-timeout', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/outbound-timeout', import.meta.url)));
});
