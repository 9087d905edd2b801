import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './process-error-handlers.js';

describe('reliability/process-error-handlers', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/process-error-handlers', import.meta.url)));
});
