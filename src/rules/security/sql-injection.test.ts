import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './sql-injection.js';

describe('security/sql-injection', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/sql-injection', import.meta.url)));
});
