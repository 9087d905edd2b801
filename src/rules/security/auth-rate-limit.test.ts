import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './auth-rate-limit.js';

describe('security/auth-rate-limit', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/auth-rate-limit', import.meta.url)));
});
