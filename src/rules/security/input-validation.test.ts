import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './input-validation.js';

describe('security/input-validation', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/input-validation', import.meta.url)));
});
