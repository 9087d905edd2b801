import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './error-handler.js';

describe('reliability/error-handler', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/error-handler', import.meta.url)));
});
