import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './secret-committed.js';

describe('security/secret-committed', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/secret-committed', import.meta.url)));
});
