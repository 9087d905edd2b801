import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './deploy-verification.js';

describe('operations/deploy-verification', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/deploy-verification', import.meta.url)));
});
