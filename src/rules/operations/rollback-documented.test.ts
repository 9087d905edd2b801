import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './rollback-documented.js';

describe('operations/rollback-documented', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/rollback-documented', import.meta.url)));
});
