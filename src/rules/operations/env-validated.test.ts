import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './env-validated.js';

describe('operations/env-validated', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/env-validated', import.meta.url)));
});
