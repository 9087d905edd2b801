import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './migrations-missing.js';

describe('data/migrations-missing', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/migrations-missing', import.meta.url)));
});
