import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './compose-restart-policy.js';

describe('reliability/compose-restart-policy', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/compose-restart-policy', import.meta.url)));
});
