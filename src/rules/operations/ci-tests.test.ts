import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './ci-tests.js';

describe('operations/ci-tests', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/ci-tests', import.meta.url)));
});
