import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './error-tracking.js';

describe('operations/error-tracking', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/error-tracking', import.meta.url)));
});
