import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { testRuleFixtures } from '../fixture-harness.js';
import rule from './env-file-committed.js';

describe('security/env-file-committed', () => {
  testRuleFixtures(rule, fileURLToPath(new URL('./fixtures/env-file-committed', import.meta.url)));
});
