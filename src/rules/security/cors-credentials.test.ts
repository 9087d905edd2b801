import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './cors-credentials.js';

describe('security/cors-credentials', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/cors-credentials', import.meta.url)));
});
