import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './csrf.js';

describe('security/csrf', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/csrf', import.meta.url)));
});
