import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './strict-null-checks.js';

describe('reliability/strict-null-checks', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/strict-null-checks', import.meta.url)));
});
