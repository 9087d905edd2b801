import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './dependency-audit.js';

describe('security/dependency-audit', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/dependency-audit', import.meta.url)));
});
