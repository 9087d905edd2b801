import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './rate-limit.js';

describe('security/rate-limit', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/rate-limit', import.meta.url)));
});
