import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './env-documented.js';

describe('operations/env-documented', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/env-documented', import.meta.url)));
});
