import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './security-headers.js';

describe('security/security-headers', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/security-headers', import.meta.url)));
});
