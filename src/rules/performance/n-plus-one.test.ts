import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './n-plus-one.js';

describe('performance/n-plus-one', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/n-plus-one', import.meta.url)));
});
